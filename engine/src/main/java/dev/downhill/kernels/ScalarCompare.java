package dev.downhill.kernels;

/** Plain-loop twin of {@link Compare}: same signatures and contract, one element at a time. */
public final class ScalarCompare {
  private ScalarCompare() {}

  /** Overwrites {@code out[oo, oo+n)} with 1 where {@code c.test(a, b)}, else 0. */
  public static void compare(Comparison c, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = c.test(a[ao + i], b[bo + i]) ? 1f : 0f;
  }

  /** Overwrites {@code out[oo, oo+n)} with 1 where {@code c.test(a, s)}, else 0. */
  public static void compareScalar(Comparison c, float[] a, int ao, float s, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = c.test(a[ao + i], s) ? 1f : 0f;
  }

  /** {@code a} where {@code cond} is nonzero, else {@code b}. */
  public static void where(float[] cond, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = cond[co + i] != 0f ? a[ao + i] : b[bo + i];
  }

  /** {@code s} where {@code cond} is nonzero, else {@code b}. */
  public static void fillWhere(float[] cond, int co, float s, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = cond[co + i] != 0f ? s : b[bo + i];
  }

  /** {@code g} where "{@code cond} is nonzero" equals {@code when}, else +0. */
  public static void keepWhere(float[] cond, int co, boolean when, float[] g, int go, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = (cond[co + i] != 0f) == when ? g[go + i] : 0f;
  }
}
