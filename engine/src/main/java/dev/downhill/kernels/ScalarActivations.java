package dev.downhill.kernels;

/**
 * Plain-loop twin of {@link Activations}: same signatures and contract, one element at a time, each
 * function evaluated in double from {@link Math} and rounded once to float. It is the test oracle and
 * the benchmark baseline. relu, leakyRelu and their backward are bitwise the SIMD kernel's; the others
 * agree within the ulp bounds {@link Activations} states (GELU's erfc uses the same Numerical Recipes
 * form, in double, since Java has no erf).
 */
public final class ScalarActivations {
  private ScalarActivations() {}

  /** Overwrites {@code out[oo, oo+n)} with +0 where {@code a < 0}, else {@code a}. */
  public static void relu(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] < 0f ? 0f : a[ao + i];
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g} where {@code x > 0}, else +0. */
  public static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] > 0f ? g[go + i] : 0f;
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code a} where {@code a > 0}, else {@code slope·a}. */
  public static void leakyRelu(float[] a, int ao, float slope, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float v = a[ao + i];
      out[oo + i] = v > 0f ? v : v * slope;
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g} where {@code x > 0}, else {@code slope·g}. */
  public static void leakyReluBackward(float[] x, int xo, float slope, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] > 0f ? g[go + i] : g[go + i] * slope;
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code 1/(1+e^-a)}. */
  public static void sigmoid(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) sigmoid(a[ao + i]);
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g·y·(1−y)}. */
  public static void sigmoidBackward(float[] y, int yo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double v = y[yo + i];
      out[oo + i] = (float) (g[go + i] * v * (1 - v));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code (float) Math.tanh(a)}. */
  public static void tanh(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.tanh(a[ao + i]);
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g·(1−y²)}. */
  public static void tanhBackward(float[] y, int yo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double v = y[yo + i];
      out[oo + i] = (float) (g[go + i] * (1 - v * v));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code a·sigmoid(a)}. */
  public static void silu(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) (a[ao + i] * sigmoid(a[ao + i]));
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g·s·(1 + x·(1−s))}, {@code s = sigmoid(x)}. */
  public static void siluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i], s = sigmoid(v);
      out[oo + i] = (float) (g[go + i] * s * (1 + v * (1 - s)));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code log1p(e^{βa})/β}, or {@code a} where {@code βa > threshold}. */
  public static void softplus(float[] a, int ao, float beta, float threshold, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float x = a[ao + i], z = x * beta;
      out[oo + i] = z > threshold ? x : (float) ((Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs((double) z)))) / beta);
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g·sigmoid(βx)}, or {@code g} where {@code βx > threshold}. */
  public static void softplusBackward(float[] x, int xo, float beta, float threshold, float[] g, int go, float[] out,
      int oo, int n) {
    for (int i = 0; i < n; i++) {
      float z = x[xo + i] * beta;
      out[oo + i] = z > threshold ? g[go + i] : (float) (g[go + i] * sigmoid(z));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code ½·a·erfc(−a/√2)}. */
  public static void gelu(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double x = a[ao + i];
      out[oo + i] = (float) (0.5 * x * erfc(-x / Math.sqrt(2)));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code g·(Φ(x) + x·φ(x))}. */
  public static void geluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double cdf = 0.5 * erfc(-v / Math.sqrt(2));
      double pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
      out[oo + i] = (float) (g[go + i] * (cdf + v * pdf));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code ½·a·(1 + tanh(√(2/π)·(a + 0.044715·a³)))}. */
  public static void geluTanh(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double x = a[ao + i];
      double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
      out[oo + i] = (float) (x * sigmoid(2 * u));
    }
  }

  /** Overwrites {@code out[oo, oo+n)} with the derivative of {@link #geluTanh} times {@code g}. */
  public static void geluTanhBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double k = Math.sqrt(2 / Math.PI);
      double s = sigmoid(2 * k * (v + 0.044715 * v * v * v));
      double d = s + 2 * v * s * (1 - s) * k * (1 + 3 * 0.044715 * v * v);
      out[oo + i] = (float) (g[go + i] * d);
    }
  }

  /** 1/(1+e^-x) in double, without overflow on either side. */
  static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return (x < 0 ? e : 1) / (1 + e);
  }

  /** Numerical Recipes' erfcc in double: fractional error under 1.2e-7 for every z. */
  static double erfc(double z) {
    double a = Math.abs(z);
    double t = 1 / (1 + 0.5 * a);
    double r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return z >= 0 ? r : 2 - r;
  }
}
