package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Softmax} against its twin {@link ScalarSoftmax}: softmax, log-softmax, their backward, and
 * the cross-entropy and NLL row kernels with every option (weights, ignored rows, smoothing,
 * probability targets), on drawn row counts and lengths. They differ only by rounding (SVML's exp, the
 * order of sums), so the comparison is relative: {@code |a − b| ≤ 1e-5·(|b| + scale)}.
 */
class SoftmaxTest {

  record Rows(int rows, int n, float[] x, int xo, float[] g, int[] target, float[] q, float[] weight, float eps) {}

  @Provide
  Arbitrary<Rows> rows() {
    Arbitrary<Integer> counts = Arbitraries.integers().between(1, 6);
    Arbitrary<Integer> lengths = Arbitraries.integers().between(1, 40).edgeCases(c -> c.add(1, 7, 8, 9, 16, 17));
    return Combinators.combine(counts, lengths, Floats.offsets(), Arbitraries.of(true, false), Arbitraries.of(0f, 0.1f, 1f))
        .flatAs((r, n, xo, weighted, eps) -> {
          Arbitrary<float[]> x = Floats.arrays(xo + r * n, Arbitraries.integers().between(-2000, 2000).map(i -> i / 100f));
          Arbitrary<float[]> g = Floats.arrays(r * n, Arbitraries.integers().between(-100, 100).map(i -> i / 50f));
          Arbitrary<int[]> t = Arbitraries.integers().between(-1, n - 1).array(int[].class).ofSize(r);
          Arbitrary<float[]> q = Floats.arrays(r * n, Arbitraries.integers().between(0, 100).map(i -> i / 100f));
          Arbitrary<float[]> w = weighted
              ? Floats.arrays(n, Arbitraries.integers().between(1, 300).map(i -> i / 100f))
              : Arbitraries.just(null);
          return Combinators.combine(x, g, t, q, w).as((xs, gs, ts, qs, ws) -> new Rows(r, n, xs, xo, gs, ts, qs, ws, eps));
        });
  }

