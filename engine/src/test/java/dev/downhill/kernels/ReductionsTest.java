package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link Reductions} against the sequential {@link ScalarReductions}: max, min and the arg-reductions
 * exactly, sums within the rounding bound of two differently ordered summations.
 */
class ReductionsTest {

  record Range(float[] a, int ao, int n) {}

  static Arbitrary<Range> ranges(int minLength, Arbitrary<Float> values) {
    return Combinators.combine(Floats.lengths().filter(n -> n >= minLength), Floats.offsets(),
            Arbitraries.integers().between(0, 3))
        .flatAs((n, ao, room) -> Floats.arrays(ao + n + room, values).map(a -> new Range(a, ao, n)));
  }

  /** Finite values far from overflow, now and then a NaN or an infinity. */
  @Provide
  Arbitrary<Range> summable() {
    return ranges(0, Arbitraries.frequencyOf(
        Tuple.of(60, Arbitraries.integers().between(-10_000_000, 10_000_000).map(i -> i / 1e4f)),
        Tuple.of(1, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY))));
  }

  @Provide
  Arbitrary<Range> nonEmpty() {
    return ranges(1, Floats.values());
  }

  /**
   * Recursive summation in any order is off from the exact sum by at most γ(n)·Σ|a_i|, with
   * γ(n) = n·u / (1 − n·u) and u = 2^-24 (Higham, Accuracy and Stability of Numerical Algorithms,
   * §4.2); two such sums are at most twice that apart. sumSquares: the same with a_i² for a_i, its n
   * roundings of the squares being covered by γ(n) rather than γ(n−1).
   */
  static double bound(int n, double sumOfMagnitudes) {
    double nu = n * 0x1p-24;
    return 2 * nu / (1 - nu) * sumOfMagnitudes;
  }

  @Property(tries = 200)
  void sumIsTheTwinsUpToRounding(@ForAll("summable") Range r) {
    double magnitudes = 0;
    for (int i = 0; i < r.n(); i++) magnitudes += Math.abs(r.a()[r.ao() + i]);
    assertWithinBound(ScalarReductions.sum(r.a(), r.ao(), r.n()), Reductions.sum(r.a(), r.ao(), r.n()), bound(r.n(), magnitudes));
  }

  @Property(tries = 200)
  void sumSquaresIsTheTwinsUpToRounding(@ForAll("summable") Range r) {
    double magnitudes = 0;
    for (int i = 0; i < r.n(); i++) magnitudes += (double) r.a()[r.ao() + i] * r.a()[r.ao() + i];
    assertWithinBound(ScalarReductions.sumSquares(r.a(), r.ao(), r.n()), Reductions.sumSquares(r.a(), r.ao(), r.n()),
        bound(r.n(), magnitudes));
  }

  /** A NaN or infinite twin result comes from NaN or infinite inputs, which no order can hide. */
  static void assertWithinBound(float expected, float actual, double bound) {
    if (!Float.isFinite(expected)) {
      assertTrue(Floats.sameBits(expected, actual), "expected " + expected + ", got " + actual);
    } else {
      assertTrue(Math.abs((double) actual - expected) <= bound,
          "expected " + expected + ", got " + actual + ", allowed difference " + bound);
    }
  }

  @Property(tries = 400)
  void maxMinAndArgsMatchTheTwinExactly(@ForAll("nonEmpty") Range r) {
    float[] a = r.a();
    assertTrue(Floats.sameBits(ScalarReductions.max(a, r.ao(), r.n()), Reductions.max(a, r.ao(), r.n())), "max");
    assertTrue(Floats.sameBits(ScalarReductions.min(a, r.ao(), r.n()), Reductions.min(a, r.ao(), r.n())), "min");
    assertEquals(ScalarReductions.argmax(a, r.ao(), r.n()), Reductions.argmax(a, r.ao(), r.n()), "argmax");
    assertEquals(ScalarReductions.argmin(a, r.ao(), r.n()), Reductions.argmin(a, r.ao(), r.n()), "argmin");
  }

  record Update(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n) {}

  @Provide
  Arbitrary<Update> updates() {
    Arbitrary<Integer> room = Arbitraries.integers().between(0, 3);
    return Combinators.combine(Floats.lengths(), Floats.offsets(), Floats.offsets(), Floats.offsets(), room,
            Arbitraries.integers().between(0, 1000))
        .flatAs((n, ro, bo, io, extra, k) -> Combinators.combine(
                Floats.arrays(ro + n + extra, Floats.values()),
                Floats.arrays(bo + n + extra, Floats.values()),
                Arbitraries.integers().between(-1, 1000).array(int[].class).ofSize(io + n + extra))
            .as((row, best, idx) -> new Update(row, ro, best, bo, idx, io, k, n)));
  }

  interface UpdateKernel { void run(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n); }

  @Property(tries = 200)
  void argmaxUpdateMatchesTheTwinAndStaysInRange(@ForAll("updates") Update u) {
    checkUpdate(u, Reductions::argmaxUpdate, ScalarReductions::argmaxUpdate);
  }

  @Property(tries = 200)
  void argminUpdateMatchesTheTwinAndStaysInRange(@ForAll("updates") Update u) {
    checkUpdate(u, Reductions::argminUpdate, ScalarReductions::argminUpdate);
  }

  static void checkUpdate(Update u, UpdateKernel simd, UpdateKernel scalar) {
    float[] best = u.best().clone(), expectedBest = u.best().clone(), row = u.row().clone();
    int[] idx = u.idx().clone(), expectedIdx = u.idx().clone();
    scalar.run(u.row().clone(), u.ro(), expectedBest, u.bo(), expectedIdx, u.io(), u.k(), u.n());
    simd.run(row, u.ro(), best, u.bo(), idx, u.io(), u.k(), u.n());
    Floats.assertClose(expectedBest, best, 0, "best");
    assertArrayEquals(expectedIdx, idx, "idx");
    Floats.assertClose(u.row(), row, 0, "row changed");
    ElementwiseTest.assertUntouchedOutside(u.best(), expectedBest, u.bo(), u.n(), "twin best");
    for (int j = 0; j < idx.length; j++) {
      if (j < u.io() || j >= u.io() + u.n()) assertEquals(u.idx()[j], expectedIdx[j], "twin idx outside range");
    }
  }

  // ---- the same contracts once C2 has compiled the kernels (see the note in ElementwiseTest) ----

  @Example
  void reductionsStayExactOnceCompiled() {
    float[][] inputs = compiledInputs(4099); // not whole vectors, so the tails run too
    float[] expectedBest = inputs[0].clone();
    int[] expectedIdx = new int[expectedBest.length];
    for (int k = 1; k < inputs.length; k++) {
      ScalarReductions.argmaxUpdate(inputs[k], 0, expectedBest, 0, expectedIdx, 0, k, expectedBest.length);
    }
    for (int round = 0; round < ElementwiseTest.ROUNDS; round++) {
      for (float[] a : inputs) {
        int n = a.length;
        String what = "round " + round + ": ";
        assertTrue(Floats.sameBits(ScalarReductions.max(a, 0, n), Reductions.max(a, 0, n)), what + "max");
        assertTrue(Floats.sameBits(ScalarReductions.min(a, 0, n), Reductions.min(a, 0, n)), what + "min");
        assertEquals(ScalarReductions.argmax(a, 0, n), Reductions.argmax(a, 0, n), what + "argmax");
        assertEquals(ScalarReductions.argmin(a, 0, n), Reductions.argmin(a, 0, n), what + "argmin");
        double magnitudes = 0, squares = 0;
        for (float x : a) {
          magnitudes += Math.abs(x);
          squares += (double) x * x;
        }
        assertWithinBound(ScalarReductions.sum(a, 0, n), Reductions.sum(a, 0, n), bound(n, magnitudes));
        assertWithinBound(ScalarReductions.sumSquares(a, 0, n), Reductions.sumSquares(a, 0, n), bound(n, squares));
      }
      float[] best = inputs[0].clone();
      int[] idx = new int[best.length];
      for (int k = 1; k < inputs.length; k++) Reductions.argmaxUpdate(inputs[k], 0, best, 0, idx, 0, k, best.length);
      Floats.assertClose(expectedBest, best, 0, "round " + round + ": argmaxUpdate best");
      assertArrayEquals(expectedIdx, idx, "round " + round + ": argmaxUpdate idx");
    }
  }

  /** Ties everywhere, zeros of both signs, NaN early, late, in the tail or nowhere; no overflowing sums. */
  static float[][] compiledInputs(int n) {
    Random random = new Random(7);
    float[][] in = new float[8][n];
    for (int i = 0; i < n; i++) {
      in[0][i] = random.nextInt(7) - 3;
      in[1][i] = random.nextBoolean() ? 0f : -0f;
      in[2][i] = (random.nextFloat() - 0.5f) * 1000f;
      in[3][i] = in[0][i];
      in[4][i] = in[2][i];
      in[5][i] = -i;
      in[6][i] = i % 100 == 7 ? Float.NaN : in[0][i];
      in[7][i] = random.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : in[1][i];
    }
    in[3][n - 2] = Float.NaN; // in the scalar tail
    in[4][2000] = Float.NaN;
    in[5][n - 1] = 1f;
    return in;
  }

  // ---- hand-computed values ----

  @Example
  void argmaxTakesTheFirstOfTiedMaxima() {
    float[] a = {1f, 3f, 3f};
    assertEquals(1, Reductions.argmax(a, 0, 3));
    assertEquals(1, ScalarReductions.argmax(a, 0, 3));
    float[] b = {2f, -1f, -1f};
    assertEquals(1, Reductions.argmin(b, 0, 3));
    assertEquals(1, ScalarReductions.argmin(b, 0, 3));
  }

  @Example
  void firstNaNWinsArgmaxAndArgmin() {
    float[] a = new float[40];
    a[3] = 5f;
    a[17] = Float.NaN;
    a[30] = Float.NaN;
    assertEquals(17, Reductions.argmax(a, 0, a.length));
    assertEquals(17, Reductions.argmin(a, 0, a.length));
    assertEquals(14, Reductions.argmax(a, 3, 30)); // relative to the offset
    assertTrue(Float.isNaN(Reductions.max(a, 0, a.length)));
  }

  @Example
  void tiedZerosOfEitherSignGoToTheFirst() {
    float[] a = {-0f, 0f, -1f, -0f, 0f, -1f, -1f, -1f, -1f, -1f, -1f, -1f, -1f, -1f, -1f, -1f, -1f};
    assertEquals(0, Reductions.argmax(a, 0, a.length));
    assertEquals(0, Reductions.argmax(a, 1, a.length - 1));
    assertEquals(0f, Reductions.max(a, 0, a.length)); // Math.max: +0 above -0
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(Reductions.max(a, 0, a.length)));
  }

  @Example
  void maxInTheTailAfterFullVectors() {
    float[] a = new float[37];
    for (int i = 0; i < a.length; i++) a[i] = -i;
    a[35] = 9f;
    assertEquals(9f, Reductions.max(a, 0, a.length));
    assertEquals(35, Reductions.argmax(a, 0, a.length));
    assertEquals(-36f, Reductions.min(a, 0, a.length));
    assertEquals(36, Reductions.argmin(a, 0, a.length));
  }

  @Example
  void sumsOfEmptyAndIntegerRanges() {
    float[] a = new float[101];
    for (int i = 0; i < a.length; i++) a[i] = i;
    assertEquals(0f, Reductions.sum(a, 0, 0));
    assertEquals(0f, Reductions.sumSquares(a, 5, 0));
    assertEquals(5050f, Reductions.sum(a, 0, a.length));
    assertEquals(338350f, Reductions.sumSquares(a, 0, a.length)); // n(n+1)(2n+1)/6, exact in float
    assertEquals(5050f - 1f - 2f, Reductions.sum(a, 3, 98));
  }

  @Example
  void emptyRangesHaveNoExtremes() {
    float[] a = {1f};
    assertEquals("max: empty range", assertThrows(IllegalArgumentException.class, () -> Reductions.max(a, 0, 0)).getMessage());
    assertEquals("max: empty range", assertThrows(IllegalArgumentException.class, () -> ScalarReductions.max(a, 0, 0)).getMessage());
    assertEquals("min: empty range", assertThrows(IllegalArgumentException.class, () -> Reductions.min(a, 1, 0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Reductions.argmax(a, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> ScalarReductions.argmin(a, 0, 0));
  }

  @Example
  void argmaxUpdateKeepsEarlierRowsOnTiesAndTakesNaN() {
    float[][] rows = {
        {1f, 5f, 2f, Float.NaN, 0f, 1f, 1f, 1f, 9f},
        {3f, 5f, 1f, 7f, Float.NaN, 1f, 2f, 0f, 9f},
        {2f, 6f, 2f, 8f, 4f, 1f, 3f, 0f, 9f}};
    float[] best = rows[0].clone();
    int[] idx = new int[best.length];
    for (int k = 1; k < rows.length; k++) Reductions.argmaxUpdate(rows[k], 0, best, 0, idx, 0, k, best.length);
    Floats.assertClose(new float[] {3f, 6f, 2f, Float.NaN, Float.NaN, 1f, 3f, 1f, 9f}, best, 0, "best");
    assertArrayEquals(new int[] {1, 2, 0, 0, 1, 0, 2, 0, 0}, idx);
  }

  record Block(float[] g, int go, int rows, int n, int oo, int threads) {}

  /** Blocks of up to 40 rows by up to 300 columns (every loop's vector part, its tail, or both), now and then one big enough to split over threads. */
  @Provide
  Arbitrary<Block> blocks() {
    Arbitrary<Integer> rows = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 40)),
        Tuple.of(1, Arbitraries.integers().between(256, 600)));
    return Combinators.combine(rows, Floats.lengths(), Floats.offsets(), Floats.offsets(),
            Arbitraries.integers().between(1, 3))
        .flatAs((r, n, go, oo, t) -> Arbitraries.longs().map(seed -> new Block(fill(go + r * n, seed), go, r, n, oo, t)));
  }

  /** n values from a seed (jqwik draws arrays this large too slowly): mostly in [-100, 100], sometimes ±0, ±1e8, NaN, ±∞ or any bits. */
  static float[] fill(int n, long seed) {
    Random r = new Random(seed);
    float[] special = {0f, -0f, 1e8f, -1e8f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(40);
      g[i] = kind == 0 ? special[r.nextInt(special.length)] : kind == 1 ? Float.intBitsToFloat(r.nextInt())
          : (r.nextInt(2_000_001) - 1_000_000) / 1e4f;
    }
    return g;
  }

  /**
   * Column sums give the twin's bits exactly (each column added from 0 in row order, so a column of
   * −0s sums to +0, as PyTorch's and the twin's loops do), on any thread count, and write nothing
   * outside their range.
   */
  @Property(tries = 300)
  void sumRowsIsTheTwinBitForBit(@ForAll("blocks") Block b) {
    float[] expected = new float[b.oo() + b.n() + 2];
    float[] actual = new float[b.oo() + b.n() + 2];
    java.util.Arrays.fill(expected, 7f);
    java.util.Arrays.fill(actual, 7f);
    ScalarReductions.sumRows(b.g(), b.go(), b.rows(), b.n(), expected, b.oo());
    int before = Parallel.threads();
    try {
      Parallel.setThreads(b.threads());
      Reductions.sumRows(b.g(), b.go(), b.rows(), b.n(), actual, b.oo());
    } finally {
      Parallel.setThreads(before);
    }
    Floats.assertClose(expected, actual, 0, b.rows() + "x" + b.n() + " on " + b.threads() + " thread(s)");
  }

  @Example
  void sumRowsAddsInRowOrderFromPositiveZero() {
    // Over 3 rows, 1e8 + 1 − 1e8 is 0 in float when added in this order and 1 in any other; a column
    // of −0s added from +0 is +0. 83 columns: blocks of four vectors, single vectors and a tail.
    int n = 83;
    float[] g = new float[3 * n];
    for (int j = 0; j < n; j++) {
      boolean zeros = j % 2 == 1;
      g[j] = zeros ? -0f : 1e8f;
      g[n + j] = zeros ? -0f : 1f;
      g[2 * n + j] = zeros ? -0f : -1e8f;
    }
    float[] out = new float[n];
    Reductions.sumRows(g, 0, 3, n, out, 0);
    for (int j = 0; j < n; j++) {
      assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[j]), "column " + j);
    }
  }
}
