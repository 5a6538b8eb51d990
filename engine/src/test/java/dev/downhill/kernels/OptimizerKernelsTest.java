package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link OptimizerKernels} against {@link ScalarOptimizerKernels}: bitwise equal parameter and state
 * after one update, for drawn sizes, offsets, values and hyper-parameters (flags included); nothing
 * outside the ranges written; the gradient never written; the same bits for 1 and 3 threads.
 */
class OptimizerKernelsTest {

  /** One update: arrays p, g, s1, s2, s3 (states, any may go unused) at offsets o[0..4]; h: scalars; f: flags. */
  @FunctionalInterface
  interface Update {
    void run(float[][] x, int[] o, int n, float[] h, boolean[] f);
  }

  record Twin(String name, Update simd, Update scalar) {
    @Override
    public String toString() {
      return name;
    }
  }

  // h: 0 gradSign, 1 weightDecay, 2 momentum/beta1/alpha, 3 keep/c1/c, 4 lr/stepSize, 5 beta2, 6 c2, 7 bc2Sqrt, 8 eps, 9 decay
  static final List<Twin> TWINS = List.of(
      new Twin("sgd",
          (x, o, n, h, f) -> OptimizerKernels.sgd(x[0], o[0], x[1], o[1], x[2], o[2], n, h[0], h[1], f[0] ? h[2] : 0f, h[3], f[1], f[2], h[4]),
          (x, o, n, h, f) -> ScalarOptimizerKernels.sgd(x[0], o[0], x[1], o[1], x[2], o[2], n, h[0], h[1], f[0] ? h[2] : 0f, h[3], f[1], f[2], h[4])),
      new Twin("adam",
          (x, o, n, h, f) -> OptimizerKernels.adam(x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], f[0] ? x[4] : null, o[4], n,
              h[0], h[9], f[1] ? h[1] : 0f, h[2], h[3], h[5], h[6], h[4], h[7], h[8]),
          (x, o, n, h, f) -> ScalarOptimizerKernels.adam(x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], f[0] ? x[4] : null, o[4], n,
              h[0], h[9], f[1] ? h[1] : 0f, h[2], h[3], h[5], h[6], h[4], h[7], h[8])),
      new Twin("rmsprop",
          (x, o, n, h, f) -> OptimizerKernels.rmsprop(x[0], o[0], x[1], o[1], x[2], o[2], f[0] ? x[3] : null, o[3],
              f[1] ? x[4] : null, o[4], n, h[0], h[1], h[2], h[3], h[8], h[5], h[4]),
          (x, o, n, h, f) -> ScalarOptimizerKernels.rmsprop(x[0], o[0], x[1], o[1], x[2], o[2], f[0] ? x[3] : null, o[3],
              f[1] ? x[4] : null, o[4], n, h[0], h[1], h[2], h[3], h[8], h[5], h[4])),
      new Twin("adagrad",
          (x, o, n, h, f) -> OptimizerKernels.adagrad(x[0], o[0], x[1], o[1], x[2], o[2], n, h[0], h[1], h[8], h[4]),
          (x, o, n, h, f) -> ScalarOptimizerKernels.adagrad(x[0], o[0], x[1], o[1], x[2], o[2], n, h[0], h[1], h[8], h[4])));

  record Case(int n, float[][] x, int[] o, float[] h, boolean[] f) {
    Case copy() {
      float[][] c = new float[x.length][];
      for (int i = 0; i < x.length; i++) c[i] = x[i].clone();
      return new Case(n, c, o, h, f);
    }

    @Override
    public String toString() {
      return "n=" + n + " o=" + java.util.Arrays.toString(o) + " h=" + java.util.Arrays.toString(h)
          + " f=" + java.util.Arrays.toString(f);
    }
  }

  /** Ordinary values mostly; states must be ≥ 0 where they are second moments, so draw them non-negative. */
  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Float> hyper = Arbitraries.integers().between(0, 1000).map(i -> i / 1000f);
    Arbitrary<float[]> hs = hyper.array(float[].class).ofSize(10).map(h -> {
      h[0] = h[0] < 0.5f ? -1f : 1f;
      h[7] = 0.05f + h[7]; // bc2Sqrt > 0
      h[8] = h[8] * 1e-3f; // eps
      return h;
    });
    Arbitrary<boolean[]> flags = Arbitraries.of(true, false).array(boolean[].class).ofSize(3);
    return Combinators.combine(Floats.lengths(), Floats.offsets().array(int[].class).ofSize(5), hs, flags)
        .flatAs((n, o, h, f) -> Combinators.combine(
                Floats.arrays(o[0] + n + 2, Floats.values()),
                Floats.arrays(o[1] + n + 2, Floats.values()),
                Floats.arrays(o[2] + n + 2, Floats.values().map(Math::abs)),
                Floats.arrays(o[3] + n + 2, Floats.values().map(Math::abs)),
                Floats.arrays(o[4] + n + 2, Floats.values().map(Math::abs)))
            .as((p, g, s1, s2, s3) -> new Case(n, new float[][] {p, g, s1, s2, s3}, o, h, f)));
  }

  @Provide
  Arbitrary<Twin> twins() {
    return Arbitraries.of(TWINS);
  }

  @Property(tries = 400)
  void fusedUpdatesMatchTheirScalarTwinBitwise(@ForAll("twins") Twin t, @ForAll("cases") Case c) {
    String m = mismatch(t.simd(), t.scalar(), c);
    assertNull(m, () -> t + " " + c + ": " + m);
  }

  /** Compares every array after running both updates on copies; returns the first difference, or null. */
  static String mismatch(Update a, Update b, Case c) {
    Case ca = c.copy(), cb = c.copy();
    a.run(ca.x(), c.o(), c.n(), c.h(), c.f());
    b.run(cb.x(), c.o(), c.n(), c.h(), c.f());
    for (int k = 0; k < c.x().length; k++) {
      for (int j = 0; j < c.x()[k].length; j++) {
        float u = ca.x()[k][j], v = cb.x()[k][j];
        if (!Floats.sameBits(u, v)) return "array " + k + " index " + j + ": " + u + " vs " + v;
        boolean inside = j >= c.o()[k] && j < c.o()[k] + c.n();
        if ((!inside || k == 1) && !Floats.sameBits(u, c.x()[k][j])) return "array " + k + " index " + j + " was written";
      }
    }
    return null;
  }

  /** The comparison has teeth: the SIMD Adam against a twin that adds eps inside the square root. */
  @Example
  void aPlantedSlipIsCaught() {
    Update planted = (x, o, n, h, f) -> ScalarOptimizerKernels.adam(x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], null, 0, n,
        1f, 1f, 0f, h[2], h[3], h[5], h[6], h[4], h[7] * (1 + 1e-3f), h[8]);
    Update simd = (x, o, n, h, f) -> OptimizerKernels.adam(x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], null, 0, n,
        1f, 1f, 0f, h[2], h[3], h[5], h[6], h[4], h[7], h[8]);
    int n = 37;
    float[][] x = new float[5][n];
    for (int i = 0; i < n; i++) {
      x[0][i] = i * 0.1f;
      x[1][i] = 1f - i * 0.05f;
      x[3][i] = i * 0.01f;
    }
    float[] h = {1, 0, 0.9f, 0.1f, 0.01f, 0.999f, 0.001f, 0.5f, 1e-8f, 1};
    assertNotNull(mismatch(simd, planted, new Case(n, x, new int[5], h, new boolean[3])));
  }

  /** Large ranges are split over threads; the bits do not depend on how many. */
  @Example
  void resultsDoNotDependOnTheThreadCount() {
    int n = 3 * OptimizerKernels.GRAIN + 123;
    java.util.Random r = new java.util.Random(7);
    float[][] x = new float[5][n];
    for (float[] a : x) for (int i = 0; i < n; i++) a[i] = Math.abs((float) r.nextGaussian());
    float[] h = {1, 0.01f, 0.9f, 0.1f, 0.003f, 0.999f, 0.001f, 0.3f, 1e-8f, 0.99f};
    boolean[] f = {true, true, false};
    int before = Parallel.threads();
    try {
      for (Twin t : TWINS) {
        Parallel.setThreads(1);
        Case one = new Case(n, x, new int[5], h, f).copy();
        t.simd().run(one.x(), one.o(), n, h, f);
        Parallel.setThreads(3);
        Case three = new Case(n, x, new int[5], h, f).copy();
        t.simd().run(three.x(), three.o(), n, h, f);
        for (int k = 0; k < 5; k++) Floats.assertClose(one.x()[k], three.x()[k], 0, t + " array " + k + " 1 vs 3 threads");
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * Adam's division by the bias correction, done by Markstein's correction step, rounds as the
   * division does: for a drawn divisor b, every one of the 2²³ significands of a in [1, 2), at a
   * drawn scale (and ∞ and 0). The scale of b and of a does not change the rounding while nothing
   * overflows or underflows, so this covers every a for that b.
   */
  @Property(tries = 6)
  void divisionByAConstantRoundsAsTheDivision(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = (1 << 23) - 1) int bBits,
      @ForAll @net.jqwik.api.constraints.IntRange(min = -20, max = 0) int bScale,
      @ForAll @net.jqwik.api.constraints.IntRange(min = -70, max = 60) int aScale) {
    float b = Math.scalb(1f + bBits * 0x1p-23f, bScale);
    jdk.incubator.vector.VectorSpecies<Float> s = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    jdk.incubator.vector.FloatVector y = jdk.incubator.vector.FloatVector.broadcast(s, 1f / b);
    jdk.incubator.vector.FloatVector negB = jdk.incubator.vector.FloatVector.broadcast(s, -b);
    float[] a = new float[s.length()];
    float[] q = new float[s.length()];
    for (int i = -s.length(); i < (1 << 23); i += s.length()) {
      for (int l = 0; l < a.length; l++) a[l] = Math.scalb(1f + (i + l) * 0x1p-23f, aScale);
      if (i < 0) {
        // One extra vector for the specials: ∞, 0 and the largest square root of a float.
        java.util.Arrays.fill(a, Float.POSITIVE_INFINITY);
        a[1] = 0f;
        a[2] = (float) Math.sqrt(Float.MAX_VALUE);
      }
      OptimizerKernels.divideByConstant(jdk.incubator.vector.FloatVector.fromArray(s, a, 0), y, negB).intoArray(q, 0);
      for (int l = 0; l < a.length; l++) {
        if (!Floats.sameBits(a[l] / b, q[l])) {
          throw new AssertionError(a[l] + " / " + b + ": " + q[l] + ", the division gives " + a[l] / b);
        }
      }
    }
  }

  /**
   * One pass over a group gives each tensor the bits of its own {@link OptimizerKernels#adam} call,
   * whatever the sizes (empty ones and ranges that split a tensor between threads included), the
   * per-tensor scalars and the thread count, and when called from inside a parallel range (the pool
   * busy: every part in one range, serially).
   */
  @Property(tries = 40)
  void aGroupPassMatchesOneCallPerTensor(@ForAll @net.jqwik.api.constraints.Size(min = 1, max = 6) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 70_000) Integer> sizes,
      @ForAll boolean amsgrad, @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 3) int threads,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 1000) int seed, @ForAll boolean nested) {
    int k = sizes.size();
    java.util.Random r = new java.util.Random(seed);
    float[][][] one = new float[5][k][];
    int[] n = new int[k];
    int[] po = new int[k];
    int[] go = new int[k];
    float[] stepSize = new float[k];
    float[] bc2 = new float[k];
    for (int i = 0; i < k; i++) {
      n[i] = sizes.get(i);
      po[i] = r.nextInt(3);
      go[i] = r.nextInt(3);
      one[0][i] = new float[po[i] + n[i]];
      one[1][i] = new float[go[i] + n[i]];
      for (int a = 2; a < 5; a++) one[a][i] = new float[n[i]];
      for (int a = 0; a < 5; a++) {
        for (int j = 0; j < one[a][i].length; j++) {
          float x = (float) r.nextGaussian();
          one[a][i][j] = a >= 3 ? x * x : x;
        }
      }
      stepSize[i] = 1e-3f * (1 + r.nextInt(10));
      bc2[i] = 0.05f + r.nextFloat() * 0.95f;
    }
    float[][][] group = new float[5][k][];
    for (int a = 0; a < 5; a++) for (int i = 0; i < k; i++) group[a][i] = one[a][i].clone();
    int before = Parallel.threads();
    try {
      Parallel.setThreads(threads);
      for (int i = 0; i < k; i++) {
        OptimizerKernels.adam(one[0][i], po[i], one[1][i], go[i], one[2][i], 0, one[3][i], 0, amsgrad ? one[4][i] : null, 0,
            n[i], 1f, 0.99f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, stepSize[i], bc2[i], 1e-8f);
      }
      Runnable pass = () -> OptimizerKernels.adamGroup(group[0], po, group[1], go, group[2], group[3],
          amsgrad ? group[4] : null, n, 1f, 0.99f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, stepSize, bc2, 1e-8f);
      if (nested) {
        // From inside a range the pool is busy, so forRange runs the parts serially, all in one range.
        Parallel.forRange(2, 1, (from, to) -> {
          if (from == 0) pass.run();
        });
      } else {
        pass.run();
      }
    } finally {
      Parallel.setThreads(before);
    }
    for (int a = 0; a < 5; a++) {
      for (int i = 0; i < k; i++) {
        Floats.assertClose(one[a][i], group[a][i], 0, "array " + a + " of tensor " + i);
      }
    }
  }

  /** The parts of a tensor the threads of a group pass take: in order, covering it once, cut on whole vectors. */
  @Property(tries = 200)
  void groupPartsCoverEachTensorOnceOnWholeVectors(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 300_000) int n,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 8) int parts) {
    int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    assertEquals(0, OptimizerKernels.part(n, 0, parts));
    assertEquals(n, OptimizerKernels.part(n, parts, parts));
    for (int t = 0; t < parts; t++) {
      int lo = OptimizerKernels.part(n, t, parts);
      int hi = OptimizerKernels.part(n, t + 1, parts);
      assertTrue(lo <= hi, "part " + t + " of " + parts + " of " + n + ": " + lo + " > " + hi);
      if (lo < hi) {
        assertEquals(0, lo % l, "part " + t + " starts off a vector: " + lo);
      }
      // each thread's share is within one vector of n / parts
      assertTrue(Math.abs((hi - lo) - (double) n / parts) <= l + 1,
          "part " + t + " of " + parts + " of " + n + " has " + (hi - lo) + " elements");
    }
  }
}
