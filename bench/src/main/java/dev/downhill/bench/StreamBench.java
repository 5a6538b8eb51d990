package dev.downhill.bench;

import dev.downhill.kernels.Parallel;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
 * The machine's memory bandwidth, STREAM-style, as the yardstick for memory-bound kernels: copy
 * ({@code b = a}, 8 bytes per element) and triad ({@code a = b + s·c}, 12 bytes per element) on
 * arrays of n = 16M floats by default (64 MiB each, twice a Zen 3's 32 MiB L3; the report passes
 * {@code -p n=67108864}, 256 MiB each, for CPUs with larger caches), split over {@link Parallel} like the
 * engine's own element-wise passes. GB/s = bytes per element · n / time per call; the engine's targets
 * (relu, add, mul at 80 % or more of copy on 2 threads) compare against {@code copy} at threads = 2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class StreamBench {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Elements per parallel range, as the engine's activations use. */
  private static final int GRAIN = 1 << 15;

  @Param({"16777216"})
  int n;

  @Param({"1", "2"})
  int threads;

  float[] a;
  float[] b;
  float[] c;
  float[] d;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    a = new float[n];
    b = new float[n];
    c = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 7;
      c[i] = i % 5;
    }
    d = new float[n];
  }

  /** b = a: 8 bytes per element. */
  @Benchmark
  public float[] copy() {
    Parallel.forRange(n, GRAIN, (from, to) -> System.arraycopy(a, from, b, from, to - from));
    return b;
  }

  /** a = b + 3·c: 12 bytes per element (STREAM's triad; the write-allocate read of a is not counted). */
  @Benchmark
  public float[] triad() {
    Parallel.forRange(n, GRAIN, (from, to) -> triad(b, c, 3f, a, from, to));
    return a;
  }

  /** m = 0.9·m + 0.1·g, v = 0.999·v + g·g, p = p − 0.001·m over p = a, g = c, m = b, v = d: 28 bytes per element. */
  @Benchmark
  public float[] fourReadsThreeWrites() {
    Parallel.forRange(n, GRAIN, (from, to) -> fourThree(a, c, b, d, from, to));
    return a;
  }

  private static void fourThree(float[] p, float[] g, float[] m, float[] v, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      FloatVector gi = FloatVector.fromArray(S, g, i);
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(0.9f).add(gi.mul(0.1f));
      FloatVector vi = gi.fma(gi, FloatVector.fromArray(S, v, i).mul(0.999f));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      mi.mul(-0.001f).add(FloatVector.fromArray(S, p, i)).intoArray(p, i);
    }
    for (; i < to; i++) {
      m[i] = 0.9f * m[i] + 0.1f * g[i];
      v[i] = g[i] * g[i] + 0.999f * v[i];
      p[i] = m[i] * -0.001f + p[i];
    }
  }

  private static void triad(float[] x, float[] y, float s, float[] out, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      FloatVector.fromArray(S, y, i).mul(s).add(FloatVector.fromArray(S, x, i)).intoArray(out, i);
    }
    for (; i < to; i++) out[i] = x[i] + s * y[i];
  }
}
