package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Activations} against its twin {@link ScalarActivations} on drawn ranges (bitwise for relu
 * and leakyRelu, within the stated ulp bounds otherwise), and the accuracy bounds themselves against
 * the exact functions in double over the whole float line: specials, ±0, subnormals, ±88, ±inf, NaN,
 * scattered bit patterns and a dense run over the active range, before and after C2 compiles the loops.
 */
class ActivationsTest {

  interface Unary { void run(float[] a, int ao, float[] out, int oo, int n); }
  interface Grad { void run(float[] x, int xo, float[] g, int go, float[] out, int oo, int n); }

  record Fwd(String name, Unary simd, Unary scalar, long ulps) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Bwd(String name, Grad simd, Grad scalar) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** SIMD vs twin: the twin is within half an ulp of the exact value, so the SIMD bound plus one (GELU: plus the twin's own 2). */
  static final List<Fwd> FORWARD = List.of(
      new Fwd("relu", Activations::relu, ScalarActivations::relu, 0),
      new Fwd("leakyRelu", (a, ao, o, oo, n) -> Activations.leakyRelu(a, ao, 0.1f, o, oo, n),
          (a, ao, o, oo, n) -> ScalarActivations.leakyRelu(a, ao, 0.1f, o, oo, n), 0),
      new Fwd("sigmoid", Activations::sigmoid, ScalarActivations::sigmoid, Activations.SIGMOID_ULPS + 1),
      new Fwd("tanh", Activations::tanh, ScalarActivations::tanh, Activations.TANH_ULPS + 1),
      new Fwd("silu", Activations::silu, ScalarActivations::silu, Activations.SIGMOID_ULPS + 1),
      new Fwd("softplus", (a, ao, o, oo, n) -> Activations.softplus(a, ao, 1f, 20f, o, oo, n),
          (a, ao, o, oo, n) -> ScalarActivations.softplus(a, ao, 1f, 20f, o, oo, n), Activations.SOFTPLUS_ULPS + 1),
      new Fwd("gelu", Activations::gelu, ScalarActivations::gelu, Activations.GELU_ULPS + 3));

  static final List<Bwd> BACKWARD = List.of(
      new Bwd("reluBackward", Activations::reluBackward, ScalarActivations::reluBackward),
      new Bwd("leakyReluBackward", (x, xo, g, go, o, oo, n) -> Activations.leakyReluBackward(x, xo, 0.1f, g, go, o, oo, n),
          (x, xo, g, go, o, oo, n) -> ScalarActivations.leakyReluBackward(x, xo, 0.1f, g, go, o, oo, n)),
      new Bwd("sigmoidBackward", Activations::sigmoidBackward, ScalarActivations::sigmoidBackward),
      new Bwd("tanhBackward", Activations::tanhBackward, ScalarActivations::tanhBackward),
      new Bwd("siluBackward", Activations::siluBackward, ScalarActivations::siluBackward),
      new Bwd("softplusBackward", (x, xo, g, go, o, oo, n) -> Activations.softplusBackward(x, xo, 2f, 5f, g, go, o, oo, n),
          (x, xo, g, go, o, oo, n) -> ScalarActivations.softplusBackward(x, xo, 2f, 5f, g, go, o, oo, n)),
      new Bwd("geluBackward", Activations::geluBackward, ScalarActivations::geluBackward),
      new Bwd("geluTanhBackward", Activations::geluTanhBackward, ScalarActivations::geluTanhBackward));

  record Case(int n, float[] a, int ao, float[] g, int go, int oo) {}

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(Floats.lengths(), Floats.offsets(), Floats.offsets(), Floats.offsets())
        .flatAs((n, ao, go, oo) -> Combinators.combine(Floats.arrays(ao + n, Floats.values()),
            Floats.arrays(go + n, Arbitraries.integers().between(-1000, 1000).map(i -> i / 100f)))
            .as((a, g) -> new Case(n, a, ao, g, go, oo)));
  }

  /** Ordinary inputs for the backward kernels, where the derivative is well conditioned. */
  @Provide
  Arbitrary<Case> ordinaryCases() {
    return Combinators.combine(Floats.lengths(), Floats.offsets(), Floats.offsets(), Floats.offsets())
        .flatAs((n, ao, go, oo) -> Combinators.combine(
            Floats.arrays(ao + n, Arbitraries.integers().between(-2000, 2000).map(i -> i / 100f)),
            Floats.arrays(go + n, Arbitraries.integers().between(-1000, 1000).map(i -> i / 100f)))
            .as((a, g) -> new Case(n, a, ao, g, go, oo)));
  }

