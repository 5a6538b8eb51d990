package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.GE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Masks built from uniform draws (dropout). {@link #dropoutScalar} is the plain twin of {@link #dropout}. */
public final class Masks {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Masks() {}

  /**
   * Reads uniform draws {@code u[uo, uo+n)}; overwrites {@code out[oo, oo+n)} with {@code scale}
   * where {@code u >= p} (kept, probability 1 − p) and 0 where {@code u < p} (dropped).
   */
  public static void dropout(float[] u, int uo, float p, float scale, float[] out, int oo, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector keep = FloatVector.broadcast(S, scale);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      zero.blend(keep, FloatVector.fromArray(S, u, uo + i).compare(GE, p)).intoArray(out, oo + i);
    }
    dropoutScalar(u, uo + i, p, scale, out, oo + i, n - i);
  }

  /** The scalar twin of {@link #dropout}. */
  public static void dropoutScalar(float[] u, int uo, float p, float scale, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = u[uo + i] >= p ? scale : 0f;
  }
}
