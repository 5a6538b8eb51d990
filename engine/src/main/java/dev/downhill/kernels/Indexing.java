package dev.downhill.kernels;

/**
 * Gather and scatter-add kernels behind {@code indexSelect}, {@code gather}, {@code narrow},
 * {@code topk} and embedding lookups. A tensor is seen as {@code [outer, n, inner]} around the
 * indexed dimension, row-major from an offset. These are copies of whole rows (or single elements
 * for {@link #gather}); there is nothing to vectorise beyond {@link System#arraycopy} and
 * {@link Elementwise#addInto}, so no separate scalar twin exists.
 */
public final class Indexing {
  private Indexing() {}

  /**
   * Reads {@code n} floats from {@code src[so, so+n)}, each a whole number in {@code [0, bound)},
   * and returns them as ints. Throws IllegalArgumentException naming {@code op}, the first bad value,
   * its position and dimension {@code dim} of size {@code bound} otherwise.
   */
  public static int[] toIndices(String op, float[] src, int so, int n, int dim, int bound) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      float f = src[so + i];
      if (f != Math.rint(f)) {
        throw new IllegalArgumentException(op + ": index " + f + " at position " + i + " is not a whole number");
      }
      if (!(f >= 0 && f < bound)) {
        throw new IndexOutOfBoundsException(op + ": index " + (long) f + " at position " + i
            + " is out of range for dimension " + dim + " of size " + bound);
      }
      idx[i] = (int) f;
    }
    return idx;
  }

  /**
   * Overwrites {@code out[oo, oo + outer·k·inner)} ({@code k = idx.length}) with
   * {@code out[o, j, :] = src[o, idx[j], :]}, src being {@code [outer, n, inner]} from {@code so}.
   */
  public static void selectAlong(float[] src, int so, int outer, int n, int inner, int[] idx, float[] out, int oo) {
    int k = idx.length;
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < k; j++) {
        System.arraycopy(src, so + (o * n + idx[j]) * inner, out, oo + (o * k + j) * inner, inner);
      }
    }
  }

  /**
   * The backward of {@link #selectAlong}: adds {@code g[o, j, :]} (from {@code go}) into
   * {@code out[o, idx[j], :]} (from {@code oo}) for every o and j in order, so repeated indices sum.
   */
  public static void scatterAddAlong(float[] g, int go, int outer, int n, int inner, int[] idx, float[] out, int oo) {
    int k = idx.length;
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < k; j++) {
        Elementwise.addInto(g, go + (o * k + j) * inner, out, oo + (o * n + idx[j]) * inner, inner);
      }
    }
  }

  /**
   * {@code torch.gather}: for every position p of {@code idxShape} (row-major),
   * {@code out[p] = src[p with coordinate dim replaced by idx[p]]}. {@code src} has
   * {@code srcShape} (same rank, every other dimension at least as large) from {@code so}; the
   * indices are already checked against {@code srcShape[dim]}. Overwrites {@code out[0, idx.length)}.
   */
  public static void gather(float[] src, int so, int[] srcShape, int dim, int[] idx, int[] idxShape, float[] out) {
    int[] base = baseOffsets(srcShape, dim, idxShape);
    int stride = stride(srcShape, dim);
    for (int p = 0; p < idx.length; p++) {
      out[p] = src[so + base[p] + idx[p] * stride];
    }
  }

  /**
   * The backward of {@link #gather}: adds {@code g[p]} into {@code out[p with coordinate dim
   * replaced by idx[p]]} for every p in order; {@code out} has {@code outShape}, from 0.
   */
  public static void scatterAdd(float[] g, int[] idxShape, int dim, int[] idx, int[] outShape, float[] out) {
    int[] base = baseOffsets(outShape, dim, idxShape);
    int stride = stride(outShape, dim);
    for (int p = 0; p < idx.length; p++) {
      out[base[p] + idx[p] * stride] += g[p];
    }
  }

  private static int stride(int[] shape, int dim) {
    int s = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      s *= shape[d];
    }
    return s;
  }

  /** For each position of idxShape, the offset in a tensor of {@code shape} with coordinate dim set to 0. */
  private static int[] baseOffsets(int[] shape, int dim, int[] idxShape) {
    int total = 1;
    for (int s : idxShape) {
      total *= s;
    }
    int rank = idxShape.length;
    int[] strides = new int[rank];
    for (int d = rank - 1, acc = 1; d >= 0; d--) {
      strides[d] = acc;
      acc *= shape[d];
    }
    int[] base = new int[total];
    int[] coord = new int[rank];
    int off = 0;
    for (int p = 0; p < total; p++) {
      base[p] = off;
      for (int d = rank - 1; d >= 0; d--) { // odometer over idxShape; dim contributes nothing
        int step = d == dim ? 0 : strides[d];
        off += step;
        if (++coord[d] < idxShape[d]) {
          break;
        }
        off -= step * idxShape[d];
        coord[d] = 0;
      }
    }
    return base;
  }

  /**
   * Reads {@code batch} matrices of {@code rows × cols} from {@code src[so, …)} and overwrites
   * {@code out[oo, oo + batch·rows·cols)} with them, keeping element (i, j) where
   * {@code j − i ≤ diagonal} (lower, {@code torch.tril}) or {@code j − i ≥ diagonal} (upper,
   * {@code torch.triu}) and writing +0 elsewhere.
   */
  public static void triangle(float[] src, int so, int batch, int rows, int cols, int diagonal, boolean upper,
      float[] out, int oo) {
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < rows; i++) {
        int row = (b * rows + i) * cols;
        // kept columns: [0, i + diagonal] for lower, [i + diagonal, cols) for upper
        int cut = (int) Math.max(0, Math.min(cols, (long) i + diagonal + (upper ? 0 : 1)));
        int keepFrom = upper ? cut : 0;
        int keepTo = upper ? cols : cut;
        Elementwise.fill(out, oo + row, keepFrom, 0f);
        System.arraycopy(src, so + row + keepFrom, out, oo + row + keepFrom, keepTo - keepFrom);
        Elementwise.fill(out, oo + row + keepTo, cols - keepTo, 0f);
      }
    }
  }
}
