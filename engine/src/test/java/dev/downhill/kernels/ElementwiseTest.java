package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Elementwise} and {@link Compare} against their twins {@link ScalarElementwise} and
 * {@link ScalarCompare}: bitwise for everything IEEE rounds correctly, within an ulp bound for exp,
 * log, pow, sin and cos; nothing outside the output range is written;
 * in-place calls give what out-of-place calls give.
 */
class ElementwiseTest {

  /**
   * exp and log: measured at most 1 ulp from {@code (float) Math.exp/log((double) x)} over every 7th
   * float bit pattern (SVML "ha" on AVX2, JDK 25). The twin is itself within ~0.5 ulp of the true value
   * and SVML within 1, so no input can be 2 apart. pow: 0 on AVX2 (no vector POW there, it runs
   * Math.pow per lane); the same 1-ulp reasoning covers the 512-bit SVML pow elsewhere.
   */
  static final long TRANSCENDENTAL_ULPS = 1;

  // ---- every kernel seen through one shape, so one check covers them all ----

  /** Inputs a and b (b may go unused), scalars s and t (may go unused), output range of out. */
  @FunctionalInterface
  interface Kernel {
    void run(float[] a, int ao, float[] b, int bo, float s, float t, float[] out, int oo, int n);
  }

  record Twin(String name, Kernel simd, Kernel scalar) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Binary { void run(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n); }
  interface WithScalar { void run(float[] a, int ao, float s, float[] out, int oo, int n); }
  interface ScalarFirst { void run(float s, float[] b, int bo, float[] out, int oo, int n); }
  interface Unary { void run(float[] a, int ao, float[] out, int oo, int n); }

  static Kernel binary(Binary f) { return (a, ao, b, bo, s, t, out, oo, n) -> f.run(a, ao, b, bo, out, oo, n); }
  static Kernel withScalar(WithScalar f) { return (a, ao, b, bo, s, t, out, oo, n) -> f.run(a, ao, s, out, oo, n); }
  static Kernel scalarFirst(ScalarFirst f) { return (a, ao, b, bo, s, t, out, oo, n) -> f.run(s, b, bo, out, oo, n); }
  static Kernel unary(Unary f) { return (a, ao, b, bo, s, t, out, oo, n) -> f.run(a, ao, out, oo, n); }

  static <F> Twin twin(String name, F simd, F scalar, Function<F, Kernel> shape) {
    return new Twin(name, shape.apply(simd), shape.apply(scalar));
  }

