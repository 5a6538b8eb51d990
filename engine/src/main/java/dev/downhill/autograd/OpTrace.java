package dev.downhill.autograd;

/**
 * The engine's one hook for profilers: ops report their name, start and end time, FLOPs and bytes
 * moved here, and a listener (the {@code dev.downhill.profiler.Profiler}) receives them. With no
 * listener installed each hook is a field read and a branch; with {@code -Ddownhill.profiler=false}
 * the hooks are constant-folded away entirely (the baseline of the profiler's cost benchmark).
 *
 * <p>Counting convention: FLOPs are 2·m·n·k for a product and one per element for element-wise
 * arithmetic (as {@code torch.profiler}'s {@code with_flops}, which counts products and
 * add/mul); bytes are the float32 operands read plus the result written, once each.
 */
public final class OpTrace {
  private OpTrace() {}

  /** False under {@code -Ddownhill.profiler=false}: the JIT then removes every hook. */
  static final boolean COMPILED = !"false".equals(System.getProperty("downhill.profiler"));

  /** Receives one finished op on the thread that ran it. */
  @FunctionalInterface
  public interface Listener {
    void record(String name, long startNanos, long endNanos, double flops, double bytes);
  }

  private static volatile Listener listener;

  /** Installs {@code l} (null removes it); returns the one it replaced. */
  public static synchronized Listener setListener(Listener l) {
    Listener before = listener;
    listener = l;
    return before;
  }

  /** Whether the hooks can report at all in this JVM (false under {@code -Ddownhill.profiler=false}). */
  public static boolean compiledIn() {
    return COMPILED;
  }

  /** The start time of an op, or 0 when nobody listens (then {@link #stop} does nothing). */
  public static long start() {
    return COMPILED && listener != null ? System.nanoTime() : 0L;
  }

  /** Reports the op begun at {@code start} (a value of {@link #start()}). */
  public static void stop(String name, long start, double flops, double bytes) {
    if (COMPILED && start != 0L) {
      Listener l = listener;
      if (l != null) {
        l.record(name, start, System.nanoTime(), flops, bytes);
      }
    }
  }
}
