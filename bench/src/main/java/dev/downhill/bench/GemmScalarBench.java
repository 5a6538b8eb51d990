package dev.downhill.bench;

import dev.downhill.kernels.ScalarGemm;
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
 * The baseline: {@link ScalarGemm}'s textbook triple loop, one thread, on the shapes of
 * {@link GemmBench} (2048 left out: one call takes about a minute). Fewer iterations than GemmBench
 * because one call at 1024 takes seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmScalarBench {
  @Param({"64", "128", "256", "512", "1024", "10x100x500", "10x500x500", "256x784x1024"})
  String shape;

  @Param({"NN"})
  String op;

  GemmBench.Problem p;

  @Setup(Level.Trial)
  public void setUp() {
    p = GemmBench.Problem.of(shape, op);
  }

  @Benchmark
  public float[] tripleLoop() {
    ScalarGemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a, 0, p.lda, p.b, 0, p.ldb, 0f, p.c, 0, p.n);
    return p.c;
  }
}
