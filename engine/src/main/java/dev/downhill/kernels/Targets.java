package dev.downhill.kernels;

/**
 * Class-index targets: checks and gathers over them. Plain loops: they touch one value per row and
 * are their own reference, as {@link Layout}.
 */
public final class Targets {
  private Targets() {}

  /**
   * Reads {@code t[to, to+n)}, float class indices; overwrites {@code out[0, n)} with them as ints,
   * with {@code ignoreIndex} mapped to −1. Returns −1 when every value was a whole number in
   * {@code [0, classes)} or the ignore index, otherwise the position of the first one that was not
   * ({@code out} is then only partly written).
   */
  public static int toIndices(float[] t, int to, int n, int classes, int ignoreIndex, int[] out) {
    for (int i = 0; i < n; i++) {
      float v = t[to + i];
      if (v == ignoreIndex) {
        out[i] = -1;
      } else if (v >= 0 && v < classes && v == Math.rint(v)) {
        out[i] = (int) v;
      } else {
        return i;
      }
    }
    return -1;
  }

  /**
   * Σ over rows not ignored ({@code target[r] >= 0}) of {@code weight[target[r]]}, or their count when
   * {@code weight} is null: the divisor of PyTorch's 'mean' for class-index targets. Summed in double.
   */
  public static double weightOfTargets(int[] target, float[] weight) {
    double s = 0;
    for (int t : target) {
      if (t >= 0) s += weight == null ? 1 : weight[t];
    }
    return s;
  }
}
