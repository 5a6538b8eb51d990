package dev.downhill.kernels;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Gemm}'s register tile alone, on packed panels: what the micro-kernel does when nothing around
 * it (packing, C traffic, panels coming from L2 or L3) costs anything. Set beside {@code PeakBench} and
 * {@code GemmBench}, it splits the gap to the FMA peak into "the kernel" and "around the kernel".
 *
 * <p>It lives in the kernels package because the kernel is package-private. Score: nanoseconds per
 * vector FMA (each call is {@code kc · MR · NR / lanes} of them), as in {@code PeakBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmKernelBench {
  /** Depth of one call: 256 k-steps, so the A panels of one call (6 KiB with 6 rows, 12 with 12) and one B panel (16 KiB with AVX-512) fit L1 together. */
  static final int KC = 256;
  /** Calls per invocation, over this many different A panels (all in L1/L2) against one B panel. */
  static final int PANELS = 8;
  /**
   * Rows of C per panel: 12, the AVX-512 tile's MR, done by two calls of the AVX2 tile (MR = 6), so the
   * operation count is a constant whatever the CPU.
   */
  static final int ROWS = 12;
  /** Vector FMAs per panel: each k-step updates ROWS rows of two vectors (NR is two vectors by definition). */
  static final int FMAS_PER_PANEL = KC * ROWS * 2;

  final float[] a = new float[PANELS * ROWS * KC];
  final float[] b = new float[KC * Gemm.NR];
  final float[] c = new float[ROWS * Gemm.NR];

  public GemmKernelBench() {
    Random r = new Random(7);
    for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
    for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
  }

  @Benchmark
  @OperationsPerInvocation(PANELS * FMAS_PER_PANEL)
  public float[] kernelInL1() {
    for (int i = 0; i < PANELS * ROWS / Gemm.MR; i++) {
      Gemm.kernel(KC, a, i * Gemm.MR * KC, b, 0, c, (i % (ROWS / Gemm.MR)) * Gemm.MR * Gemm.NR, Gemm.NR);
    }
    return c;
  }
}