  static void assertNear(float[] expected, float[] actual, float scale, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= 1e-5f * (Math.abs(expected[i]) + scale))) {
        fail(what + ": index " + i + ": expected " + expected[i] + ", got " + actual[i]);
      }
    }
  }

  @Property(tries = 300)
  void softmaxAndLogSoftmaxMatchTheTwin(@ForAll("rows") Rows c) {
    int size = c.rows() * c.n();
    float[] e = new float[size], a = new float[size];
    ScalarSoftmax.softmaxRows(c.x(), c.xo(), c.rows(), c.n(), e, 0);
    Softmax.softmaxRows(c.x(), c.xo(), c.rows(), c.n(), a, 0);
    assertNear(e, a, 1e-6f, "softmax");
    float[] eb = new float[size], ab = new float[size];
    ScalarSoftmax.softmaxBackwardRows(e, 0, c.g(), 0, c.rows(), c.n(), eb, 0);
    Softmax.softmaxBackwardRows(e, 0, c.g(), 0, c.rows(), c.n(), ab, 0);
    assertNear(eb, ab, 1f, "softmaxBackward");

    ScalarSoftmax.logSoftmaxRows(c.x(), c.xo(), c.rows(), c.n(), e, 0);
    Softmax.logSoftmaxRows(c.x(), c.xo(), c.rows(), c.n(), a, 0);
    assertNear(e, a, 1f, "logSoftmax");
    ScalarSoftmax.logSoftmaxBackwardRows(e, 0, c.g(), 0, c.rows(), c.n(), eb, 0);
    Softmax.logSoftmaxBackwardRows(e, 0, c.g(), 0, c.rows(), c.n(), ab, 0);
    assertNear(eb, ab, c.n(), "logSoftmaxBackward");
  }

  @Property(tries = 300)
  void crossEntropyAndNllMatchTheTwin(@ForAll("rows") Rows c) {
    int r = c.rows(), n = c.n(), size = r * n;
    float[] scale = c.g().length >= r ? java.util.Arrays.copyOf(c.g(), r) : new float[r];
    float[] el = new float[r], al = new float[r], expLse = new float[2 * r], alse = new float[2 * r];
    float[] eg = new float[size], ag = new float[size];

    ScalarSoftmax.crossEntropyRows(c.x(), c.xo(), n, 0, r, c.target(), c.weight(), c.eps(), el, expLse);
    Softmax.crossEntropyRows(c.x(), c.xo(), n, 0, r, c.target(), c.weight(), c.eps(), al, alse);
    assertNear(el, al, 1f, "crossEntropy");
    ScalarSoftmax.crossEntropyBackwardRows(c.x(), c.xo(), n, 0, r, c.target(), c.weight(), c.eps(), expLse, scale, eg, 0);
    Softmax.crossEntropyBackwardRows(c.x(), c.xo(), n, 0, r, c.target(), c.weight(), c.eps(), alse, scale, ag, 0);
    assertNear(eg, ag, 1f, "crossEntropyBackward");

    ScalarSoftmax.crossEntropyProbRows(c.x(), c.xo(), n, 0, r, c.q(), 0, c.weight(), c.eps(), el, expLse);
    Softmax.crossEntropyProbRows(c.x(), c.xo(), n, 0, r, c.q(), 0, c.weight(), c.eps(), al, alse);
    assertNear(el, al, n, "crossEntropyProb");
    ScalarSoftmax.crossEntropyProbBackwardRows(c.x(), c.xo(), n, 0, r, c.q(), 0, c.weight(), c.eps(), expLse, scale, eg, 0);
    Softmax.crossEntropyProbBackwardRows(c.x(), c.xo(), n, 0, r, c.q(), 0, c.weight(), c.eps(), alse, scale, ag, 0);
    assertNear(eg, ag, n, "crossEntropyProbBackward");

    ScalarSoftmax.nllRows(c.x(), c.xo(), r, n, c.target(), c.weight(), el);
    Softmax.nllRows(c.x(), c.xo(), r, n, c.target(), c.weight(), al);
    Floats.assertClose(el, al, 0, "nll");
    ScalarSoftmax.nllBackwardRows(r, n, c.target(), c.weight(), scale, eg, 0);
    Softmax.nllBackwardRows(r, n, c.target(), c.weight(), scale, ag, 0);
    Floats.assertClose(eg, ag, 0, "nllBackward");
  }

  /** A row range [from, to) writes exactly those rows, so ranges can run on different threads. */
  @Property(tries = 100)
  void rowRangesTouchOnlyTheirRows(@ForAll("rows") Rows c) {
    int r = c.rows(), n = c.n(), from = r / 2;
    float[] loss = new float[r], lse = new float[2 * r], out = new float[r * n];
    java.util.Arrays.fill(loss, 7f);
    java.util.Arrays.fill(out, 7f);
    float[] ones = new float[r];
    java.util.Arrays.fill(ones, 1f);
    Softmax.crossEntropyRows(c.x(), c.xo(), n, from, r, c.target(), c.weight(), c.eps(), loss, lse);
    Softmax.crossEntropyBackwardRows(c.x(), c.xo(), n, from, r, c.target(), c.weight(), c.eps(), lse, ones, out, 0);
    for (int i = 0; i < from; i++) {
      assertEquals(7f, loss[i], "loss row " + i + " outside the range");
      for (int j = 0; j < n; j++) assertEquals(7f, out[i * n + j], "gradient row " + i + " outside the range");
    }
  }

  @Example
  void hugeLogitsGiveFiniteExactLosses() {
    float[] x = {1e4f, -1e4f, 0f, -1e4f, 1e4f, -1e4f, -1e4f, -1e4f, -1e4f};
    float[] loss = new float[3], lse = new float[6];
    Softmax.crossEntropyRows(x, 0, 3, 0, 3, new int[] {1, 1, 2}, null, 0f, loss, lse);
    assertEquals(2e4f, loss[0], 0f);
    assertEquals(0f, loss[1], 0f);
    assertEquals((float) Math.log(3), loss[2], 1e-6f);
  }

  /**
   * Softmax's row sum in its documented order, bit for bit: the vectors of e^{x−m} taking turns into
   * two accumulators (even ones into the first), their lane sum in lane order, then the scalar tail.
   * (expShifted computes it with one exp per iteration and the accumulators swapping places; an
   * unrolled loop with three inlined exps had outgrown C2's inlining budget.)
   */
  @Property(tries = 80)
  void softmaxSumsInItsDocumentedOrder(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int n,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 3) int rows, @ForAll long seed) {
    jdk.incubator.vector.VectorSpecies<Float> s = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    int lanes = s.length();
    java.util.Random r = new java.util.Random(seed);
    float[] x = new float[3 + rows * n];
    for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 4);
    float[] got = new float[rows * n];
    Softmax.softmaxRows(x, 3, rows, n, got, 0);
    for (int row = 0; row < rows; row++) {
      int xr = 3 + row * n;
      float m = Reductions.max(x, xr, n);
      float[] e = new float[n];
      jdk.incubator.vector.FloatVector[] acc = {jdk.incubator.vector.FloatVector.zero(s), jdk.incubator.vector.FloatVector.zero(s)};
      int i = 0;
      for (int v = 0; i + lanes <= n; i += lanes, v++) {
        jdk.incubator.vector.FloatVector ev = VMath.exp(jdk.incubator.vector.FloatVector.fromArray(s, x, xr + i).sub(m));
        ev.intoArray(e, i);
        acc[v & 1] = acc[v & 1].add(ev);
      }
      float sum = VMath.sumLanes(acc[0].add(acc[1]));
      for (; i < n; i++) {
        e[i] = VMath.exp(x[xr + i] - m);
        sum += e[i];
      }
      float inv = 1f / sum;
      for (int c = 0; c < n; c++) {
        assertEquals(Float.floatToIntBits(e[c] * inv), Float.floatToIntBits(got[row * n + c]),
            "row " + row + ", column " + c + " of " + n);
      }
    }
  }
}
