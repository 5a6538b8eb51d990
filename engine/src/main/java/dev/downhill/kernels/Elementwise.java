package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.POW;
import static jdk.incubator.vector.VectorOperators.SIN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise SIMD kernels over {@code float[]} ranges; {@link ScalarElementwise} is the plain twin
 * with the same signatures and, except for exp, log and pow, bitwise the same results.
 *
 * <p>Each method reads {@code n} elements of every input range {@code [offset, offset + n)} and
 * overwrites exactly {@code out[oo, oo + n)} (for {@code axpy}/{@code addInto}: {@code y[yo, yo + n)});
 * nothing outside that range is written. The output may be the very same range as an input (same
 * array, same offset) for in-place use; partially overlapping ranges are not supported. {@code n = 0}
 * does nothing. Ranges are not checked up front: one that runs past its array throws
 * {@link IndexOutOfBoundsException}, possibly after part of the output was written.
 *
 * <p>Shape of every loop: full vectors of {@link FloatVector#SPECIES_PREFERRED}, then a scalar tail
 * that repeats the twin's expression. The tail is not a masked vector because masked loads at array
 * ends fall back to slow scalar code on AVX2 (JDK-8283667).
 */
public final class Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Elementwise() {}

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a + b}. */
  public static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a - b}. */
  public static void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a * b}. */
  public static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code a / b}. */
  public static void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] / b[bo + i];
  }

  /**
   * Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with
   * {@link Math#max(float, float)}: NaN propagates and {@code -0.0 < +0.0}.
   */
  public static void maximum(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.max(a[ao + i], b[bo + i]);
  }

  /**
   * Reads {@code a[ao, ao+n)} and {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with
   * {@link Math#min(float, float)}: NaN propagates and {@code -0.0 < +0.0}.
   */
  public static void minimum(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.min(a[ao + i], b[bo + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a + s}. */
  public static void addScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).add(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] + s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a - s}. */
  public static void subScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).sub(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] - s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a * s}. */
  public static void mulScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).mul(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] * s;
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a / s}. Divides rather
   * than multiplying by {@code 1/s}, which would round differently from the twin.
   */
  public static void divScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).div(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] / s;
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.max(a, s)}. */
  public static void maximumScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).max(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.max(a[ao + i], s);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.min(a, s)}. */
  public static void minimumScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).min(s).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.min(a[ao + i], s);
  }

  /** Reads {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code s - b}. */
  public static void rsubScalar(float s, float[] b, int bo, float[] out, int oo, int n) {
    FloatVector vs = FloatVector.broadcast(S, s);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      vs.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = s - b[bo + i];
  }

  /** Reads {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with {@code s / b}. */
  public static void rdivScalar(float s, float[] b, int bo, float[] out, int oo, int n) {
    FloatVector vs = FloatVector.broadcast(S, s);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      vs.div(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = s / b[bo + i];
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code -a} (sign bit flipped, so {@code -(+0) = -0}). */
  public static void neg(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).neg().intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = -a[ao + i];
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code Math.abs(a)}. */
  public static void abs(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).abs().intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.abs(a[ao + i]);
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code e^a}, by {@link VMath#exp}
   * (the same bits before and after C2 compiles the loop): within 1 ulp of the twin's
   * {@code (float) Math.exp(a)}, not bitwise equal.
   */
  public static void exp(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VMath.exp(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = VMath.exp(a[ao + i]);
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with the natural log of {@code a}
   * (NaN below 0, {@code -inf} at ±0). Like {@link #exp}, within 1 ulp of the twin.
   */
  public static void log(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VMath.log(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = VMath.log(a[ao + i]);
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code sin(a)}, through the
   * JDK's vector math library like {@link #exp}: within a few ulp of the twin's
   * {@code (float) Math.sin(a)}, not bitwise equal.
   */
  public static void sin(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).lanewise(SIN).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = (float) Math.sin(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code cos(a)}, as {@link #sin}. */
  public static void cos(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).lanewise(COS).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = (float) Math.cos(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with the correctly rounded square root of {@code a}. */
  public static void sqrt(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).sqrt().intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = (float) Math.sqrt(a[ao + i]);
  }

  /** Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code a * a}. */
  public static void square(float[] a, int ao, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      v.mul(v).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = a[ao + i] * a[ao + i];
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with -1, 0 or +1 by the sign of
   * {@code a}. Both zeros give {@code +0} (as {@code torch.sign}, unlike {@link Math#signum}); NaN
   * stays NaN.
   */
  public static void sign(float[] a, int ao, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector minusOne = FloatVector.broadcast(S, -1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      zero.blend(one, v.compare(GT, 0f)).blend(minusOne, v.compare(LT, 0f)).blend(v, v.test(IS_NAN))
          .intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float x = a[ao + i];
      out[oo + i] = x > 0f ? 1f : x < 0f ? -1f : x == 0f ? 0f : x;
    }
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code (float) Math.pow(a, p)},
   * except that these exponents take exact shortcuts (identically in the twin): {@code p == 2} is
   * {@code a * a}, {@code 1} a copy, {@code 0.5} {@link #sqrt} (so {@code pow(-0, 0.5) = -0} and
   * {@code pow(-inf, 0.5) = NaN}, unlike {@code Math.pow}), {@code ±0} gives 1 (even for NaN) and
   * {@code -1} is {@code 1 / a}. Other exponents: within 1 ulp of the twin. On AVX2 JDK 25 binds
   * no vector library to {@code POW} (SVML's is 512-bit only), so this runs lane by lane there.
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
      int i = 0;
      // Vector libraries implement C's pow, which answers 1 for pow(-1, inf) and pow(1, NaN) where
      // Java answers NaN; such exponents are rare enough to leave wholly to the scalar loop.
      if (Float.isFinite(p)) {
        for (int end = S.loopBound(n); i < end; i += L) {
          FloatVector.fromArray(S, a, ao + i).lanewise(POW, p).intoArray(out, oo + i);
        }
      }
      for (; i < n; i++) out[oo + i] = (float) Math.pow(a[ao + i], p);
    }
  }

  /**
   * Reads {@code a[ao, ao+n)}; overwrites {@code out[oo, oo+n)} with {@code min(max(a, lo), hi)}
   * ({@link Math} semantics, so NaN stays NaN and a NaN bound gives NaN).
   */
  public static void clamp(float[] a, int ao, float lo, float hi, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, a, ao + i).max(lo).min(hi).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = Math.min(Math.max(a[ao + i], lo), hi);
  }

  /**
   * Backward of {@link #maximum} for its first input. Reads {@code a[ao, ao+n)} and
   * {@code b[bo, bo+n)}; overwrites {@code out[oo, oo+n)} with 1 where {@code a > b}, 0.5 where
   * {@code a == b} (ties split the gradient evenly, as PyTorch) and 0 otherwise, NaN included.
   */
  public static void maxWeight(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector half = FloatVector.broadcast(S, 0.5f);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector va = FloatVector.fromArray(S, a, ao + i);
      FloatVector vb = FloatVector.fromArray(S, b, bo + i);
      zero.blend(half, va.compare(EQ, vb)).blend(one, va.compare(GT, vb)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float x = a[ao + i], y = b[bo + i];
      out[oo + i] = x > y ? 1f : x == y ? 0.5f : 0f;
    }
  }

  /**
   * Backward of {@link #clamp}. Reads {@code x[xo, xo+n)} and {@code g[go, go+n)}; overwrites
   * {@code out[oo, oo+n)} with {@code g} where {@code lo <= x <= hi} (bounds included) and
   * {@code +0} elsewhere, NaN {@code x} included.
   */
  public static void clampMask(float[] x, int xo, float lo, float hi, float[] g, int go, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xo + i);
      zero.blend(FloatVector.fromArray(S, g, go + i), vx.compare(GE, lo).and(vx.compare(LE, hi)))
          .intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      out[oo + i] = (lo <= v && v <= hi) ? g[go + i] : 0f;
    }
  }

  /**
   * Reads {@code x[xo, xo+n)} and {@code y[yo, yo+n)}; overwrites {@code y[yo, yo+n)} with
   * {@code y + alpha * x}. A separate multiply and add, not a fused multiply-add, so that the result
   * is bitwise the twin's.
   */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i).mul(alpha)).intoArray(y, yo + i);
    }
    for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
  }

  /** Reads {@code x[xo, xo+n)} and {@code y[yo, yo+n)}; overwrites {@code y[yo, yo+n)} with {@code y + x}. */
  public static void addInto(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }
    for (; i < n; i++) y[yo + i] += x[xo + i];
  }

  /** Reads nothing; overwrites {@code out[oo, oo+n)} with {@code v}. */
  public static void fill(float[] out, int oo, int n, float v) {
    FloatVector vv = FloatVector.broadcast(S, v);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      vv.intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = v;
  }
}
