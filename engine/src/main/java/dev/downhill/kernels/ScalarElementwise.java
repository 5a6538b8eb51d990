package dev.downhill.kernels;

/**
 * Plain-loop twin of {@link Elementwise}: same signatures, same contract, one element at a time. It is
 * the test oracle and the benchmark baseline, so it stays free of tricks.
 *
 * <p>Each method reads {@code n} elements of every input range {@code [offset, offset + n)} and
 * overwrites exactly {@code out[oo, oo + n)} (for {@code axpy}/{@code addInto}: {@code y[yo, yo + n)});
 * nothing outside that range is written. The output may be the very same range as an input; partially
 * overlapping ranges are not supported. A range that runs past its array throws
 * {@link IndexOutOfBoundsException}, possibly after part of the output was written.
 */
public final class ScalarElementwise {
  private ScalarElementwise() {}

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a + b}. */
  public static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a - b}. */
  public static void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a * b}. */
  public static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a / b}. */
  public static void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] / b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.max(a, b)}. */
  public static void maximum(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], b[bo + i]);
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.min(a, b)}. */
  public static void minimum(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.min(a[ao + i], b[bo + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a + s}. */
  public static void addScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a - s}. */
  public static void subScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a * s}. */
  public static void mulScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a / s}. */
  public static void divScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] / s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.max(a, s)}. */
  public static void maximumScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], s);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.min(a, s)}. */
  public static void minimumScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.min(a[ao + i], s);
  }

  /** Reads {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code s - b}. */
  public static void rsubScalar(float s, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = s - b[bo + i];
  }

  /** Reads {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code s / b}. */
  public static void rdivScalar(float s, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = s / b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code -a}. */
  public static void neg(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = -a[ao + i];
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.abs(a)}. */
  public static void abs(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.abs(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code (float) Math.exp(a)}. */
  public static void exp(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.exp(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code (float) Math.log(a)}. */
  public static void log(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.log(a[ao + i]);
  }

  /** {@code (float) Math.sin(a)}. */
  public static void sin(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sin(a[ao + i]);
  }

  /** {@code (float) Math.cos(a)}. */
  public static void cos(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.cos(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code (float) Math.sqrt(a)}, which is correctly rounded. */
  public static void sqrt(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sqrt(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a * a}. */
  public static void square(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * a[ao + i];
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with -1, +0 (for both zeros) or +1; NaN stays NaN. */
  public static void sign(float[] a, int ao, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float x = a[ao + i];
      out[oo + i] = x > 0f ? 1f : x < 0f ? -1f : x == 0f ? 0f : x;
    }
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code (float) Math.pow(a, p)},
   * with the same exact shortcuts as {@link Elementwise#pow} for {@code p} in {2, 1, 0.5, ±0, -1}.
   */
  public static void pow(float[] a, int ao, float p, float[] out, int oo, int n) {
    if (p == 2f) {
      square(a, ao, out, oo, n);
    } else if (p == 1f) {
      System.arraycopy(a, ao, out, oo, n);
    } else if (p == 0.5f) {
      sqrt(a, ao, out, oo, n);
    } else if (p == 0f) {
      fill(out, oo, n, 1f);
    } else if (p == -1f) {
      rdivScalar(1f, a, ao, out, oo, n);
    } else {
      for (int i = 0; i < n; i++) out[oo + i] = (float) Math.pow(a[ao + i], p);
    }
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.min(Math.max(a, lo), hi)}. */
  public static void clamp(float[] a, int ao, float lo, float hi, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Math.min(Math.max(a[ao + i], lo), hi);
  }

  /**
   * Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with 1 where
   * {@code a > b}, 0.5 where {@code a == b}, else 0.
   */
  public static void maxWeight(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float x = a[ao + i], y = b[bo + i];
      out[oo + i] = x > y ? 1f : x == y ? 0.5f : 0f;
    }
  }

  /**
   * Reads {@code x[xo, xo+n)} and {@code g[go, go+n)}; overwrites {@code out[oo, oo+n)} with {@code g}
   * where {@code lo <= x <= hi}, else {@code +0}.
   */
  public static void clampMask(float[] x, int xo, float lo, float hi, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xo + i];
      out[oo + i] = (lo <= v && v <= hi) ? g[go + i] : 0f;
    }
  }

  /** Reads {@code x[xo, xo+n)} and {@code y[yo, yo+n)}; overwrites {@code y[yo, yo+n)} with {@code y + alpha * x} (unfused). */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
  }

  /** Reads {@code x[xo, xo+n)} and {@code y[yo, yo+n)}; overwrites {@code y[yo, yo+n)} with {@code y + x}. */
  public static void addInto(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) y[yo + i] += x[xo + i];
  }

  /** Reads nothing; overwrites {@code out[oo, oo+n)} with {@code v}. */
  public static void fill(float[] out, int oo, int n, float v) {
    for (int i = 0; i < n; i++) out[oo + i] = v;
  }
}