  @Provide
  Arbitrary<Fwd> forward() {
    return Arbitraries.of(FORWARD);
  }

  @Provide
  Arbitrary<Bwd> backward() {
    return Arbitraries.of(BACKWARD);
  }

  @Property(tries = 400)
  void forwardKernelsMatchTheirTwins(@ForAll("forward") Fwd k, @ForAll("cases") Case c) {
    float[] expected = new float[c.oo + c.n + 2];
    float[] actual = expected.clone();
    k.scalar().run(c.a, c.ao, expected, c.oo, c.n);
    k.simd().run(c.a.clone(), c.ao, actual, c.oo, c.n);
    assertNear(expected, actual, k.ulps(), k.name());
  }

  @Property(tries = 400)
  void backwardKernelsMatchTheirTwins(@ForAll("backward") Bwd k, @ForAll("ordinaryCases") Case c) {
    float[] expected = new float[c.oo + c.n + 2];
    float[] actual = expected.clone();
    k.scalar().run(c.a, c.ao, c.g, c.go, expected, c.oo, c.n);
    k.simd().run(c.a, c.ao, c.g, c.go, actual, c.oo, c.n);
    for (int i = 0; i < expected.length; i++) {
      float gi = i >= c.oo && i < c.oo + c.n ? c.g[c.go + i - c.oo] : 0f;
      // relative to the gradient's size: the factors cancel near a root of the derivative (silu at −1.28)
      if (!(Math.abs(expected[i] - actual[i]) <= 2e-6 * (Math.abs(expected[i]) + Math.abs(gi)))) {
        fail(k + ": index " + i + ": expected " + expected[i] + ", got " + actual[i] + " (x = "
            + (i >= c.oo && i < c.oo + c.n ? c.a[c.ao + i - c.oo] : Float.NaN) + ")");
      }
    }
  }

