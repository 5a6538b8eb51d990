package dev.downhill.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one shared thread pool. Kernels that are worth splitting (matmul, large element-wise
 * passes, optimizer steps) hand contiguous ranges of their <em>output</em> to it, or pieces of a
 * reduction that are combined afterwards in the order one thread would combine them (the k blocks
 * of a few-rows matrix product), so a result is bit-identical for every thread count.
 *
 * <p>The size comes from the system property {@code downhill.threads} (default: the number of
 * available processors) and can be changed at run time with {@link #setThreads(int)}. With one thread,
 * or when the work is smaller than one grain, the body runs on the calling thread and nothing is
 * handed off. Otherwise the ranges are fixed up front and the caller and the pool's daemon threads
 * ({@code downhill-1}, ...) claim them one at a time, so a worker that is slow to wake costs at most
 * the time of running serially: the caller takes its range too.
 *
 * <p>Idle workers spin for {@link #SPIN_NANOS}, then yield the processor until {@link #YIELD_NANOS},
 * and only then park, as OpenMP runtimes do. A kernel called soon after another hands off in about a
 * microsecond instead of the tens to hundreds of microseconds a park and wake-up cost on a virtual
 * machine (an empty two-range call: 1.5 µs against 62 µs with a {@code ForkJoinPool}). The price is
 * up to a millisecond of one busy core after each parallel call, given up to any other thread that
 * wants it once the first 50 µs are over.
 *
 * <p>The pool serves one call at a time. A call made while it is busy (from another thread, or from
 * inside a range) runs serially on its own thread, so nested parallel kernels cannot deadlock and
 * concurrent callers still finish.
 */
public final class Parallel {
  /** The work of one range: called once per chunk with {@code from < to}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private static volatile int threads = initialThreads();
  private static volatile Pool pool;
  /** How long an idle worker, or a caller waiting for the workers, spins on a pause instruction. */
  static final long SPIN_NANOS = 50_000;
  /** How long it waits in all, spinning and then yielding, before it parks. */
  static final long YIELD_NANOS = 1_000_000;

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
    int t = threads;
    int chunks = Math.min(t, grains);
    if (chunks > 1 && !(Thread.currentThread() instanceof Worker)) {
      Pool p = pool(t - 1);
      if (p.tryRun(new Job(body, n, grain, grains, chunks))) return;
    }
    body.run(0, n);
  }

  /** How many worker threads the current pool has (0 before the first parallel call); for tests. */
  static int workerCount() {
    Pool p = pool;
    return p == null ? 0 : p.workers.length;
  }

  /** The pool, grown (replaced by a larger one) when a call needs more workers than it has. */
  private static Pool pool(int workers) {
    Pool p = pool;
    if (p != null && p.workers.length >= workers) return p;
    synchronized (Parallel.class) {
      p = pool;
      if (p == null || p.workers.length < workers) {
        Pool old = p;
        p = new Pool(workers);
        pool = p;
        if (old != null) old.retire();
      }
      return p;
    }
  }

  /**
   * One call of {@link #forRange}: its ranges, which any thread of the pool (the caller included)
   * claims one at a time until none is left. Each thread first claims the range of its own number
   * (the caller 0, worker {@code downhill-w} range w), so that calls with the same ranges give each
   * thread the same part of the data every time: what a thread wrote stays in its core's cache
   * for the next kernel that reads it. (Data written by the other core costs a transfer between the
   * cores' caches: on two threads, a 10×500·500 product whose B had just been rewritten by a split
   * unlike the product's own ran 2.3–2.6× slower than one whose B was rewritten by a split like
   * its own, issue 16; {@code GemmSplitBench}.) A worker that wakes late finds its range already
   * done by the caller, so a parallel call never takes much longer than running it serially would.
   */
  private static final class Job {
    final RangeBody body;
    final int n, grain, grains, chunks;
    /** Which ranges have been claimed (1) so far. */
    final AtomicIntegerArray claimed;
    final AtomicInteger finished = new AtomicInteger();
    final Thread caller = Thread.currentThread();
    /** Set while the caller is parked waiting for the last range to finish. */
    volatile boolean callerParked;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(RangeBody body, int n, int grain, int grains, int chunks) {
      this.body = body;
      this.n = n;
      this.grain = grain;
      this.grains = grains;
      this.chunks = chunks;
      this.claimed = new AtomicIntegerArray(chunks);
    }

    /**
     * Runs range {@code self} if nobody has claimed it yet, then claims and runs the others that are
     * left, from the last down (the ranges whose owners were woken last), recording rather than
     * throwing what they throw. A worker with no range of its own (the job has fewer ranges than
     * the pool has threads) takes none: it would take an owner's range, and with it the owner's
     * data; an owner that is slow to wake has its range run by the caller instead.
     */
    void runRanges(int self) {
      if (self >= chunks) return;
      runIfFree(self);
      for (int c = chunks - 1; c >= 0; c--) runIfFree(c);
    }

    private void runIfFree(int c) {
      if (claimed.get(c) != 0 || !claimed.compareAndSet(c, 0, 1)) return;
      try {
        body.run(bound(c, chunks, grains, grain, n), bound(c + 1, chunks, grains, grain, n));
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
      if (finished.incrementAndGet() == chunks && callerParked) LockSupport.unpark(caller);
    }

    boolean done() {
      return finished.get() == chunks;
    }
  }

  /** The worker threads and the job they run; see the class comment for how they wait. */
  private static final class Pool {
    final Worker[] workers;
    /** Held by the one caller whose job the workers run; a second caller runs its work serially. */
    final AtomicBoolean busy = new AtomicBoolean();
    volatile Job job;
    volatile boolean retired;
    /** Read by the workers: set once, when they are to end. */
    volatile boolean shutdown;

    Pool(int size) {
      workers = new Worker[size];
      for (int i = 0; i < size; i++) {
        workers[i] = new Worker(this, i + 1);
        workers[i].start();
      }
    }

    /** Runs the job on the caller and the workers; false (nothing run) when another caller has the pool. */
    boolean tryRun(Job j) {
      if (!busy.compareAndSet(false, true)) return false;
      if (retired) {
        stopWorkers(); // busy stays set: a retired pool takes no more jobs
        return false;
      }
      try {
        job = j;
        for (int w = 0; w < j.chunks - 1; w++) {
          if (workers[w].parked) LockSupport.unpark(workers[w]);
        }
        j.runRanges(0);
        awaitWorkers(j);
      } finally {
        busy.set(false);
        if (retired && busy.compareAndSet(false, true)) stopWorkers();
      }
      Throwable t = j.failure.get();
      if (t instanceof RuntimeException e) throw e;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException("Parallel.forRange: a range failed", t);
      return true;
    }

    private static void awaitWorkers(Job j) {
      long start = System.nanoTime();
      for (int spins = 0; !j.done(); spins++) {
        if (keepSpinning(spins, start)) continue;
        j.callerParked = true;
        while (!j.done()) LockSupport.park(j);
        j.callerParked = false;
      }
    }

    /**
     * Replaced by a larger pool: its workers end once no job is running. Whoever holds {@link #busy}
     * when the pool is retired stops them on release, so a job in flight (even one whose range grew
     * the pool from inside) always finishes.
     */
    void retire() {
      retired = true;
      if (busy.compareAndSet(false, true)) stopWorkers();
    }

    /** Only with {@link #busy} held, so no job is running. */
    private void stopWorkers() {
      shutdown = true;
      for (Worker w : workers) LockSupport.unpark(w);
    }
  }

  /**
   * One turn of a wait loop that began at {@code start}: a pause instruction, a yield of the processor
   * once the wait is past {@link #SPIN_NANOS}, and false (park now) once it is past {@link #YIELD_NANOS}.
   * The clock is read every 64 turns.
   */
  private static boolean keepSpinning(int spins, long start) {
    if ((spins & 63) != 0) {
      Thread.onSpinWait();
      return true;
    }
    long waited = System.nanoTime() - start;
    if (waited < SPIN_NANOS) {
      Thread.onSpinWait();
      return true;
    }
    if (waited < YIELD_NANOS) {
      Thread.yield();
      return true;
    }
    return false;
  }

  private static final class Worker extends Thread {
    final Pool pool;
    /** 1, 2, ...: the range of a job this worker claims first. */
    final int number;
    volatile boolean parked;

    Worker(Pool pool, int number) {
      super("downhill-" + number);
      this.pool = pool;
      this.number = number;
      setDaemon(true);
    }

    @Override
    public void run() {
      Job last = null;
      while (true) {
        Job j = awaitJob(last);
        if (j == null) return;
        last = j;
        j.runRanges(number);
      }
    }

    /** The next job after {@code last}, or null once the pool is shut down. */
    private Job awaitJob(Job last) {
      long start = System.nanoTime();
      for (int spins = 0; ; spins++) {
        Job j = pool.job;
        if (j != last) return j;
        if (pool.shutdown) return null;
        if (keepSpinning(spins, start)) continue;
        parked = true;
        // Read the job again after announcing the park: a caller that published before seeing
        // `parked` is caught here, one that publishes after it will unpark this thread.
        if (pool.job == last && !pool.shutdown) LockSupport.park(this);
        parked = false;
        start = System.nanoTime();
      }
    }
  }

  /** Start of chunk {@code c} of {@code chunks}: whole grains shared out as evenly as possible. */
  private static int bound(int c, int chunks, int grains, int grain, int n) {
    long g = (long) grains * c / chunks;
    return (int) Math.min((long) n, g * grain);
  }
}
