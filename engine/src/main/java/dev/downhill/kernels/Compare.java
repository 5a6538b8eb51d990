package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.NE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Comparison and selection kernels: 0/1 results of a {@link Comparison}, and choosing between two
 * sources by a condition (any nonzero value, NaN included, counts as true, as {@code bool(x)} in
 * PyTorch). {@link ScalarCompare} is the plain twin, bitwise the same. Ranges as in
 * {@link Elementwise}: each method overwrites exactly {@code out[oo, oo + n)}; the output may be
 * the very same range as an input.
 */
public final class Compare {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Compare() {}

  /** Overwrites {@code out[oo, oo+n)} with 1 where {@code c.test(a, b)}, else 0. */
  public static void compare(Comparison c, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(S, a, ao + i).compare(c.vector, FloatVector.fromArray(S, b, bo + i));
      zero.blend(one, m).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = c.test(a[ao + i], b[bo + i]) ? 1f : 0f;
  }

  /** Overwrites {@code out[oo, oo+n)} with 1 where {@code c.test(a, s)}, else 0. */
  public static void compareScalar(Comparison c, float[] a, int ao, float s, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(c.vector, s)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = c.test(a[ao + i], s) ? 1f : 0f;
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code a} where the condition {@code cond} is nonzero, else {@code b}. */
  public static void where(float[] cond, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(S, cond, co + i).compare(NE, 0f);
      FloatVector.fromArray(S, b, bo + i).blend(FloatVector.fromArray(S, a, ao + i), m).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = cond[co + i] != 0f ? a[ao + i] : b[bo + i];
  }

  /** Overwrites {@code out[oo, oo+n)} with {@code s} where {@code cond} is nonzero, else {@code b}: {@code masked_fill}. */
  public static void fillWhere(float[] cond, int co, float s, float[] b, int bo, float[] out, int oo, int n) {
    FloatVector vs = FloatVector.broadcast(S, s);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(S, cond, co + i).compare(NE, 0f);
      FloatVector.fromArray(S, b, bo + i).blend(vs, m).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = cond[co + i] != 0f ? s : b[bo + i];
  }

  /**
   * Overwrites {@code out[oo, oo+n)} with {@code g} where "{@code cond} is nonzero" equals
   * {@code when}, else {@code +0}: the backward of {@link #where} for either branch.
   */
  public static void keepWhere(float[] cond, int co, boolean when, float[] g, int go, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(S, cond, co + i).compare(NE, 0f);
      if (!when) {
        m = m.not();
      }
      zero.blend(FloatVector.fromArray(S, g, go + i), m).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = (cond[co + i] != 0f) == when ? g[go + i] : 0f;
  }
}
