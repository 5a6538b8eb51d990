package dev.downhill.bench;

import dev.downhill.kernels.Gemm;
import dev.downhill.kernels.Parallel;
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
 * {@link Gemm#sgemm} on square sizes and the chapters' shapes, on 1 and 2 threads. Time per call;
 * GFLOP/s = 2·m·n·k / time. {@code shape} is a side length ("1024") or {@code m x k x n} ("10x100x500":
 * A is [m, k], B is [k, n]); {@code op} is the transposes, e.g. "NT" = A as stored, B transposed.
 * {@code bench/gemm_report.py} runs this beside {@link GemmScalarBench} and NumPy/OpenBLAS and prints
 * the GFLOP/s table with the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBench {
  @Param({"64", "128", "256", "512", "1024", "2048", "10x100x500", "10x500x500", "256x784x1024"})
  String shape;

  @Param({"1", "2"})
  int threads;

  @Param({"NN"})
  String op;

  Problem p;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    p = Problem.of(shape, op);
  }

  @Benchmark
  public float[] sgemm() {
    Gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a, 0, p.lda, p.b, 0, p.ldb, 0f, p.c, 0, p.n);
    return p.c;
  }

  /** Operands for one shape, filled with uniform values in [-1, 1). */
  static final class Problem {
    final int m;
    final int n;
    final int k;
    final boolean transA;
    final boolean transB;
    final int lda;
    final int ldb;
    final float[] a;
    final float[] b;
    final float[] c;

    private Problem(int m, int k, int n, boolean transA, boolean transB) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.transA = transA;
      this.transB = transB;
      lda = transA ? m : k;
      ldb = transB ? k : n;
      SplittableRandom r = new SplittableRandom(42);
      a = new float[m * k];
      b = new float[k * n];
      c = new float[m * n];
      for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
    }

    static Problem of(String shape, String op) {
      String[] d = shape.split("x");
      int m = Integer.parseInt(d[0]);
      int k = d.length == 3 ? Integer.parseInt(d[1]) : m;
      int n = d.length == 3 ? Integer.parseInt(d[2]) : m;
      if (d.length != 1 && d.length != 3 || op.length() != 2) {
        throw new IllegalArgumentException("GemmBench: shape '" + shape + "' or op '" + op + "' not understood");
      }
      return new Problem(m, k, n, op.charAt(0) == 'T', op.charAt(1) == 'T');
    }
  }
}
