package dev.downhill.kernels;

/**
 * Row gather and scatter-add over {@code float[]} tables: the kernels of an embedding lookup and its
 * backward. A table is {@code rows × dim} floats, row-major, from an offset.
 */
public final class Indexing {
  private Indexing() {}

  /**
   * Reads {@code n} floats from {@code src[so, so+n)}, each a whole number in {@code [0, bound)},
   * and returns them as ints. Throws IllegalArgumentException naming {@code op}, the first bad value,
   * its position and the bound otherwise.
   */
  public static int[] toIndices(String op, float[] src, int so, int n, int bound) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      float f = src[so + i];
      if (!(f >= 0 && f < bound) || f != Math.rint(f)) {
        throw new IllegalArgumentException(op + ": index " + f + " at position " + i
            + " is not a whole number in [0, " + bound + ")");
      }
      idx[i] = (int) f;
    }
    return idx;
  }

  /** Overwrites {@code out[oo, oo + idx.length·dim)} with rows {@code idx[k]} of {@code table} (from {@code to}). */
  public static void gatherRows(float[] table, int to, int dim, int[] idx, float[] out, int oo) {
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(table, to + idx[k] * dim, out, oo + k * dim, dim);
    }
  }

  /**
   * Adds row {@code k} of {@code g} (from {@code go}) into row {@code idx[k]} of {@code out} (from
   * {@code oo}) for every k in order, so repeated indices sum their rows.
   */
  public static void scatterAddRows(float[] g, int go, int dim, int[] idx, float[] out, int oo) {
    for (int k = 0; k < idx.length; k++) {
      Elementwise.addInto(g, go + k * dim, out, oo + idx[k] * dim, dim);
    }
  }
}
