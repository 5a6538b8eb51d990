package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation functions and their backward as SIMD kernels over {@code float[]} ranges;
 * {@link ScalarActivations} is the plain twin with the same signatures, computing each function in
 * double from {@link Math} and rounding once.
 *
 * <p>Each forward reads {@code a[ao, ao+n)} and overwrites exactly {@code out[oo, oo+n)}; each backward
 * reads the saved forward input {@code x} (or output {@code y}) and the upstream gradient {@code g}
 * and overwrites exactly {@code out[oo, oo+n)} with the input gradient. The output may be the very
 * range of an input; partially overlapping ranges are not supported.
 *
 * <p>Transcendentals: the only Vector API transcendental used is lanewise {@code EXP}, which JDK 25
 * binds to its vector math library (SVML) on x64 AVX2 at about 0.55 ns per float (one core, data in
 * L1; {@code Math.exp} per element: 8.3 ns). Lanewise {@code TANH} took 2.5 ns and {@code LOG1P}
 * 4.3 ns in the same measurement, while tanh built here from {@code EXP} and a polynomial takes
 * 1.3 ns and the whole softplus (with our log1p) 1.7 ns, so those are our own; {@code ERF} has no
 * lanewise operator at all (GELU: 2.5 ns). Measured on JDK 25 only; other JDKs and CPUs may bind
 * different operators, which is why the choice is documented here and re-measurable in bench/. Accuracy against the exact function (double {@link Math}), measured
 * over specials, scattered bit patterns of the whole float line and a dense run around the active
 * range, is documented per method and asserted by {@code ActivationsTest}.
 *
 * <p>Loop shape as in {@link Elementwise}: full vectors, then a scalar tail that calls the same
 * float formulas lane by lane ({@code *1} helpers), so tail and vector results agree.
 */
public final class Activations {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Activations() {}

