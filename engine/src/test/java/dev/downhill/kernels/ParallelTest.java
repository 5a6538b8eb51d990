package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Property(tries = 200)
  void rangesCoverEachIndexOnceAndStartOnWholeGrains(
      @ForAll @IntRange(min = 0, max = 5000) int n,
      @ForAll @IntRange(min = 1, max = 700) int grain,
      @ForAll @IntRange(min = 1, max = 5) int threads) {
    int before = Parallel.threads();
    Parallel.setThreads(threads);
    try {
      int[] hits = new int[n];
      List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
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
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void workRunsOnSeveralThreadsWhenAsked() {
    int before = Parallel.threads();
    Parallel.setThreads(2);
    try {
      Set<String> names = ConcurrentHashMap.newKeySet();
      Parallel.forRange(2, 1, (from, to) -> {
        names.add(Thread.currentThread().getName());
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertEquals(2, names.size(), names.toString());
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void anExceptionInAnyRangeReachesTheCaller() {
    int before = Parallel.threads();
    Parallel.setThreads(2);
    try {
      var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 10, (from, to) -> {
        if (from > 0) throw new IllegalStateException("boom at " + from);
      }));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
    } finally {
      Parallel.setThreads(before);
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
