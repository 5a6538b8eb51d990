package dev.downhill.profiler;

import dev.downhill.autograd.OpTrace;
import dev.downhill.kernels.Parallel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Records every op the engine runs while it is open, like {@code torch.profiler.profile}: per op
 * kind (linear, matmul, each activation, softmax, crossEntropy, each optimizer's step, and the
 * backward of each) the calls, total and self time, FLOPs and bytes moved, and the GFLOP/s and GB/s
 * achieved with their share of the machine's peak.
 *
 * <pre>{@code
 * try (Profiler prof = Profiler.profile()) {
 *   Tensor loss = Loss.crossEntropy(model.forward(x), y);
 *   loss.backward();
 *   opt.step();
 * }
 * System.out.println(prof.table());            // like prof.key_averages().table()
 * prof.exportChromeTrace(Path.of("trace.json")); // for chrome://tracing or Perfetto
 * }</pre>
 *
 * <p>It records the ops of the thread that opened it. Time is wall time on that thread (kernels an
 * op splits over the pool count once, on the caller). Self time is total time minus the time of ops nested inside it. FLOPs and
 * bytes follow {@link OpTrace}'s counting. One profiler records at a time; with none open, each of
 * the engine's hooks costs a field read.
 */
public final class Profiler implements AutoCloseable {
  /** One op call: its name, the thread, start and end (ns, {@link System#nanoTime}), self time, FLOPs and bytes. */
  public record Event(String name, long thread, long startNanos, long endNanos, long selfNanos, double flops,
      double bytes) {
    /** End minus start, in ns. */
    public long totalNanos() {
      return endNanos - startNanos;
    }
  }

  /** The totals of one op kind, as a row of {@link #table()}. */
  public record OpStats(String name, int calls, long totalNanos, long selfNanos, double flops, double bytes) {
    /** FLOPs per second of self time, in GFLOP/s (0 when the op's FLOPs are not counted). */
    public double gflops() {
      return selfNanos == 0 ? 0 : flops / selfNanos;
    }

    /** Bytes per second of self time, in GB/s. */
    public double gbps() {
      return selfNanos == 0 ? 0 : bytes / selfNanos;
    }
  }

  /**
   * The machine's limits the table measures shares against: the FMA peak in GFLOP/s and the
   * memory bandwidth (a copy far larger than the caches) in GB/s, for the pool's thread count.
   */
  public record Peak(double gflops, double gbps) {
    private static volatile Peak measured;

    /**
     * Measures both once per JVM (about half a second): every pool thread runs register-only fused
     * multiply-adds on eight independent vectors, then copies a 64 MiB array twice.
     */
    public static Peak measure() {
      Peak p = measured;
      if (p == null) {
        p = new Peak(fmaPeak(), copyBandwidth());
        measured = p;
      }
      return p;
    }
  }

  private static Profiler active;

  private final Peak peak;
  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private final ThreadLocal<ArrayDeque<Event>> unclaimed = ThreadLocal.withInitial(ArrayDeque::new);
  private final OpTrace.Listener previous;
  private final long origin = System.nanoTime();
  private final Thread owner = Thread.currentThread();
  private boolean open = true;

  private Profiler(Peak peak) {
    this.peak = peak;
    this.previous = OpTrace.setListener(this::record);
  }

  /** Starts recording; shares are against {@link Peak#measure()} (measured when the table is first printed). */
  public static Profiler profile() {
    return profile(null);
  }

  /** Starts recording, with shares against {@code peak} (null: measure it). */
  public static synchronized Profiler profile(Peak peak) {
    if (active != null) {
      throw new IllegalStateException("Profiler: another profiler is still recording; close it first");
    }
    if (!OpTrace.compiledIn()) {
      throw new IllegalStateException("Profiler: the engine's hooks are compiled out (-Ddownhill.profiler=false)");
    }
    active = new Profiler(peak);
    return active;
  }

  /** Stops recording; the results stay readable. */
  @Override
  public void close() {
    synchronized (Profiler.class) {
      if (open) {
        OpTrace.setListener(previous);
        open = false;
        active = null;
      }
    }
  }

  private void record(String name, long start, long end, double flops, double bytes) {
    if (Thread.currentThread() != owner) {
      return; // another thread's ops (a test running beside it, a loader thread) are not this loop's
    }
    // Events arrive as they end, so the ones nested in this op have already arrived since it began.
    ArrayDeque<Event> stack = unclaimed.get();
    long children = 0;
    while (!stack.isEmpty() && stack.peek().startNanos() >= start) {
      children += stack.pop().totalNanos();
    }
    Event e = new Event(name, owner.threadId(), start, end, end - start - children, flops, bytes);
    stack.push(e);
    events.add(e);
  }

  /** Every op call recorded, in the order they ended. */
  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** One row per op kind, the largest total time first, like {@code key_averages()}. */
  public List<OpStats> keyAverages() {
    Map<String, long[]> times = new LinkedHashMap<>();
    Map<String, double[]> work = new LinkedHashMap<>();
    for (Event e : events()) {
      long[] t = times.computeIfAbsent(e.name(), k -> new long[3]);
      t[0]++;
      t[1] += e.totalNanos();
      t[2] += e.selfNanos();
      double[] w = work.computeIfAbsent(e.name(), k -> new double[2]);
      w[0] += e.flops();
      w[1] += e.bytes();
    }
    List<OpStats> out = new ArrayList<>();
    times.forEach((name, t) -> out.add(new OpStats(name, (int) t[0], t[1], t[2], work.get(name)[0], work.get(name)[1])));
    out.sort(Comparator.comparingLong(OpStats::totalNanos).reversed());
    return out;
  }

