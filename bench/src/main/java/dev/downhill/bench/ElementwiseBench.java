package dev.downhill.bench;

import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Reductions;
import dev.downhill.kernels.ScalarElementwise;
import dev.downhill.kernels.ScalarReductions;
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
 * Elementwise kernels beside their scalar twins, one thread. Time per call: divide the bytes moved
 * (add: 12·n, exp: 8·n, sum: 4·n) by it for GB/s. n = 4096 stays in L1/L2 and shows the arithmetic;
 * n = 4M (48 MiB for add) is beyond the 32 MiB L3 and shows memory bandwidth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ElementwiseBench {
  @Param({"4096", "4194304"})
  int n;

  float[] a;
  float[] b;
  float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    a = new float[n];
    b = new float[n];
    out = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-4, 4);
      b[i] = (float) r.nextDouble(0.5, 4);
    }
  }

  @Benchmark
  public float[] addSimd() {
    Elementwise.add(a, 0, b, 0, out, 0, n);
    return out;
  }

  @Benchmark
  public float[] addScalar() {
    ScalarElementwise.add(a, 0, b, 0, out, 0, n);
    return out;
  }

  @Benchmark
  public float[] expSimd() {
    Elementwise.exp(a, 0, out, 0, n);
    return out;
  }

  @Benchmark
  public float[] expScalar() {
    ScalarElementwise.exp(a, 0, out, 0, n);
    return out;
  }

  @Benchmark
  public float sumSimd() {
    return Reductions.sum(a, 0, n);
  }

  @Benchmark
  public float sumScalar() {
    return ScalarReductions.sum(a, 0, n);
  }
}