  /** tanh-GELU: its bound grows with |2u| (the exponent of its sigmoid), so it is checked on its own. */
  @Property(tries = 200)
  void geluTanhMatchesItsTwinWithinItsBound(@ForAll("cases") Case c) {
    float[] expected = new float[c.n], actual = new float[c.n];
    ScalarActivations.geluTanh(c.a, c.ao, expected, 0, c.n);
    Activations.geluTanh(c.a, c.ao, actual, 0, c.n);
    for (int i = 0; i < c.n; i++) {
      double x = c.a[c.ao + i];
      double u2 = Math.abs(2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x));
      long bound = (long) Math.ceil(4 * Math.max(1, Math.min(u2, 1e6))) + 1;
      assertNear(new float[] {expected[i]}, new float[] {actual[i]}, bound, "geluTanh(" + x + ")");
    }
  }

  @Property(tries = 200)
  void inPlaceGivesTheSameAsOutOfPlace(@ForAll("forward") Fwd k, @ForAll("cases") Case c) {
    float[] out = new float[c.n];
    k.simd().run(c.a, c.ao, out, 0, c.n);
    float[] a = c.a.clone();
    k.simd().run(a, c.ao, a, c.ao, c.n);
    Floats.assertClose(java.util.Arrays.copyOfRange(a, c.ao, c.ao + c.n), out, 0, k + " in place");
  }

  // ---- accuracy against the exact functions, the whole float line ----

  /** Specials, ±88, subnormals, scattered bit patterns over the whole float line and a dense run over [-110, 95]. */
  static float[] sweep() {
    float[] specials = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-40f, -1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE,
        88f, -88f, 88.72283f, 88.72284f, -87.33655f, -103.97208f, -103.97209f, 0.3f, -0.3f, 0.29999998f, 20f, 20.000002f};
    float[] x = new float[1 << 15];
    System.arraycopy(specials, 0, x, 0, specials.length);
    for (int i = specials.length; i < x.length; i++) {
      x[i] = i % 2 == 0 ? Float.intBitsToFloat(i * 0x9E3779B9) : -110f + 205f * i / x.length;
    }
    return x;
  }

  record Accuracy(String name, Unary simd, DoubleUnaryOperator exact, double ulps, double floor) {}

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static final List<Accuracy> ACCURACY = List.of(
      new Accuracy("exp", Elementwise::exp, Math::exp, ElementwiseTest.TRANSCENDENTAL_ULPS, 0),
      new Accuracy("sigmoid", Activations::sigmoid, ActivationsTest::sigmoid, Activations.SIGMOID_ULPS, 0),
      new Accuracy("tanh", Activations::tanh, Math::tanh, Activations.TANH_ULPS, 0),
      new Accuracy("silu", Activations::silu, x -> x * sigmoid(x), Activations.SIGMOID_ULPS, 1e-30),
      new Accuracy("softplus", (a, ao, o, oo, n) -> Activations.softplus(a, ao, 1f, 20f, o, oo, n),
          x -> x > 20 ? x : Math.log1p(Math.exp(x)), Activations.SOFTPLUS_ULPS, 1e-30));

  /**
   * Every value within the bound of the exact function rounded to float. Results below {@code floor}
   * in magnitude (silu, softplus far left, where subnormal results have few digits) need only be
   * within {@code floor}. Run for many rounds so C2 has compiled the kernels for the later ones.
   */
  @Example
  void accuracyBoundsHoldOverTheWholeFloatLine() {
    float[] x = sweep();
    float[] out = new float[x.length];
    for (Accuracy acc : ACCURACY) {
      float[] expected = new float[x.length];
      for (int i = 0; i < x.length; i++) expected[i] = (float) acc.exact().applyAsDouble(x[i]);
      for (int round = 0; round < 60; round++) {
        acc.simd().run(x, 0, out, 0, x.length);
        for (int i = 0; i < x.length; i++) {
          if (Math.abs(expected[i]) < acc.floor() && Math.abs(out[i] - expected[i]) <= acc.floor()) continue;
          if (Floats.ulps(expected[i], out[i]) > acc.ulps()) {
            fail(acc.name() + ", round " + round + ": x = " + x[i] + ": expected " + expected[i] + ", got " + out[i]
                + " (" + Floats.ulps(expected[i], out[i]) + " ulps, bound " + acc.ulps() + ")");
          }
        }
      }
    }
  }

  @Example
  void specialValuesFollowPyTorch() {
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
    float[] x = {-inf, inf, nan, -0f, 0f, -100f, 100f};
    check("relu", Activations::relu, x, new float[] {0f, inf, nan, -0f, 0f, 0f, 100f});
    check("sigmoid", Activations::sigmoid, x, new float[] {0f, 1f, nan, 0.5f, 0.5f, 3.7200760e-44f, 1f});
    check("tanh", Activations::tanh, x, new float[] {-1f, 1f, nan, -0f, 0f, -1f, 1f});
    check("gelu", Activations::gelu, x, new float[] {nan, inf, nan, -0f, 0f, -0f, 100f});
    check("silu", Activations::silu, x, new float[] {nan, inf, nan, -0f, 0f, -3.7200760e-42f, 100f});
  }

  private static void check(String name, Unary k, float[] x, float[] expected) {
    float[] in = new float[x.length * 5]; // past one vector, so both the vector loop and the tail see every value
    for (int i = 0; i < in.length; i++) in[i] = x[i % x.length];
    float[] out = new float[in.length];
    k.run(in, 0, out, 0, in.length);
    for (int i = 0; i < in.length; i++) {
      float e = expected[i % x.length];
      // zeros must carry PyTorch's sign; tiny results (a subnormal sigmoid inside silu) only absolutely close
      boolean ok = Float.isNaN(e) ? Float.isNaN(out[i])
          : e == 0f ? Float.floatToIntBits(e) == Float.floatToIntBits(out[i])
          : Floats.ulps(e, out[i]) <= 4 || Math.abs(e - out[i]) <= 1e-37f;
      if (!ok) fail(name + "(" + in[i] + "): expected " + e + ", got " + out[i]);
    }
  }

  static void assertNear(float[] expected, float[] actual, long ulps, String what) {
    for (int i = 0; i < expected.length; i++) {
      boolean ok = ulps == 0 ? Floats.sameBits(expected[i], actual[i])
          : Floats.ulps(expected[i], actual[i]) <= ulps || Math.abs(expected[i] - actual[i]) <= 1e-37f;
      if (!ok) {
        fail(String.format("%s: index %d: expected %s, got %s (%d ulps, bound %d)", what, i, expected[i], actual[i],
            Floats.ulps(expected[i], actual[i]), ulps));
      }
    }
  }

  @Example
  void tanhSwitchesFormsWithoutAJump() {
    float[] x = {Math.nextDown(Activations.TANH_SMALL), Activations.TANH_SMALL, -Activations.TANH_SMALL};
    float[] out = new float[x.length];
    Activations.tanh(x, 0, out, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals((float) Math.tanh(x[i]), out[i], 3 * Math.ulp(out[i]), "tanh(" + x[i] + ")");
    }
  }
}
