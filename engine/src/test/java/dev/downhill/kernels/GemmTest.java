package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Gemm} and its twin {@link ScalarGemm} against a double-precision reference.
 *
 * <p>The bound: any order of summing k products in float, with or without fused multiply-adds, has
 * {@code |computed − exact| ≤ γ(k)·Σ_p |a_ip·b_pj|}, γ(k) = ku/(1 − ku), u = 2⁻²⁴ (Higham, Accuracy and
 * Stability of Numerical Algorithms, §3.1). Scaling by alpha, adding beta·C and the bias cost three more
 * roundings, so each element is checked against
 * {@code γ(k + 3)·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij| + |bias_j|)} plus the smallest normal float.
 */
class GemmTest {
  static final double U = 0x1p-24;

  record Problem(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta,
      int padA, int padB, int padC, int offset, boolean withBias, long seed) {
    int lda() { return (transA ? m : k) + padA; }
    int ldb() { return (transB ? k : n) + padB; }
    int ldc() { return n + padC; }
    int rowsA() { return transA ? k : m; }
    int rowsB() { return transB ? n : k; }
  }

  /** Sizes 1 to 300 with the edges of the 4×16 tile, the vector width and some primes. */
  static Arbitrary<Integer> sizes() {
    return Arbitraries.integers().between(1, 300).edgeCases(c -> {
      for (int d : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 97, 127, 257, 300}) c.add(d);
    });
  }

  @Provide
  Arbitrary<Problem> problems() {
    return Builders.withBuilder(() -> new Object[13])
        .use(sizes()).in((o, v) -> { o[0] = v; return o; })
        .use(sizes()).in((o, v) -> { o[1] = v; return o; })
        .use(sizes()).in((o, v) -> { o[2] = v; return o; })
        .use(Arbitraries.of(true, false)).in((o, v) -> { o[3] = v; return o; })
        .use(Arbitraries.of(true, false)).in((o, v) -> { o[4] = v; return o; })
        .use(Arbitraries.of(1f, 0f, -0.5f, 2.5f)).in((o, v) -> { o[5] = v; return o; })
        .use(Arbitraries.of(0f, 1f, 0.5f, -2f)).in((o, v) -> { o[6] = v; return o; })
        .use(Arbitraries.integers().between(0, 5)).in((o, v) -> { o[7] = v; return o; })
        .use(Arbitraries.integers().between(0, 5)).in((o, v) -> { o[8] = v; return o; })
        .use(Arbitraries.integers().between(0, 5)).in((o, v) -> { o[9] = v; return o; })
        .use(Arbitraries.integers().between(0, 9)).in((o, v) -> { o[10] = v; return o; })
        .use(Arbitraries.of(true, false)).in((o, v) -> { o[11] = v; return o; })
        .use(Arbitraries.longs()).in((o, v) -> { o[12] = v; return o; })
        .build(o -> new Problem((int) o[0], (int) o[1], (int) o[2], (boolean) o[3], (boolean) o[4],
            (float) o[5], (float) o[6], (int) o[7], (int) o[8], (int) o[9], (int) o[10], (boolean) o[11],
            (long) o[12]));
  }

  /** The operands of a problem; C holds NaN where beta = 0 (it must not be read) and -7 in the padding. */
  record Operands(float[] a, float[] b, float[] c, float[] bias) {
    static Operands of(Problem p) {
      Random r = new Random(p.seed());
      float[] a = new float[p.offset() + p.rowsA() * p.lda()];
      float[] b = new float[p.offset() + p.rowsB() * p.ldb()];
      float[] c = new float[p.offset() + p.m() * p.ldc()];
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
      java.util.Arrays.fill(c, -7f);
      for (int i = 0; i < p.m(); i++) {
        for (int j = 0; j < p.n(); j++) {
          c[p.offset() + i * p.ldc() + j] = p.beta() == 0 ? Float.NaN : r.nextFloat() * 2 - 1;
        }
      }
      float[] bias = null;
      if (p.withBias()) {
        bias = new float[p.offset() + p.n()];
        for (int j = 0; j < bias.length; j++) bias[j] = r.nextFloat() * 2 - 1;
      }
      return new Operands(a, b, c, bias);
    }

    Operands copy() {
      return new Operands(a, b, c.clone(), bias);
    }
  }

  interface Sgemm {
    void run(Problem p, Operands x);
  }

  static final Sgemm SIMD = (p, x) -> Gemm.sgemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), p.alpha(),
      x.a(), p.offset(), p.lda(), x.b(), p.offset(), p.ldb(), p.beta(), x.c(), p.offset(), p.ldc(),
      x.bias(), p.offset());
  static final Sgemm SCALAR = (p, x) -> ScalarGemm.sgemm(p.transA(), p.transB(), p.m(), p.n(), p.k(),
      p.alpha(), x.a(), p.offset(), p.lda(), x.b(), p.offset(), p.ldb(), p.beta(), x.c(), p.offset(), p.ldc(),
      x.bias(), p.offset());

  /** Checks {@code after} against the double reference computed from {@code before}; padding untouched. */
  static void assertWithinBound(Problem p, Operands before, float[] after) {
    int o = p.offset();
    for (int i = 0; i < p.m(); i++) {
      for (int j = 0; j < p.n(); j++) {
        double dot = 0;
        double abs = 0;
        for (int q = 0; q < p.k(); q++) {
          double x = p.transA() ? before.a()[o + q * p.lda() + i] : before.a()[o + i * p.lda() + q];
          double y = p.transB() ? before.b()[o + j * p.ldb() + q] : before.b()[o + q * p.ldb() + j];
          dot += x * y;
          abs += Math.abs(x * y);
        }
        int at = o + i * p.ldc() + j;
        double old = p.beta() == 0 ? 0 : before.c()[at];
        double bias = before.bias() == null ? 0 : before.bias()[o + j];
        double exact = p.alpha() * dot + p.beta() * old + bias;
        double g = (p.k() + 3) * U / (1 - (p.k() + 3) * U);
        double bound = g * (Math.abs(p.alpha()) * abs + Math.abs(p.beta() * old) + Math.abs(bias))
            + Float.MIN_NORMAL;
        double err = Math.abs(after[at] - exact);
        if (!(err <= bound)) {
          fail(String.format("%s: C[%d, %d] = %s, exact %s, error %.3g above the bound %.3g",
              p, i, j, after[at], exact, err, bound));
        }
      }
    }
    for (int i = 0; i < after.length; i++) {
      boolean inside = i >= o && (i - o) / p.ldc() < p.m() && (i - o) % p.ldc() < p.n();
      if (!inside) assertEquals(-7f, after[i], "element " + i + " outside C was written");
    }
  }

  @Property(tries = 150)
  void simdProductIsWithinTheRoundingBound(@ForAll("problems") Problem p) {
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  @Property(tries = 60)
  void scalarTwinIsWithinTheRoundingBound(@ForAll("problems") Problem p) {
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SCALAR.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  /**
   * Runs {@code p} on 1, 2 and 3 threads and asserts the three results are bit-identical, with the
   * warm JVM's thresholds (the first COLD_CALLS products of a JVM keep small ones on one thread, and
   * a test run early would otherwise compare one thread with itself).
   */
  static void assertSameBitsOn1To3Threads(Problem p) {
    Operands before = Operands.of(p);
    int threads = Parallel.threads();
    Gemm.setCallsForTests(Gemm.COLD_CALLS);
    try {
      float[][] results = new float[3][];
      for (int t = 1; t <= 3; t++) {
        Parallel.setThreads(t);
        Operands x = before.copy();
        SIMD.run(p, x);
        results[t - 1] = x.c();
      }
      assertArrayEquals(results[0], results[1], "1 vs 2 threads");
      assertArrayEquals(results[0], results[2], "1 vs 3 threads");
    } finally {
      Parallel.setThreads(threads);
    }
  }

  /** Big enough to be split over threads: the split must not change a single bit. */
  @Property(tries = 15)
  void resultsAreBitIdenticalForAnyThreadCount(
      @ForAll("problems") Problem drawn, @ForAll("bigSizes") int m, @ForAll("bigSizes") int n) {
    Problem p = new Problem(m, n, 600, drawn.transA(), drawn.transB(), drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    assertTrue((long) m * n * p.k() >= Gemm.PARALLEL_MIN_WORK, "too small to be split: raise bigSizes");
    assertSameBitsOn1To3Threads(p);
  }

  /**
   * Deeper than one k block (KC, and DIRECT_KC on the few-rows path): the blocks after the first add
   * into C with beta = 1 and only the last adds the bias, and k is split into even blocks.
   */
  @Property(tries = 40)
  void deepProductsAreWithinTheRoundingBound(
      @ForAll("problems") Problem drawn, @ForAll("deepSizes") int k, @ForAll("fewRows") int m) {
    Problem p = new Problem(m, Math.min(drawn.n(), 70), k, drawn.transA(), drawn.transB(), drawn.alpha(),
        drawn.beta(), drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  @Provide
  Arbitrary<Integer> deepSizes() {
    return Arbitraries.integers().between(Gemm.DIRECT_KC + 1, 3 * Gemm.KC + 7).edgeCases(c -> {
      for (int d : new int[] {Gemm.DIRECT_KC + 1, Gemm.KC, Gemm.KC + 1, 2 * Gemm.KC + 1, 3 * Gemm.KC + 7}) c.add(d);
    });
  }

  @Provide
  Arbitrary<Integer> fewRows() {
    // Both sides of DIRECT_MAX_ROWS: the in-place path and the packed one.
    return Arbitraries.integers().between(1, 2 * Gemm.DIRECT_MAX_ROWS + 9);
  }

  /**
   * A thin k (a small batch's weight gradient, up to THIN_K): the threads take rows even where C is
   * wide, with the same bits as one thread; the products are also within the rounding bound.
   */
  @Property(tries = 8)
  void thinProductsSplitByRowsAreBitIdentical(@ForAll("problems") Problem drawn,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = Gemm.THIN_K) int k) {
    int n = 2 * 4 * Gemm.NR + (int) (drawn.seed() & 255);
    int m = (int) Math.max(2 * 4 * Gemm.MR, Gemm.PARALLEL_MIN_WORK / ((long) n * k) + 1) + (int) (drawn.seed() >>> 8 & 31);
    Problem p = new Problem(m, n, k, drawn.transA(), drawn.transB(), drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    assertSameBitsOn1To3Threads(p);
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  /**
   * Few rows, B not transposed, 2 to 6 k blocks: two threads split k ({@link Gemm#directSplitK})
   * up to 4 blocks, three threads from 3 to 6, each block summed apart and added to C in block order
   * afterwards, with the bits of one thread (warm and cold); the products are also within the
   * rounding bound.
   */
  @Property(tries = 25)
  void fewRowsSplitByKAreBitIdentical(@ForAll("problems") Problem drawn,
      @ForAll @net.jqwik.api.constraints.IntRange(min = Gemm.DIRECT_KC + 1, max = 6 * Gemm.DIRECT_KC) int k,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = Gemm.DIRECT_MAX_ROWS) int m) {
    // Wide enough to be split while the JVM is cold too (COLD_MIN_WORK), where edge tiles are merged
    // element by element and the 12-row kernel takes every panel.
    int n = (int) Math.max(Math.min(drawn.n(), 160), Gemm.COLD_MIN_WORK / ((long) m * k) + 1);
    Problem p = new Problem(m, n, k, drawn.transA(), false, drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    int blocks = (k + Gemm.kStep(k, Gemm.DIRECT_KC) - 1) / Gemm.kStep(k, Gemm.DIRECT_KC);
    assertEquals(blocks <= 4, Gemm.splitsK(m, n, k, 2), p + " on 2 threads");
    assertEquals(blocks >= 3, Gemm.splitsK(m, n, k, 3), p + " on 3 threads");
    assertEquals(false, Gemm.splitsK(m, n, k, 8), p + " on 8 threads: fewer blocks than threads, so columns");
    assertSameBitsOn1To3Threads(p);
    Operands start = Operands.of(p);
    int threads = Parallel.threads();
    try {
      float[][] cold = new float[2][];
      for (int t = 1; t <= 2; t++) {
        Parallel.setThreads(t);
        Gemm.setCallsForTests(0);
        Operands x = start.copy();
        SIMD.run(p, x);
        cold[t - 1] = x.c();
      }
      assertArrayEquals(cold[0], cold[1], "cold JVM: 1 vs 2 threads");
    } finally {
      Parallel.setThreads(threads);
      Gemm.setCallsForTests(Gemm.COLD_CALLS);
    }
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  /**
   * The kernels for 10 and 4 rows of a 12-row panel give exactly the bits of the 12-row kernel's
   * first rows, packed and strided, for drawn depths (odd ones take the kernels' last single step).
   */
  @Property(tries = 30)
  void partialRowKernelsGiveTheFullKernelsBits(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 70) int kc,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3) int bPad, @ForAll long seed) {
    if (Gemm.MR != 12) return; // the partial kernels exist for 12-row panels (an assumption would exhaust jqwik)
    Random r = new Random(seed);
    int bs = Gemm.NR + bPad;
    float[] a = new float[3 + kc * 12];
    float[] b = new float[2 + Math.max(1, kc) * bs];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    int ldc = Gemm.NR + 5;
    for (boolean strided : new boolean[] {false, true}) {
      float[] full = new float[12 * ldc];
      if (strided) Gemm.kernelStrided12(kc, a, 3, b, 2, bs, full, 0, ldc);
      else Gemm.kernel12(kc, a, 3, b, 2, full, 0, ldc);
      for (int rows : new int[] {10, 4}) {
        float[] part = new float[12 * ldc];
        java.util.Arrays.fill(part, 7f);
        if (strided) Gemm.kernelStridedRows(rows, kc, a, 3, b, 2, bs, part, 0, ldc);
        else Gemm.kernelRows(rows, kc, a, 3, b, 2, part, 0, ldc);
        for (int i = 0; i < 12 * ldc; i++) {
          boolean written = i / ldc < rows && i % ldc < Gemm.NR;
          float want = written ? full[i] : 7f;
          assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(part[i]),
              rows + " rows, strided " + strided + ", element " + i);
        }
      }
    }
  }

  /** {@code -Ddownhill.gemm.coldCalls}: absent means 8192, 0 and up are taken, anything else is refused by name. */
  @Example
  void theColdCallsSettingIsChecked() {
    assertEquals(8192, Gemm.coldCalls(null));
    assertEquals(0, Gemm.coldCalls("0"));
    assertEquals(100, Gemm.coldCalls(" 100 "));
    for (String bad : new String[] {"-1", "many", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.coldCalls(bad));
      assertEquals("downhill.gemm.coldCalls: expected a whole number >= 0, got '" + bad + "'", e.getMessage());
    }
  }

  /**
   * The in-place kernels (A's rows read where they lie, {@code lda} apart) give, row for row, the bits
   * of the packed-panel kernels they replace: the 12-, 10- and 4-row tiles and AVX2's 6-row one, on
   * packed B and on B read in place.
   */
  @Property(tries = 60)
  void inPlaceKernelsGiveThePackedKernelsBits(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 70) int kc,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 40) int ldaPad,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 9) int ao,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3) int bPad, @ForAll long seed) {
    Random r = new Random(seed);
    int lda = kc + ldaPad;
    int bs = Gemm.NR + bPad;
    float[] a = new float[ao + 12 * lda + kc];
    float[] b = new float[2 + Math.max(1, kc) * bs];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    int ldc = Gemm.NR + 3;
    for (boolean strided : new boolean[] {false, true}) {
      int step = strided ? bs : Gemm.NR; // B's rows: packed panels are NR wide
      for (int rows : new int[] {12, 10, 6, 4}) {
        if (rows != 6 && Gemm.MR != 12) continue;
        float[] want = new float[12 * ldc];
        float[] got = new float[12 * ldc];
        java.util.Arrays.fill(got, 7f);
        if (rows == 6) {
          float[] packed = new float[kc * 6];
          packA6(a, ao, lda, kc, packed);
          if (strided) Gemm.kernelStrided6(kc, packed, 0, b, 2, step, want, 0, ldc);
          else Gemm.kernel6(kc, packed, 0, b, 2, want, 0, ldc);
          if (strided) Gemm.kernelStridedInPlaceA6(kc, a, ao, lda, b, 2, step, got, 0, ldc);
          else Gemm.kernelInPlaceA6(kc, a, ao, lda, b, 2, got, 0, ldc);
        } else {
          float[] packed = new float[kc * 12];
          Gemm.packA(false, a, ao, lda, 0, rows, 0, kc, packed);
          if (strided) Gemm.kernelStrided12(kc, packed, 0, b, 2, step, want, 0, ldc);
          else Gemm.kernel12(kc, packed, 0, b, 2, want, 0, ldc);
          if (strided) Gemm.kernelStridedInPlaceA(rows, kc, a, ao, lda, b, 2, step, got, 0, ldc);
          else Gemm.kernelInPlaceA(rows, kc, a, ao, lda, b, 2, got, 0, ldc);
        }
        for (int i = 0; i < 12 * ldc; i++) {
          boolean written = i / ldc < rows && i % ldc < Gemm.NR;
          assertEquals(Float.floatToIntBits(written ? want[i] : 7f), Float.floatToIntBits(got[i]),
              rows + " rows, strided " + strided + ", kc " + kc + ", lda " + lda + ", element " + i);
        }
      }
    }
  }

  /** A 6-row panel laid out as {@link Gemm#kernel6} reads it: {@code [kc][6]}. */
  private static void packA6(float[] a, int ao, int lda, int kc, float[] out) {
    for (int p = 0; p < kc; p++) {
      for (int row = 0; row < 6; row++) out[p * 6 + row] = a[ao + row * lda + p];
    }
  }

  /**
   * Whole products with A read in place give the bits of the same products with A packed, for
   * drawn shapes narrow enough for it (and, up to 32 rows with B not transposed, the direct path of
   * any width), whatever their last panel's rows (12, 10 and 4 have in-place kernels; the others
   * are packed), with and without bias, scaling and old C.
   */
  @Property(tries = 100)
  void readingAInPlaceGivesThePackedBits(@ForAll("problems") Problem drawn,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 150) int m,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = Gemm.IN_PLACE_A_MAX_N) int narrow,
      @ForAll boolean wide,
      @ForAll boolean deep) {
    int k = deep ? Gemm.KC + drawn.k() : drawn.k(); // deep: k > KC, two k blocks, the second at pc > 0
    // Only shapes whose path reads A in place: no GemmDot (B transposed with at most 16 rows), and
    // wider than IN_PLACE_A_MAX_N only on the direct path (B not transposed, at most 32 rows).
    boolean transB = drawn.transB() && m > Gemm.DOT_MAX_ROWS;
    boolean direct = !transB && m <= Gemm.DIRECT_MAX_ROWS;
    int n = wide && direct ? narrow + drawn.n() : narrow;
    Problem p = new Problem(m, n, k, false, transB, drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    Operands before = Operands.of(p);
    Operands packed = before.copy();
    Operands inPlace = before.copy();
    Gemm.setCallsForTests(Gemm.COLD_CALLS);
    boolean old = Gemm.setInPlaceAForTests(false);
    try {
      SIMD.run(p, packed);
      Gemm.setInPlaceAForTests(true);
      assertTrue(direct || Gemm.inPlaceA(false, n), "this draw would not read A in place: " + m + "×" + k + "·" + n);
      SIMD.run(p, inPlace);
    } finally {
      Gemm.setInPlaceAForTests(old);
    }
    assertArrayEquals(packed.c(), inPlace.c(), "packed vs in-place A, " + m + "×" + p.k() + "·" + n);
  }

  /**
   * A cold JVM's path (the 12-row tile for every panel, edge tiles merged element by element, small
   * products on one thread) and the warm one give the same bits, for drawn products whose row counts
   * leave 10 or 4 rows in the last panel.
   */
  @Property(tries = 40)
  void coldAndWarmPathsGiveTheSameBits(@ForAll("problems") Problem drawn,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int panels, @ForAll boolean ten) {
    int m = panels * 12 + (ten ? 10 : 4);
    Problem p = new Problem(m, drawn.n(), drawn.k(), drawn.transA(), drawn.transB(), drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    Operands before = Operands.of(p);
    Operands cold = before.copy();
    Operands warm = before.copy();
    try {
      Gemm.setCallsForTests(0);
      SIMD.run(p, cold);
      Gemm.setCallsForTests(Gemm.COLD_CALLS);
      SIMD.run(p, warm);
    } finally {
      Gemm.setCallsForTests(Gemm.COLD_CALLS);
    }
    assertArrayEquals(cold.c(), warm.c(), "cold vs warm path, m = " + m);
  }

  /** C too narrow to split by columns: the threads take rows instead, with the same bits as one thread. */
  @Property(tries = 6)
  void narrowProductsSplitByRowsAreBitIdentical(
      @ForAll("problems") Problem drawn, @ForAll("narrowSizes") int n) {
    int k = 600;
    int m = (int) (Gemm.PARALLEL_MIN_WORK / ((long) n * k)) + 1 + (int) (drawn.seed() & 63);
    Problem p = new Problem(m, n, k, drawn.transA(), drawn.transB(), drawn.alpha(), drawn.beta(),
        drawn.padA(), drawn.padB(), drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    assertTrue(n < 2 * 4 * Gemm.NR, "wide enough for a column split: lower narrowSizes");
    assertSameBitsOn1To3Threads(p);
  }

  @Provide
  Arbitrary<Integer> narrowSizes() {
    return Arbitraries.integers().between(48, 2 * 4 * Gemm.NR - 1);
  }

  @Provide
  Arbitrary<Integer> bigSizes() {
    // m·n·600 ≥ 240·240·600 clears Gemm.PARALLEL_MIN_WORK, so every draw is really split.
    return Arbitraries.integers().between(240, 700);
  }

  /**
   * Few rows times a transposed B, deep or narrow enough for {@link GemmDot}: the dot-product path,
   * with k both a multiple of the vector length and not (the zero-padded last piece).
   */
  @Property(tries = 60)
  void fewRowsTimesTransposedBAreWithinTheRoundingBound(@ForAll("problems") Problem drawn,
      @ForAll("dotRows") int m, @ForAll("dotDepths") int k, @ForAll("dotWidths") int n) {
    Problem p = new Problem(m, n, k, false, true, drawn.alpha(), drawn.beta(), drawn.padA(), drawn.padB(),
        drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    assertWithinBound(p, before, x.c());
  }

  /**
   * The dot-product path computes each element of C with exactly the operations its class comment
   * gives, whichever kernel (4×4, 2×4, 1×4, 1×1 tiles) and epilogue write it: 16 lane sums by FMA
   * over the row pieces in order (the last piece zero-padded), the tree adding lanes 8 apart, then
   * 4, 2, 1, then alpha·s, {@code fma(old, beta, s)} and the bias. A scalar model of those steps must
   * give the same bits; an element put in the wrong lane, a piece skipped or the tree in another
   * order does not.
   */
  @Property(tries = 60)
  void fewRowsTimesTransposedBAreTheDocumentedTreeSums(@ForAll("problems") Problem drawn,
      @ForAll("dotRows") int m, @ForAll("dotDepths") int depth, @ForAll("dotWidths") int n) {
    net.jqwik.api.Assume.that(GemmDot.AVAILABLE && Gemm.SMALL_PATHS);
    int lanes = 16;
    int k = depth >= Gemm.DOT_MIN_K || n < Gemm.NR ? depth : Gemm.DOT_MIN_K + depth;
    float alpha = drawn.alpha() == 0f ? 1f : drawn.alpha(); // alpha = 0 only scales C, on another path
    Problem p = new Problem(m, n, k, false, true, alpha, drawn.beta(), drawn.padA(), drawn.padB(),
        drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    Operands before = Operands.of(p);
    Operands x = before.copy();
    SIMD.run(p, x);
    int o = p.offset();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] acc = new float[lanes];
        for (int q = 0; q < k; q++) {
          int l = q % lanes;
          acc[l] = Math.fma(before.a()[o + i * p.lda() + q], before.b()[o + j * p.ldb() + q], acc[l]);
        }
        if (k % lanes != 0) {
          for (int l = k % lanes; l < lanes; l++) acc[l] = Math.fma(0f, 0f, acc[l]); // the zero padding
        }
        for (int h = lanes / 2; h >= 1; h /= 2) {
          for (int l = 0; l < h; l++) acc[l] = acc[l] + acc[l + h];
        }
        float s = acc[0];
        if (p.alpha() != 1f) s *= p.alpha();
        int at = o + i * p.ldc() + j;
        if (p.beta() != 0f) s = Math.fma(before.c()[at], p.beta(), s);
        if (before.bias() != null) s += before.bias()[o + j];
        if (Float.floatToIntBits(s) != Float.floatToIntBits(x.c()[at])) {
          fail(String.format("%s: C[%d, %d] = %s, the documented order gives %s", p, i, j, x.c()[at], s));
        }
      }
    }
    for (int i = 0; i < x.c().length; i++) {
      boolean inside = i >= o && (i - o) / p.ldc() < m && (i - o) % p.ldc() < n;
      if (!inside) assertEquals(-7f, x.c()[i], "element " + i + " outside C was written");
    }
  }

  /** The dot-product path split over threads (whole blocks of 4 rows of B): the same bits on 1 to 3 threads. */
  @Property(tries = 10)
  void fewRowsTimesTransposedBAreBitIdenticalForAnyThreadCount(@ForAll("problems") Problem drawn,
      @ForAll("dotRows") int m) {
    int k = Gemm.DOT_MIN_K + (int) (drawn.seed() & 511);
    int n = (int) (Gemm.PARALLEL_MIN_WORK / ((long) m * k)) + 1 + (int) ((drawn.seed() >>> 9) & 63);
    Problem p = new Problem(m, n, k, false, true, drawn.alpha(), drawn.beta(), drawn.padA(), drawn.padB(),
        drawn.padC(), drawn.offset(), drawn.withBias(), drawn.seed());
    assertSameBitsOn1To3Threads(p);
  }

  @Provide
  Arbitrary<Integer> dotRows() {
    return Arbitraries.integers().between(1, Gemm.DOT_MAX_ROWS).edgeCases(c -> {
      for (int d : new int[] {1, 2, 3, 4, 5, 10, Gemm.DOT_MAX_ROWS}) c.add(d);
    });
  }

  @Provide
  Arbitrary<Integer> dotDepths() {
    return Arbitraries.integers().between(16, 700).edgeCases(c -> {
      for (int d : new int[] {16, 17, 31, Gemm.DOT_MIN_K, Gemm.DOT_MIN_K + 1, 500, 512, 700}) c.add(d);
    });
  }

  @Provide
  Arbitrary<Integer> dotWidths() {
    // Narrow C takes the path at any depth; wider C only from DOT_MIN_K. Both sides of 4-row blocks.
    return Arbitraries.integers().between(1, 70).edgeCases(c -> {
      for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 70}) c.add(d);
    });
  }

  @Example
  void zeroAlphaOrEmptyInnerDimensionOnlyScalesC() {
    float[] c = {1, 2, Float.NaN, 4};
    float[] nanA = {Float.NaN, Float.NaN};
    Gemm.sgemm(false, false, 2, 2, 1, 0f, nanA, 0, 1, new float[2], 0, 2, 0f, c, 0, 2);
    assertArrayEquals(new float[] {0, 0, 0, 0}, c);
    float[] d = {1, 2, 3, 4};
    Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 2f, d, 0, 2,
        new float[] {10, 20}, 0);
    assertArrayEquals(new float[] {12, 24, 16, 28}, d);
  }

  @Example
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () ->
        Gemm.sgemm(false, false, 3, 2, 4, 1f, new float[12], 0, 3, new float[8], 0, 2, 0f, new float[6], 0, 2));
    assertEquals("sgemm: lda=3 is less than the 4 columns of the stored A [3, 4]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Gemm.sgemm(false, true, 3, 2, 4, 1f, new float[12], 0, 4, new float[7], 0, 4, 0f, new float[6], 0, 2));
    assertEquals("sgemm: B [2, 4] with offset 0 and leading dimension 4 needs index 7, but the array has"
        + " length 7", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Gemm.sgemm(false, false, -1, 2, 4, 1f, new float[12], 0, 4, new float[8], 0, 2, 0f, new float[6], 0, 2));
    assertEquals("sgemm: negative size m=-1, n=2, k=4", e.getMessage());
  }
}
