package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallelTest {

  @Property(tries = 200)
  void rangesCoverEachIndexOnceAndStartOnWholeGrains(
      @ForAll @IntRange(min = 0, max = 5000) int n,
      @ForAll @IntRange(min = 1, max = 700) int grain,
      @ForAll @IntRange(min = 1, max = 5) int threads) throws Exception {
    withThreads(threads, () -> {
      int[] hits = new int[n];
      List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
      Parallel.forRange(n, grain, (from, to) -> {
        ranges.add(new int[] {from, to});
        for (int i = from; i < to; i++) hits[i]++;
      });
      for (int i = 0; i < n; i++) assertEquals(1, hits[i], "index " + i);
      assertTrue(ranges.size() <= threads, ranges.size() + " ranges for " + threads + " threads");
      for (int[] r : ranges) {
        assertTrue(r[0] < r[1], "empty range");
        assertEquals(0, r[0] % grain, "range start " + r[0] + " is not a multiple of grain " + grain);
      }
    });
  }

  @Test
  void workRunsOnSeveralThreadsWhenAsked() throws Exception {
    withThreads(2, () -> {
      Set<String> names = ConcurrentHashMap.newKeySet();
      // Each range waits for the other to start, so they cannot both run on one thread.
      var bothStarted = new CountDownLatch(2);
      Parallel.forRange(2, 1, (from, to) -> {
        names.add(Thread.currentThread().getName());
        bothStarted.countDown();
        try {
          assertTrue(bothStarted.await(20, TimeUnit.SECONDS), "the other range never started");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertEquals(2, names.size(), names.toString());
    });
  }

  /**
   * Each thread takes the range of its own number first (the caller 0, downhill-1 range 1), so calls
   * with the same ranges give each core the same part of the data every time; with more threads
   * than ranges, the spare worker (downhill-2) takes none.
   */
  @Property(tries = 4)
  void eachThreadTakesItsOwnRangeFirst(@ForAll @IntRange(min = 2, max = 3) int threads) throws Exception {
    withThreads(threads, () -> {
      String caller = Thread.currentThread().getName();
      for (int call = 0; call < 20; call++) {
        String[] ranBy = new String[2];
        // Each range waits for the other to start, so neither thread can run both.
        var bothStarted = new CountDownLatch(2);
        Parallel.forRange(2, 1, (from, to) -> {
          ranBy[from] = Thread.currentThread().getName();
          bothStarted.countDown();
          awaitQuietly(bothStarted);
        });
        assertEquals(caller, ranBy[0], "range 0, call " + call);
        assertEquals("downhill-1", ranBy[1], "range 1, call " + call);
      }
    });
  }

  @Test
  void anExceptionInAnyRangeReachesTheCaller() throws Exception {
    withThreads(2, () -> {
      var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 10, (from, to) -> {
        if (from > 0) throw new IllegalStateException("boom at " + from);
      }));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
    });
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anErrorInAWorkersRangeReachesTheCallerAsItself() throws Exception {
    withThreads(2, () -> {
      // Range 0 waits until range 1 has started, so the two run on different threads.
      var started = new CountDownLatch(1);
      var e = assertThrows(AssertionError.class, () -> Parallel.forRange(2, 1, (from, to) -> {
        if (from == 1) {
          started.countDown();
          throw new AssertionError("range 1 failed");
        }
        awaitQuietly(started);
      }));
      assertEquals("range 1 failed", e.getMessage());
    });
  }

  @Property(tries = 20)
  void concurrentCallersEachCoverTheirWholeRange(
      @ForAll @IntRange(min = 1, max = 4) int callers,
      @ForAll @IntRange(min = 1, max = 3000) int n,
      @ForAll @IntRange(min = 1, max = 100) int grain) throws Exception {
    withThreads(2, () -> {
      var pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
          results.add(pool.submit(() -> {
            int[] hits = new int[n];
            for (int call = 0; call < 50; call++) {
              Parallel.forRange(n, grain, (from, to) -> {
                for (int i = from; i < to; i++) hits[i]++;
              });
            }
            return hits;
          }));
        }
        for (var r : results) {
          int[] hits = r.get(30, TimeUnit.SECONDS);
          for (int i = 0; i < n; i++) assertEquals(50, hits[i], "index " + i);
        }
      } finally {
        pool.shutdownNow();
      }
    });
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void nestedCallsRunSeriallyAndFinish() throws Exception {
    withThreads(2, () -> {
      int[] hits = new int[40 * 30];
      Parallel.forRange(40, 1, (from, to) -> {
        for (int row = from; row < to; row++) {
          int r = row;
          Parallel.forRange(30, 1, (f, t) -> {
            for (int j = f; j < t; j++) hits[r * 30 + j]++;
          });
        }
      });
      for (int i = 0; i < hits.length; i++) assertEquals(1, hits[i], "index " + i);
    });
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void morePoolThreadsAskedForFromInsideARangeStillFinish() throws Exception {
    withThreads(2, () -> {
      int[] hits = new int[1000];
      Thread caller = Thread.currentThread();
      var grew = new AtomicBoolean();
      var nestedOnce = new AtomicBoolean();
      Parallel.forRange(2, 1, (from, to) -> {
        // A loaded machine can leave the worker asleep so that the caller claims both ranges:
        // only the caller's first range makes the nested call.
        if (Thread.currentThread() != caller || !nestedOnce.compareAndSet(false, true)) {
          sleepQuietly(50); // so that the caller claims the other range
          return;
        }
        // The pool is busy with this very call: the larger pool built now serves the nested call,
        // and the old one must let this call finish before its workers end.
        Parallel.setThreads(Parallel.workerCount() + 2);
        Parallel.forRange(hits.length, 1, (f, t) -> {
          for (int i = f; i < t; i++) hits[i]++;
        });
        grew.set(true);
      });
      assertTrue(grew.get(), "no range ran on the calling thread");
      assertEquals(Parallel.threads() - 1, Parallel.workerCount(), "the pool did not grow");
      for (int i = 0; i < hits.length; i++) assertEquals(1, hits[i], "index " + i);
      Parallel.forRange(hits.length, 1, (f, t) -> {
        for (int i = f; i < t; i++) hits[i]++;
      });
      for (int i = 0; i < hits.length; i++) assertEquals(2, hits[i], "index " + i);
    });
  }

  /** Runs {@code body} with the pool set to {@code n} threads, then restores the previous count. */
  private static void withThreads(int n, Body body) throws Exception {
    int before = Parallel.threads();
    Parallel.setThreads(n);
    try {
      body.run();
    } finally {
      Parallel.setThreads(before);
    }
  }

  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void badArgumentsAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    assertEquals("Parallel.setThreads: expected n >= 1, got 0", e.getMessage());
    var g = assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(10, 0, (a, b) -> {}));
    assertEquals("Parallel.forRange: grain must be >= 1, got 0", g.getMessage());
  }
}