  // ------------------------------------------------------------------ relu family

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with +0 where {@code a < 0}, else
   * {@code a}: NaN and −0 pass through unchanged, as {@code torch.relu}.
   */
  public static void relu(float[] a, int ao, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      v.blend(zero, v.compare(LT, 0f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] < 0f ? 0f : a[ao + i];
  }

  /** Backward of relu: overwrites {@code out[oo, oo+n)} with {@code g} where {@code x > 0}, else +0 (PyTorch's choice at 0). */
  public static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xo + i);
      zero.blend(FloatVector.fromArray(S, g, go + i), vx.compare(GT, 0f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = x[xo + i] > 0f ? g[go + i] : 0f;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a} where {@code a > 0}, else {@code slope·a}. */
  public static void leakyRelu(float[] a, int ao, float slope, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      v.mul(slope).blend(v, v.compare(GT, 0f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float v = a[ao + i];
      out[oo + i] = v > 0f ? v : v * slope;
    }
  }

  /** Backward of leakyRelu: {@code g} where {@code x > 0}, else {@code slope·g}. */
  public static void leakyReluBackward(float[] x, int xo, float slope, float[] g, int go, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vg = FloatVector.fromArray(S, g, go + i);
      vg.mul(slope).blend(vg, FloatVector.fromArray(S, x, xo + i).compare(GT, 0f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = x[xo + i] > 0f ? g[go + i] : g[go + i] * slope;
  }

  // ------------------------------------------------------------------ sigmoid, tanh, silu

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code 1/(1+e^-a)}. Computed as
   * {@code 1/(1+e)} or {@code e/(1+e)} with {@code e = e^-|a|}, so neither side overflows and tiny
   * results keep their digits: within {@value #SIGMOID_ULPS} ulps of the exact value (subnormal
   * results: within {@code 2^-149·4}).
   */
  public static void sigmoid(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      sigmoid(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = sigmoid1(a[ao + i]);
  }

  /** Ulp bound of {@link #sigmoid}, and of {@link #silu} (one more multiply adds half an ulp, rounded up). */
  public static final int SIGMOID_ULPS = 3;

  /** Backward of sigmoid from its output: {@code g·y·(1−y)}. */
  public static void sigmoidBackward(float[] y, int yo, float[] g, int go, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vy = FloatVector.fromArray(S, y, yo + i);
      FloatVector.fromArray(S, g, go + i).mul(vy).mul(vy.neg().add(1f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float v = y[yo + i];
      out[oo + i] = g[go + i] * v * (1f - v);
    }
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code tanh(a)}. Below |a| = 0.3 an
   * odd Taylor polynomial to degree 11 (truncation under 2e-9 relative); above, {@code 1 − 2/(e^{2|a|}+1)}
   * with the sign put back. Within {@value #TANH_ULPS} ulps of {@code Math.tanh}; −0 stays −0, NaN NaN.
   */
  public static void tanh(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      tanh(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = tanh1(a[ao + i]);
  }

  /** Ulp bound of {@link #tanh}. */
  public static final int TANH_ULPS = 4;

  /** Backward of tanh from its output: {@code g·(1−y²)}. */
  public static void tanhBackward(float[] y, int yo, float[] g, int go, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vy = FloatVector.fromArray(S, y, yo + i);
      FloatVector.fromArray(S, g, go + i).mul(vy.mul(vy).neg().add(1f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float v = y[yo + i];
      out[oo + i] = g[go + i] * (1f - v * v);
    }
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a·sigmoid(a)} (SiLU, swish). */
  public static void silu(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      v.mul(sigmoid(v)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] * sigmoid1(a[ao + i]);
  }

  /** Backward of silu: {@code g·s·(1 + x·(1−s))} with {@code s = sigmoid(x)}. */
  public static void siluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xo + i);
      FloatVector s = sigmoid(vx);
      FloatVector d = s.mul(vx.mul(s.neg().add(1f)).add(1f));
      FloatVector.fromArray(S, g, go + i).mul(d).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i], s = sigmoid1(v);
      out[oo + i] = g[go + i] * (s * (v * (1f - s) + 1f));
    }
  }

  // ------------------------------------------------------------------ softplus

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code log(1 + e^{βa})/β}, or
   * {@code a} itself where {@code βa > threshold} (PyTorch's switch to the linear part). Computed as
   * {@code max(z,0) + log1p(e^-|z|)} with {@code z = βa} and our own log1p on [0, 1] (a series in
   * {@code s = e/(2+e)}), so large negative inputs keep their tiny results. For β = 1: within
   * {@value #SOFTPLUS_ULPS} ulps of {@code Math.log1p(Math.exp(a))}.
   */
  public static void softplus(float[] a, int ao, float beta, float threshold, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      FloatVector z = v.mul(beta);
      FloatVector sp = z.max(0f).add(log1pUnit(VMath.exp(z.abs().neg()))).div(beta);
      sp.blend(v, z.compare(GT, threshold)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = softplus1(a[ao + i], beta, threshold);
  }

  /** Ulp bound of {@link #softplus} for β = 1. */
  public static final int SOFTPLUS_ULPS = 4;

  /** Backward of softplus: {@code g·sigmoid(βx)}, or {@code g} where {@code βx > threshold}. */
  public static void softplusBackward(float[] x, int xo, float beta, float threshold, float[] g, int go, float[] out,
      int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector z = FloatVector.fromArray(S, x, xo + i).mul(beta);
      FloatVector vg = FloatVector.fromArray(S, g, go + i);
      vg.mul(sigmoid(z)).blend(vg, z.compare(GT, threshold)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float z = x[xo + i] * beta;
      out[oo + i] = z > threshold ? g[go + i] : g[go + i] * sigmoid1(z);
    }
  }

  // ------------------------------------------------------------------ gelu

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a·Φ(a)}, Φ the standard
   * normal CDF, written as {@code ½·a·erfc(−a/√2)}. erfc is the Chebyshev-fitted form of Numerical
   * Recipes ({@code erfcc}, fractional error under 1.2e-7), with {@code e^{−a²/2}} taken from the exact
   * square so no rounding reaches the exponent. Within {@value #GELU_ULPS} ulps of an exact (double)
   * GELU wherever the result is at least 1e-30 in magnitude (measured worst: 7).
   */
  public static void gelu(float[] a, int ao, float[] out, int oo, int n) {
    float[] e = GELU_SCRATCH.get();
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += GELU_BLOCK) {
      int len = Math.min(end - i, GELU_BLOCK);
      erfcTails(a, ao + i, e, len);
      geluBlock(a, ao + i, e, out, oo + i, len);
    }
    for (i = S.loopBound(n); i < n; i++) out[oo + i] = gelu1(a[ao + i]);
  }

  /** The second pass of {@link #gelu} over {@code len} floats (a multiple of the vector length). */
  private static void geluBlock(float[] a, int ao, float[] e, float[] out, int oo, int len) {
    for (int j = 0; j < len; j += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + j);
      FloatVector ax = v.abs().min(ERFC_CAP);
      FloatVector t = FloatVector.fromArray(S, e, GELU_BLOCK + j);
      FloatVector r = t.mul(VMath.exp(ax.mul(ax).mul(-0.5f))).mul(FloatVector.fromArray(S, e, j));
      FloatVector phi2 = r.neg().add(2f).blend(r, v.compare(LT, 0f)); // 2·Φ(a)
      v.mul(0.5f).mul(phi2).intoArray(out, oo + j);
    }
  }

  /** Ulp bound of {@link #gelu} (vs the exact GELU in double). */
  public static final int GELU_ULPS = 8;

  /** Backward of gelu: {@code g·(Φ(x) + x·φ(x))}, φ the standard normal density. */
  public static void geluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    float[] e = GELU_SCRATCH.get();
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += GELU_BLOCK) {
      int len = Math.min(end - i, GELU_BLOCK);
      erfcTails(x, xo + i, e, len);
      geluBackwardBlock(x, xo + i, g, go + i, e, out, oo + i, len);
    }
    for (i = S.loopBound(n); i < n; i++) out[oo + i] = g[go + i] * geluGrad1(x[xo + i]);
  }

  /** The second pass of {@link #geluBackward} over {@code len} floats (a multiple of the vector length). */
  private static void geluBackwardBlock(float[] x, int xo, float[] g, int go, float[] e, float[] out, int oo, int len) {
    for (int j = 0; j < len; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + j);
      FloatVector ax = v.abs().min(ERFC_CAP);
      // e^{−x²/2} serves erfc and the density (above the cap both are 0 in float anyway)
      FloatVector gauss = VMath.exp(ax.mul(ax).mul(-0.5f));
      FloatVector r = FloatVector.fromArray(S, e, GELU_BLOCK + j).mul(gauss).mul(FloatVector.fromArray(S, e, j));
      FloatVector cdf = r.neg().add(2f).blend(r, v.compare(LT, 0f)).mul(0.5f);
      FloatVector pdf = gauss.mul(INV_SQRT_2PI);
      FloatVector.fromArray(S, g, go + j).mul(v.fma(pdf, cdf)).intoArray(out, oo + j);
    }
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with PyTorch's {@code approximate='tanh'}
   * GELU, {@code ½·a·(1 + tanh(u))} with {@code u = √(2/π)·(a + 0.044715·a³)}, evaluated as the equal
   * {@code a·sigmoid(2u)} so negative inputs do not cancel. Within {@code 4·max(1, |2u|)} ulps of the
   * same formula in double (measured worst: 3.3·max(1, |2u|)): the float rounding of 2u is amplified by
   * |2u| in e^{−2u}, which matters only where the result is tiny (53 ulps at −4.9, value −5e-7).
   */
  public static void geluTanh(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      FloatVector u2 = v.mul(v).mul(GELU_C).add(1f).mul(v).mul(2 * SQRT_2_OVER_PI);
      v.mul(sigmoid(u2)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = geluTanh1(a[ao + i]);
  }

  /**
   * Backward of geluTanh: with {@code s = sigmoid(2u)} (so {@code ½(1+tanh u) = s} and
   * {@code 1−tanh² u = 4s(1−s)}), {@code g·(s + 2x·s(1−s)·√(2/π)·(1 + 3·0.044715·x²))}.
   */
  public static void geluTanhBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      FloatVector x2 = v.mul(v);
      FloatVector s = sigmoid(x2.mul(GELU_C).add(1f).mul(v).mul(2 * SQRT_2_OVER_PI));
      FloatVector du = x2.mul(3 * GELU_C).add(1f).mul(SQRT_2_OVER_PI);
      FloatVector d = s.add(v.mul(2f).mul(s).mul(s.neg().add(1f)).mul(du));
      FloatVector.fromArray(S, g, go + i).mul(d).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = g[go + i] * geluTanhGrad1(x[xo + i]);
  }

  // ------------------------------------------------------------------ shared vector pieces

  static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
  static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
  static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
  static final float GELU_C = 0.044715f;

  static final float ERFC_CAP = 15.6f;

  /** Numerical Recipes' erfcc coefficients, highest power of t first. */
  private static final float[] ERFC = {
    0.17087277f, -0.82215223f, 1.48851587f, -1.13520398f, 0.27886807f, -0.18628806f, 0.09678418f, 0.37409196f,
    1.00002368f, -1.26551223f
  };

  private static FloatVector bc(float v) {
    return FloatVector.broadcast(S, v);
  }

  private static FloatVector sigmoid(FloatVector x) {
    FloatVector e = VMath.exp(x.abs().neg());
    FloatVector r = e.add(1f);
    FloatVector one = FloatVector.broadcast(S, 1f);
    return one.blend(e, x.compare(LT, 0f)).div(r);
  }

  private static FloatVector tanh(FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector x2 = x.mul(x);
    // x + x³·(−1/3 + x²·(2/15 + x²·(−17/315 + x²·(62/2835 + x²·(−1382/155925)))))
    FloatVector p = x2.fma(TANH_P5, TANH_P4).fma(x2, bc(TANH_P3)).fma(x2, bc(TANH_P2)).fma(x2, bc(TANH_P1)).mul(x2);
    FloatVector small = x.mul(p.add(1f)); // x·(1 + p) keeps the sign of −0, which x + x·p loses
    FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(VMath.exp(ax.mul(2f)).add(1f)));
    FloatVector signedBig = big.neg().blend(big, x.compare(GT, 0f));
    return signedBig.blend(small, ax.compare(LT, TANH_SMALL));
  }

  static final float TANH_SMALL = 0.3f;
  static final float TANH_P1 = (float) (-1.0 / 3);
  static final float TANH_P2 = (float) (2.0 / 15);
  static final float TANH_P3 = (float) (-17.0 / 315);
  static final float TANH_P4 = (float) (62.0 / 2835);
  static final float TANH_P5 = (float) (-1382.0 / 155925);

  /**
   * erfc(|x|/√2) for |x| ≥ 0 (or NaN) is {@code t·e^{−x²/2}·e^{q(t) − err/2}} with err the rounding
   * error of x² (so the exponent sees x² exactly: erfc's relative error is 2z² times that of z, and
   * rounding z = |x|/√2 first would cost hundreds of ulps far out). |x| is capped at
   * {@value #ERFC_CAP}, where the result is 0 in float already, so x² never overflows. The GELU kernels
   * take it in two passes over blocks of {@link #GELU_BLOCK} floats, each pass a method of its own:
   * {@code erfcTails} writes the factor {@code e^{q(t) − err/2}} of {@code len} floats of x to
   * {@code e} and {@code t = 1/(1 + |x|/(2√2))} to {@code e[GELU_BLOCK, ...)}, and the second pass multiplies {@code t·e^{−x²/2}} by it. As one loop (or two loops in
   * one method) the compiled method grew past C2's node limit for inlining
   * (NodeCountInliningCutoff, which is per method), the second {@link VMath#exp} was called out of
   * line with its vectors boxed, and GELU ran at about 6 ns per float inside tiny-gpt.
   * The operations and their order are those of {@link #erfcHalf1}, so the bits are too.
   */
  private static void erfcTails(float[] x, int xo, float[] e, int len) {
    for (int j = 0; j < len; j += L) {
      FloatVector ax = FloatVector.fromArray(S, x, xo + j).abs().min(ERFC_CAP);
      FloatVector t = FloatVector.broadcast(S, 1f).div(ax.mul(0.5f * INV_SQRT2).add(1f));
      t.intoArray(e, GELU_BLOCK + j);
      FloatVector q = FloatVector.broadcast(S, ERFC[0]);
      for (int k = 1; k < ERFC.length; k++) {
        q = q.fma(t, bc(ERFC[k]));
      }
      FloatVector x2 = ax.mul(ax);
      FloatVector err = ax.fma(ax, x2.neg());
      VMath.exp(err.mul(-0.5f).add(q)).intoArray(e, j);
    }
  }

  /** Floats per pass of the two-pass GELU loops (16 vectors: 1 KiB with AVX-512, and as much again for t), in L1 beside the block. */
  private static final int GELU_BLOCK = 16 * L;

  private static final ThreadLocal<float[]> GELU_SCRATCH = ThreadLocal.withInitial(() -> new float[2 * GELU_BLOCK]);

  /** log(1 + e) for e in [0, 1]: 2·atanh(s) with s = e/(2+e) ≤ 1/3, a series in s² to s¹⁵. */
  private static FloatVector log1pUnit(FloatVector e) {
    FloatVector s = e.div(e.add(2f));
    FloatVector s2 = s.mul(s);
    FloatVector p = s2.fma(LOG1P_P[0], LOG1P_P[1]);
    for (int k = 2; k < LOG1P_P.length; k++) {
      p = p.fma(s2, bc(LOG1P_P[k]));
    }
    return s.mul(2f).fma(p.mul(s2), s.mul(2f));
  }

  /** 1/15, 1/13, ..., 1/3: the atanh series after its first term. */
  static final float[] LOG1P_P = {1f / 15, 1f / 13, 1f / 11, 1f / 9, 1f / 7, 1f / 5, 1f / 3};

  // ------------------------------------------------------------------ the same float formulas, one lane

  static float sigmoid1(float x) {
    float e = VMath.exp(-Math.abs(x));
    return (x < 0f ? e : 1f) / (e + 1f);
  }

  static float tanh1(float x) {
    float ax = Math.abs(x);
    if (ax < TANH_SMALL) {
      float x2 = x * x;
      float p = Math.fma(Math.fma(Math.fma(Math.fma(x2, TANH_P5, TANH_P4), x2, TANH_P3), x2, TANH_P2), x2, TANH_P1) * x2;
      return x * (1f + p);
    }
    float big = 1f - 2f / (VMath.exp(ax * 2f) + 1f);
    return x > 0f ? big : -big;
  }

  static float erfcHalf1(float axIn) {
    float ax = Math.min(axIn, ERFC_CAP);
    float t = 1f / (ax * (0.5f * INV_SQRT2) + 1f);
    float q = ERFC[0];
    for (int k = 1; k < ERFC.length; k++) q = Math.fma(q, t, ERFC[k]);
    float x2 = ax * ax;
    float err = Math.fma(ax, ax, -x2);
    return t * VMath.exp(x2 * -0.5f) * VMath.exp(err * -0.5f + q);
  }

  static float gelu1(float x) {
    float r = erfcHalf1(Math.abs(x));
    return x * 0.5f * (x < 0f ? r : 2f - r);
  }

  static float geluGrad1(float x) {
    float r = erfcHalf1(Math.abs(x));
    float cdf = (x < 0f ? r : 2f - r) * 0.5f;
    float pdf = VMath.exp(x * x * -0.5f) * INV_SQRT_2PI;
    return Math.fma(x, pdf, cdf);
  }

  static float geluTanh1(float x) {
    return x * sigmoid1((x * x * GELU_C + 1f) * x * (2 * SQRT_2_OVER_PI));
  }

  static float geluTanhGrad1(float x) {
    float x2 = x * x;
    float s = sigmoid1((x2 * GELU_C + 1f) * x * (2 * SQRT_2_OVER_PI));
    float du = (x2 * (3 * GELU_C) + 1f) * SQRT_2_OVER_PI;
    return s + x * 2f * s * (1f - s) * du;
  }

  static float log1pUnit1(float e) {
    float s = e / (e + 2f);
    float s2 = s * s;
    float p = Math.fma(s2, LOG1P_P[0], LOG1P_P[1]);
    for (int k = 2; k < LOG1P_P.length; k++) p = Math.fma(p, s2, LOG1P_P[k]);
    return Math.fma(s * 2f, p * s2, s * 2f);
  }

  static float softplus1(float x, float beta, float threshold) {
    float z = x * beta;
    if (z > threshold) return x;
    return (Math.max(z, 0f) + log1pUnit1(VMath.exp(-Math.abs(z)))) / beta;
  }
}
