package dev.downhill.kernels;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What data the other core wrote costs a product: the 8.5 MLP's input gradient g·W (10×500·500×500,
 * B not transposed) on two threads, its B rewritten before every call the way an optimizer step
 * rewrites a weight, split by k ({@link Gemm#directSplitK}, each thread reading the rows of W it
 * wrote) or by columns (each thread reading half of every row).
 *
 * <ul>
 *   <li>{@code rewrite = none}: W is not touched between calls; it stays in both cores' caches.
 *   <li>{@code rewrite = rows}: before each call the two threads negate W's elements, each its half
 *       of the rows ({@link OptimizerKernels#adamGroup}'s split of a tensor), as Adam updates it.
 * </ul>
 * The rewrite runs in a per-invocation setup, outside the timed call; JMH's per-invocation timestamps
 * cost well under a microsecond against the product's tens. It lives in the kernels package for
 * {@code Gemm.setSplitKForTests}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Ddownhill.gemm.coldCalls=0"})
public class GemmSplitBench {
  @Param({"k", "columns"})
  String split;

  @Param({"none", "rows"})
  String rewrite;

  static final int M = 10;
  static final int K = 500;
  static final int N = 500;
  float[] g;
  float[] w;
  float[] c;
  int threadsBefore;
  boolean splitBefore;

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(2);
    splitBefore = Gemm.setSplitKForTests(split.equals("k"));
    Random r = new Random(1);
    g = new float[M * K];
    w = new float[K * N];
    c = new float[M * N];
    for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
    Gemm.setSplitKForTests(splitBefore);
  }

  @Setup(Level.Invocation)
  public void rewriteWeight() {
    if (!rewrite.equals("rows")) return;
    float[] x = w;
    Parallel.forRange(2, 1, (from, to) -> {
      for (int t = from; t < to; t++) {
        for (int i = OptimizerKernels.part(x.length, t, 2), end = OptimizerKernels.part(x.length, t + 1, 2); i < end; i++) {
          x[i] = -x[i];
        }
      }
    });
  }

  @Benchmark
  public float[] product() {
    Gemm.sgemm(false, false, M, N, K, 1f, g, 0, K, w, 0, N, 0f, c, 0, N);
    return c;
  }
}
