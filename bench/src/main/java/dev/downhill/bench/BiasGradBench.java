package dev.downhill.bench;

import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.Reductions;
import dev.downhill.kernels.ScalarReductions;
import java.util.Arrays;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bias's gradient, the column sums of the upstream gradient {@code [rows, n]}, for the shapes of
 * the chapters' models (10×500: the 8.5 MLP, batch 10; 256×1024 and 256×10: the 784 MLP, batch 256):
 * {@code simd} is {@link Reductions#sumRows} (each block of columns summed over all rows in
 * registers, stored once), {@code rowByRow} the way it was done before (each row added into the
 * output by {@link Elementwise#addInto}, every vector read back right after it was stored), and
 * {@code scalar} the twin. All three give the same bits. Time per call, on {@code threads} threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BiasGradBench {
  @Param({"10x500", "256x1024", "256x10"})
  String shape;

  @Param({"simd", "rowByRow", "scalar"})
  String impl;

  @Param({"1"})
  int threads;

  int rows;
  int n;
  float[] g;
  float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    String[] rn = shape.split("x");
    rows = Integer.parseInt(rn[0]);
    n = Integer.parseInt(rn[1]);
    SplittableRandom r = new SplittableRandom(1);
    g = new float[rows * n];
    for (int i = 0; i < g.length; i++) g[i] = (float) r.nextDouble(-1, 1);
    out = new float[n];
    Parallel.setThreads(threads);
  }

  @Benchmark
  public float[] sum() {
    switch (impl) {
      case "simd" -> Reductions.sumRows(g, 0, rows, n, out, 0);
      case "rowByRow" -> {
        Arrays.fill(out, 0f);
        for (int i = 0; i < rows; i++) Elementwise.addInto(g, i * n, out, 0, n);
      }
      case "scalar" -> ScalarReductions.sumRows(g, 0, rows, n, out, 0);
      default -> throw new IllegalArgumentException("BiasGradBench: unknown impl '" + impl + "' (simd, rowByRow, scalar)");
    }
    return out;
  }
}
