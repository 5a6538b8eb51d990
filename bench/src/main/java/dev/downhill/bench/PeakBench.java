package dev.downhill.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
 * The machine's own FMA peak on one core: twelve independent chains of vector fused multiply-adds,
 * no memory traffic, so the two FMA units are the only limit. The score is nanoseconds per vector FMA;
 * FLOP/s = 2·lanes / score, and peak ÷ 32 (Zen 3: two 8-lane FMA units, 2 FLOP each) is the clock.
 * This is the "peak" that GEMM's share is quoted against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class PeakBench {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int STEPS = 1 << 14;
  static final int CHAINS = 12;

  float x = 0.999f;
  float y = 1e-4f;

  /** Score: time per single vector FMA. Lanes per vector: {@link FloatVector#SPECIES_PREFERRED}. */
  @Benchmark
  @OperationsPerInvocation(STEPS * CHAINS)
  public float fmaThroughput() {
    FloatVector m = FloatVector.broadcast(S, x);
    FloatVector a = FloatVector.broadcast(S, y);
    FloatVector c0 = a, c1 = a.add(1), c2 = a.add(2), c3 = a.add(3), c4 = a.add(4), c5 = a.add(5);
    FloatVector c6 = a.add(6), c7 = a.add(7), c8 = a.add(8), c9 = a.add(9), c10 = a.add(10), c11 = a.add(11);
    for (int i = 0; i < STEPS; i++) {
      c0 = m.fma(a, c0);
      c1 = m.fma(a, c1);
      c2 = m.fma(a, c2);
      c3 = m.fma(a, c3);
      c4 = m.fma(a, c4);
      c5 = m.fma(a, c5);
      c6 = m.fma(a, c6);
      c7 = m.fma(a, c7);
      c8 = m.fma(a, c8);
      c9 = m.fma(a, c9);
      c10 = m.fma(a, c10);
      c11 = m.fma(a, c11);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