  /**
   * The table of {@link #keyAverages()}: calls, self and total time, self share, FLOPs, GFLOP/s and
   * its share of the FMA peak, bytes, GB/s and its share of the copy bandwidth.
   */
  public String table() {
    Peak p = peak != null ? peak : Peak.measure();
    List<OpStats> rows = keyAverages();
    long allSelf = rows.stream().mapToLong(OpStats::selfNanos).sum();
    int w = Math.max(24, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0) + 2);
    StringBuilder sb = new StringBuilder();
    String head = String.format(Locale.ROOT, "%-" + w + "s %7s %11s %11s %7s %10s %9s %7s %10s %8s %7s%n", "Name", "Calls",
        "Self ms", "Total ms", "Self %", "FLOPs", "GFLOP/s", "% peak", "Bytes", "GB/s", "% peak");
    String rule = "-".repeat(head.length() - 1) + "\n";
    sb.append(rule).append(head).append(rule);
    for (OpStats r : rows) {
      sb.append(String.format(Locale.ROOT, "%-" + w + "s %7d %11.3f %11.3f %6.1f%% %10s %9s %7s %10s %8.2f %6.1f%%%n",
          r.name(), r.calls(), r.selfNanos() / 1e6, r.totalNanos() / 1e6, 100.0 * r.selfNanos() / Math.max(1, allSelf),
          r.flops() == 0 ? "-" : si(r.flops()), r.flops() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.gflops()),
          r.flops() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.gflops() / p.gflops()), si(r.bytes()),
          r.gbps(), 100 * r.gbps() / p.gbps()));
    }
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, "Self time total: %.3f ms; peak %.1f GFLOP/s (FMA), %.1f GB/s (copy), %d thread%s%n",
        allSelf / 1e6, p.gflops(), p.gbps(), Parallel.threads(), Parallel.threads() == 1 ? "" : "s"));
    return sb.toString();
  }

  private static String si(double v) {
    if (v >= 1e9) {
      return String.format(Locale.ROOT, "%.2fG", v / 1e9);
    }
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.2fK", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /**
   * The events in Chrome's trace format ({@code chrome://tracing}, Perfetto): one complete ("X")
   * event per op call, times in µs from the profiler's start, FLOPs and bytes as arguments.
   */
  public String chromeTrace() {
    StringBuilder sb = new StringBuilder("{\"displayTimeUnit\": \"ms\", \"traceEvents\": [");
    List<Event> all = events();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
          "{\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"pid\": 1, \"tid\": %d,"
              + " \"args\": {\"flops\": %.0f, \"bytes\": %.0f}}",
          e.name().replace("\\", "\\\\").replace("\"", "\\\""), e.name().endsWith(" backward") ? "backward" : "forward",
          (e.startNanos() - origin) / 1e3, e.totalNanos() / 1e3, e.thread(), e.flops(), e.bytes()));
    }
    return sb.append("\n]}\n").toString();
  }

  /** Writes {@link #chromeTrace()} to {@code path} (through a temporary file moved into place). */
  public void exportChromeTrace(Path path) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, chromeTrace(), StandardCharsets.UTF_8);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------- the machine's limits

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Register-only FMAs on eight independent accumulators per thread, all pool threads at once. */
  private static double fmaPeak() {
    int threads = Parallel.threads();
    long iters = 4_000_000;
    double best = 0;
    for (int round = 0; round < 5; round++) { // the first rounds run before C2 has compiled the loop
      float[] sink = new float[threads];
      long t0 = System.nanoTime();
      Parallel.forRange(threads, 1, (from, to) -> {
        for (int t = from; t < to; t++) {
          sink[t] = fmaLoop(iters, t);
        }
      });
      double secs = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, threads * iters * 8.0 * S.length() * 2 / secs / 1e9);
      if (sink[0] == 42f) {
        best += 0; // keeps the results alive
      }
    }
    return best;
  }

  private static float fmaLoop(long iters, int seed) {
    FloatVector a = FloatVector.broadcast(S, 1f + seed * 1e-7f);
    FloatVector b = FloatVector.broadcast(S, 0.999999f);
    FloatVector c0 = FloatVector.broadcast(S, 0.1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(b, a);
      c1 = c1.fma(b, a);
      c2 = c2.fma(b, a);
      c3 = c3.fma(b, a);
      c4 = c4.fma(b, a);
      c5 = c5.fma(b, a);
      c6 = c6.fma(b, a);
      c7 = c7.fma(b, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }

  /** A 64 MiB copy split over the pool, best of three: bytes read plus bytes written per second. */
  private static double copyBandwidth() {
    int n = 16 << 20;
    float[] src = new float[n];
    float[] dst = new float[n];
    double best = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      Parallel.forRange(n, 1 << 20, (from, to) -> System.arraycopy(src, from, dst, from, to - from));
      best = Math.max(best, 8.0 * n / (System.nanoTime() - t0));
    }
    return best;
  }
}