  static final List<Twin> EXACT = List.of(
      twin("add", Elementwise::add, ScalarElementwise::add, ElementwiseTest::binary),
      twin("sub", Elementwise::sub, ScalarElementwise::sub, ElementwiseTest::binary),
      twin("mul", Elementwise::mul, ScalarElementwise::mul, ElementwiseTest::binary),
      twin("div", Elementwise::div, ScalarElementwise::div, ElementwiseTest::binary),
      twin("maximum", Elementwise::maximum, ScalarElementwise::maximum, ElementwiseTest::binary),
      twin("minimum", Elementwise::minimum, ScalarElementwise::minimum, ElementwiseTest::binary),
      twin("maxWeight", Elementwise::maxWeight, ScalarElementwise::maxWeight, ElementwiseTest::binary),
      twin("addScalar", Elementwise::addScalar, ScalarElementwise::addScalar, ElementwiseTest::withScalar),
      twin("subScalar", Elementwise::subScalar, ScalarElementwise::subScalar, ElementwiseTest::withScalar),
      twin("mulScalar", Elementwise::mulScalar, ScalarElementwise::mulScalar, ElementwiseTest::withScalar),
      twin("divScalar", Elementwise::divScalar, ScalarElementwise::divScalar, ElementwiseTest::withScalar),
      twin("maximumScalar", Elementwise::maximumScalar, ScalarElementwise::maximumScalar, ElementwiseTest::withScalar),
      twin("minimumScalar", Elementwise::minimumScalar, ScalarElementwise::minimumScalar, ElementwiseTest::withScalar),
      twin("rsubScalar", Elementwise::rsubScalar, ScalarElementwise::rsubScalar, ElementwiseTest::scalarFirst),
      twin("rdivScalar", Elementwise::rdivScalar, ScalarElementwise::rdivScalar, ElementwiseTest::scalarFirst),
      twin("neg", Elementwise::neg, ScalarElementwise::neg, ElementwiseTest::unary),
      twin("abs", Elementwise::abs, ScalarElementwise::abs, ElementwiseTest::unary),
      twin("sqrt", Elementwise::sqrt, ScalarElementwise::sqrt, ElementwiseTest::unary),
      twin("square", Elementwise::square, ScalarElementwise::square, ElementwiseTest::unary),
      twin("sign", Elementwise::sign, ScalarElementwise::sign, ElementwiseTest::unary),
      new Twin("clamp",
          (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.clamp(a, ao, s, t, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.clamp(a, ao, s, t, out, oo, n)),
      new Twin("clampMask",
          (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.clampMask(a, ao, s, t, b, bo, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.clampMask(a, ao, s, t, b, bo, out, oo, n)),
      new Twin("axpy",
          (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.axpy(s, a, ao, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.axpy(s, a, ao, out, oo, n)),
      new Twin("addInto",
          (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.addInto(a, ao, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.addInto(a, ao, out, oo, n)),
      new Twin("fill",
          (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.fill(out, oo, n, s),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.fill(out, oo, n, s)),
      // Compare: the condition is input a itself (mixed values hold many exact zeros), the branches a and b
      new Twin("where",
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.where(a, ao, b, bo, a, ao, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.where(a, ao, b, bo, a, ao, out, oo, n)),
      new Twin("fillWhere",
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.fillWhere(a, ao, s, b, bo, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.fillWhere(a, ao, s, b, bo, out, oo, n)),
      new Twin("keepWhere(true)",
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.keepWhere(a, ao, true, b, bo, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.keepWhere(a, ao, true, b, bo, out, oo, n)),
      new Twin("keepWhere(false)",
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.keepWhere(a, ao, false, b, bo, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.keepWhere(a, ao, false, b, bo, out, oo, n)));

  /** Every comparison against a second array and against a scalar. */
  static final List<Twin> COMPARISONS = java.util.Arrays.stream(Comparison.values()).flatMap(c -> Stream.of(
      new Twin("compare " + c,
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.compare(c, a, ao, b, bo, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.compare(c, a, ao, b, bo, out, oo, n)),
      new Twin("compareScalar " + c,
          (a, ao, b, bo, s, t, out, oo, n) -> Compare.compareScalar(c, a, ao, s, out, oo, n),
          (a, ao, b, bo, s, t, out, oo, n) -> ScalarCompare.compareScalar(c, a, ao, s, out, oo, n)))).toList();

  static final List<Twin> TRANSCENDENTAL = List.of(
      twin("exp", Elementwise::exp, ScalarElementwise::exp, ElementwiseTest::unary),
      twin("log", Elementwise::log, ScalarElementwise::log, ElementwiseTest::unary),
      twin("pow", Elementwise::pow, ScalarElementwise::pow, ElementwiseTest::withScalar),
      twin("sin", Elementwise::sin, ScalarElementwise::sin, ElementwiseTest::unary),
      twin("cos", Elementwise::cos, ScalarElementwise::cos, ElementwiseTest::unary));

  // ---- generated cases ----

  /** Where the output goes: its own array, or the very range of input a, or of input b. */
  enum Alias { NONE, A, B }

  record Case(int n, float[] a, int ao, float[] b, int bo, float[] out, int oo, float s, float t, Alias alias) {
    float[] target(float[] a, float[] b, float[] out) {
      return switch (alias) { case NONE -> out; case A -> a; case B -> b; };
    }

    int targetOffset() {
      return switch (alias) { case NONE -> oo; case A -> ao; case B -> bo; };
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> slack = Arbitraries.integers().between(0, 3); // room after each range, sometimes none
    return Combinators.combine(Floats.lengths(), Floats.offsets(), Floats.offsets(), Floats.offsets(), slack,
            Arbitraries.of(Alias.class))
        .flatAs((n, ao, bo, oo, room, alias) -> Combinators.combine(
                Floats.arrays(ao + n + room, Floats.values()),
                Floats.arrays(bo + n + room, Floats.values()),
                Floats.arrays(oo + n + room, Floats.values()),
                Floats.values(), Floats.values())
            .as((a, b, out, s, t) -> new Case(n, a, ao, b, bo, out, oo, s, t, alias)));
  }

  @Provide
  Arbitrary<Twin> exact() {
    return Arbitraries.of(Stream.concat(EXACT.stream(), COMPARISONS.stream()).toList());
  }

  @Provide
  Arbitrary<Twin> transcendental() {
    return Arbitraries.of(TRANSCENDENTAL);
  }

  @Provide
  Arbitrary<Float> powShortcuts() {
    return Arbitraries.of(2f, 1f, 0.5f, 0f, -0f, -1f);
  }

  // ---- properties ----

  @Property(tries = 1000)
  void exactKernelsMatchTheirTwinBitwise(@ForAll("exact") Twin k, @ForAll("cases") Case c) {
    check(k, c, 0);
  }

  @Property(tries = 300)
  void transcendentalKernelsStayWithinTheUlpBound(@ForAll("transcendental") Twin k, @ForAll("cases") Case c) {
    check(k, c, TRANSCENDENTAL_ULPS);
  }

  @Property(tries = 200)
  void powShortcutsMatchTheTwinBitwise(@ForAll("powShortcuts") float p, @ForAll("cases") Case c) {
    check(new Twin("pow^" + p,
        (a, ao, b, bo, s, t, out, oo, n) -> Elementwise.pow(a, ao, p, out, oo, n),
        (a, ao, b, bo, s, t, out, oo, n) -> ScalarElementwise.pow(a, ao, p, out, oo, n)), c, 0);
  }

  /**
   * The reference is the scalar twin writing into a separate copy of the target array. Both twins then
   * run in the case's own (possibly in-place) form and must match it: inside the range up to
   * {@code maxUlps} for the SIMD kernel, bitwise for the twin; outside the range, and in every array
   * that is not the target, nothing may change.
   */
  static void check(Twin k, Case c, long maxUlps) {
    int to = c.targetOffset();
    float[] original = c.target(c.a, c.b, c.out);
    float[] expected = original.clone();
    k.scalar().run(c.a.clone(), c.ao, c.b.clone(), c.bo, c.s, c.t, expected, to, c.n);
    assertUntouchedOutside(original, expected, to, c.n, k + " twin, out of place");

    for (Kernel kernel : List.of(k.simd(), k.scalar())) {
      String what = k + (kernel == k.simd() ? " simd" : " twin") + ", output " + c.alias;
      float[] a = c.a.clone(), b = c.b.clone(), out = c.out.clone();
      float[] target = c.target(a, b, out);
      kernel.run(a, c.ao, b, c.bo, c.s, c.t, target, to, c.n);
      Floats.assertClose(expected, target, kernel == k.simd() ? maxUlps : 0, what);
      assertUntouchedOutside(original, target, to, c.n, what);
      if (target != a) Floats.assertClose(c.a, a, 0, what + ": input a changed");
      if (target != b) Floats.assertClose(c.b, b, 0, what + ": input b changed");
      if (target != out) Floats.assertClose(c.out, out, 0, what + ": unused out changed");
    }
  }

  static void assertUntouchedOutside(float[] before, float[] after, int from, int n, String what) {
    for (int j = 0; j < before.length; j++) {
      if ((j < from || j >= from + n) && Float.floatToRawIntBits(before[j]) != Float.floatToRawIntBits(after[j])) {
        throw new AssertionError(what + ": wrote index " + j + " outside [" + from + ", " + (from + n) + ")");
      }
    }
  }

  // ---- hand-computed values, each pattern tiled past one vector so both the vector loop and the tail see it ----

  static float[] tile(float... pattern) {
    float[] r = new float[3 * 8 + 3];
    for (int i = 0; i < r.length; i++) r[i] = pattern[i % pattern.length];
    return r;
  }

  /** Runs both twins on {@code in} (with scalars s and t) and checks the output against {@code expected}, bitwise. */
  static void assertUnary(Twin k, float s, float t, float[] in, float[] expected) {
    for (Kernel kernel : List.of(k.simd(), k.scalar())) {
      float[] out = new float[in.length];
      kernel.run(in, 0, in, 0, s, t, out, 0, in.length);
      Floats.assertClose(expected, out, 0, k.toString());
    }
  }

  static Twin named(String name) {
    return Stream.concat(EXACT.stream(), TRANSCENDENTAL.stream())
        .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Example
  void signIsPlusZeroForBothZerosAndKeepsNaN() {
    float inf = Float.POSITIVE_INFINITY;
    assertUnary(named("sign"), 0f, 0f, tile(-2f, -0f, 0f, 3f, Float.NaN, -inf, Float.MIN_VALUE),
        tile(-1f, 0f, 0f, 1f, Float.NaN, -1f, 1f));
  }

  @Example
  void maxWeightSplitsTiesEvenly() {
    Twin k = named("maxWeight");
    float[] a = tile(1f, 2f, 3f, -0f, Float.NaN, 1f), b = tile(2f, 2f, 2f, 0f, 1f, Float.NaN);
    float[] expected = tile(0f, 0.5f, 1f, 0.5f, 0f, 0f);
    for (Kernel kernel : List.of(k.simd(), k.scalar())) {
      float[] out = new float[a.length];
      kernel.run(a, 0, b, 0, 0f, 0f, out, 0, a.length);
      assertArrayEquals(expected, out);
    }
  }

  @Example
  void maximumAndMinimumFollowMath() {
    float nan = Float.NaN;
    float[] a = tile(-0f, 0f, nan, 1f, 2f), b = tile(0f, -0f, 1f, nan, -3f);
    float[] max = new float[a.length], min = new float[a.length];
    Elementwise.maximum(a, 0, b, 0, max, 0, a.length);
    Elementwise.minimum(a, 0, b, 0, min, 0, a.length);
    Floats.assertClose(tile(0f, 0f, nan, nan, 2f), max, 0, "maximum");
    Floats.assertClose(tile(-0f, -0f, nan, nan, -3f), min, 0, "minimum");
  }

  @Example
  void negFlipsTheSignOfZero() {
    assertUnary(named("neg"), 0f, 0f, tile(0f, -0f, 1f), tile(-0f, 0f, -1f));
  }

  @Example
  void clampKeepsNaNAndClampMaskIncludesTheBounds() {
    assertUnary(named("clamp"), 0f, 1f, tile(Float.NaN, -5f, 0.5f, 5f), tile(Float.NaN, 0f, 0.5f, 1f));
    float[] x = tile(0f, 1f, -0.1f, 1.1f, Float.NaN), g = tile(7f), out = new float[x.length];
    Elementwise.clampMask(x, 0, 0f, 1f, g, 0, out, 0, x.length);
    Floats.assertClose(tile(7f, 7f, 0f, 0f, 0f), out, 0, "clampMask");
  }

  @Example
  void powShortcutsAndOrdinaryExponents() {
    Twin pow = named("pow");
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
    assertUnary(pow, 0.5f, 0f, tile(4f, -0f, -inf, 2f), tile(2f, -0f, nan, (float) Math.sqrt(2)));
    assertUnary(pow, 0f, 0f, tile(nan, 0f, -3f), tile(1f));
    assertUnary(pow, -1f, 0f, tile(4f, -0f, 3f), tile(0.25f, -inf, 1f / 3f));
    assertUnary(pow, 3f, 0f, tile(-2f, 0.5f, nan), tile(-8f, 0.125f, nan));
    assertUnary(pow, 1f / 3f, 0f, tile(-8f, 8f), tile(nan, (float) Math.pow(8f, 1f / 3f)));
    assertUnary(pow, inf, 0f, tile(-1f, 1f, 0.5f, 2f), tile(nan, nan, 0f, inf)); // Java's answers, not C's
  }

  @Example
  void expAndLogSpecialValues() {
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
    assertUnary(named("exp"), 0f, 0f, tile(0f, -0f, -inf, inf, nan, -200f, 200f), tile(1f, 1f, 0f, inf, nan, 0f, inf));
    assertUnary(named("log"), 0f, 0f, tile(1f, 0f, -0f, -1f, inf, nan), tile(0f, -inf, -inf, nan, inf, nan));
  }

  @Example
  void axpyInPlaceTriplesWithAlphaTwo() {
    float[] y = tile(1f, -2f, 0.5f);
    Elementwise.axpy(2f, y, 0, y, 0, y.length);
    assertArrayEquals(tile(3f, -6f, 1.5f), y);
  }

  // ---- the same contracts once C2 has compiled the kernels ----
  //
  // Before C2 compiles a kernel, every Vector API call runs the JDK's Java fallback (Math.max, Math.exp,
  // ... lane by lane), which is bound to agree with the twin; the intrinsics that replace it (vector
  // MAX/MIN with their NaN and -0 fix-ups, blends, SVML) are what needs testing, and the properties
  // above mostly finish before C2 steps in. So these sweeps call each kernel on 2048 vectors for many
  // rounds and check every round: about 20 calls reach the OSR threshold, and on JDK 25 exp's results
  // start to differ from the twin's (SVML has taken over) near round 35.

  static final int ROUNDS = 120;

  @Example
  void exactKernelsStayBitwiseOnceCompiled() {
    float[] a = mixed(1 << 14, 1), b = mixed(1 << 14, 2), out = mixed(1 << 14, 3);
    float[][] scalars = {{0.5f, 2f}, {-0f, 0f}, {Float.NaN, 1f}, {-3f, Float.POSITIVE_INFINITY}};
    for (Twin k : Stream.concat(EXACT.stream(), COMPARISONS.stream()).toList()) {
      float[][] expected = new float[scalars.length][];
      for (int j = 0; j < scalars.length; j++) {
        expected[j] = out.clone();
        k.scalar().run(a, 0, b, 0, scalars[j][0], scalars[j][1], expected[j], 0, out.length);
      }
      float[] actual = new float[out.length];
      for (int round = 0; round < ROUNDS; round++) {
        float[] st = scalars[round % scalars.length];
        System.arraycopy(out, 0, actual, 0, out.length);
        k.simd().run(a, 0, b, 0, st[0], st[1], actual, 0, out.length);
        Floats.assertClose(expected[round % scalars.length], actual, 0, k + ", round " + round);
      }
    }
  }

  /** Mostly small integers (ties, exact zeros of both signs) and ordinary numbers, some specials and raw bits. */
  static float[] mixed(int n, long seed) {
    Random random = new Random(seed);
    float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE};
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      x[i] = kind < 4 ? random.nextInt(7) - 3
          : kind < 7 ? (random.nextFloat() - 0.5f) * 200f
          : kind < 8 ? Float.intBitsToFloat(random.nextInt())
          : specials[random.nextInt(specials.length)];
    }
    return x;
  }

  /** The bound of exp, log and pow, checked on every round: early rounds test the fallback, later ones SVML. */
  @Example
  void transcendentalBoundHoldsOnceCompiled() {
    float[] x = sweep();
    float[] expExpected = new float[x.length], logExpected = new float[x.length], powExpected = new float[x.length];
    float[] sinExpected = new float[x.length], cosExpected = new float[x.length];
    ScalarElementwise.sin(x, 0, sinExpected, 0, x.length);
    ScalarElementwise.cos(x, 0, cosExpected, 0, x.length);
    ScalarElementwise.exp(x, 0, expExpected, 0, x.length);
    ScalarElementwise.log(x, 0, logExpected, 0, x.length);
    ScalarElementwise.pow(x, 0, 2.5f, powExpected, 0, x.length);
    float[] out = new float[x.length];
    for (int round = 0; round < 3 * ROUNDS; round++) {
      Elementwise.exp(x, 0, out, 0, x.length);
      Floats.assertClose(expExpected, out, TRANSCENDENTAL_ULPS, "exp, round " + round);
      Elementwise.log(x, 0, out, 0, x.length);
      Floats.assertClose(logExpected, out, TRANSCENDENTAL_ULPS, "log, round " + round);
      Elementwise.sin(x, 0, out, 0, x.length);
      Floats.assertClose(sinExpected, out, TRANSCENDENTAL_ULPS, "sin, round " + round);
      Elementwise.cos(x, 0, out, 0, x.length);
      Floats.assertClose(cosExpected, out, TRANSCENDENTAL_ULPS, "cos, round " + round);
      if (round % 10 == 0) { // Math.pow per lane is slow where no vector library binds POW
        Elementwise.pow(x, 0, 2.5f, out, 0, x.length);
        Floats.assertClose(powExpected, out, TRANSCENDENTAL_ULPS, "pow, round " + round);
      }
    }
  }

  /** Specials, scattered bit patterns over the whole float line, and a dense run over exp's finite range. */
  static float[] sweep() {
    float[] specials = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 88.72283f, 88.72284f, -87.33655f, -103.97208f, -103.97209f};
    float[] x = new float[1 << 14];
    System.arraycopy(specials, 0, x, 0, specials.length);
    for (int i = specials.length; i < x.length; i++) {
      x[i] = i % 2 == 0 ? Float.intBitsToFloat(i * 0x9E3779B9) : -110f + 205f * i / x.length;
    }
    return x;
  }
}
