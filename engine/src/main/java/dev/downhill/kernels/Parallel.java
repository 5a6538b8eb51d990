package dev.downhill.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The engine's one shared thread pool. Kernels that are worth splitting (matmul, large element-wise
 * passes, optimizer steps) hand contiguous ranges of their <em>output</em> to it, never pieces of a
 * reduction, so a result is bit-identical for every thread count.
 *
 * <p>The size comes from the system property {@code downhill.threads} (default: the number of
 * available processors) and can be changed at run time with {@link #setThreads(int)}. With one thread,
 * or when the work is smaller than one grain, the body runs on the calling thread and no task is
 * created. The caller always runs the first range itself; the others go to the pool's daemon threads.
 * Calls from inside a pool thread run serially, so nested parallel kernels cannot deadlock.
 */
public final class Parallel {
  /** The work of one range: called once per chunk with {@code from < to}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private static volatile int threads = initialThreads();
  private static volatile ForkJoinPool pool;

  private Parallel() {}

  private static int initialThreads() {
    String value = System.getProperty("downhill.threads");
    if (value == null || value.isBlank()) return Runtime.getRuntime().availableProcessors();
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "downhill.threads: expected a whole number >= 1, got '" + value + "'");
    }
  }

  /** The number of threads a parallel kernel uses (the caller included). */
  public static int threads() {
    return threads;
  }

  /** Sets the number of threads for all later kernel calls; {@code n >= 1}. */
  public static synchronized void setThreads(int n) {
    if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected n >= 1, got " + n);
    threads = n;
  }

  private static ForkJoinPool pool(int parallelism) {
    ForkJoinPool p = pool;
    if (p != null && p.getParallelism() >= parallelism) return p;
    synchronized (Parallel.class) {
      p = pool;
      if (p == null || p.getParallelism() < parallelism) {
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = fj -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
          t.setName("downhill-" + t.getPoolIndex());
          t.setDaemon(true);
          return t;
        };
        ForkJoinPool old = p;
        p = new ForkJoinPool(parallelism, factory, null, false);
        pool = p;
        if (old != null) old.shutdown();
      }
      return p;
    }
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges of
   * at least {@code grain} elements each (the last range may be shorter only when it is the sole
   * one), and returns when all are done. Ranges start at multiples of {@code grain}, so a body that
   * needs aligned starts (whole tiles) gets them. An exception in any range is rethrown here.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    if (n <= 0) return;
    if (grain < 1) throw new IllegalArgumentException("Parallel.forRange: grain must be >= 1, got " + grain);
    int grains = (int) (((long) n + grain - 1) / grain);
    int chunks = Math.min(threads, grains);
    if (chunks <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
      body.run(0, n);
      return;
    }
    ForkJoinPool p = pool(chunks - 1);
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = bound(c, chunks, grains, grain, n);
      int to = bound(c + 1, chunks, grains, grain, n);
      tasks[c - 1] = p.submit(() -> body.run(from, to));
    }
    RuntimeException failure = null;
    try {
      body.run(0, bound(1, chunks, grains, grain, n));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (ForkJoinTask<?> t : tasks) {
      try {
        t.join();
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
      }
    }
    if (failure != null) throw failure;
  }

  /** Start of chunk {@code c} of {@code chunks}: whole grains shared out as evenly as possible. */
  private static int bound(int c, int chunks, int grains, int grain, int n) {
    long g = (long) grains * c / chunks;
    return (int) Math.min((long) n, g * grain);
  }
}
