package dev.downhill.kernels;

/**
 * Moves and generates values rather than computing on them: dimension permutation (transpose) and
 * the arithmetic sequences behind {@code arange} and {@code linspace}. Plain loops: these are bound
 * by memory access order, not arithmetic, and are their own reference.
 */
public final class Layout {
  private Layout() {}

  /** Side of the square tiles a 2-D transpose copies, so both the read and the write stay in cache lines. */
  private static final int TILE = 32;

  /**
   * Writes {@code src} (contiguous, {@code shape}, from {@code so}) into {@code dst} from {@code dOff}
   * with dimensions reordered: destination dimension i is source dimension {@code perm[i]}. The last
   * two dimensions swapped (a batched transpose) go tile by tile.
   */
  public static void permute(float[] src, int so, int[] shape, int[] perm, float[] dst, int dOff) {
    int r = shape.length;
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n == 0) {
      return;
    }
    int[] srcStrides = new int[r];
    for (int i = r - 1, acc = 1; i >= 0; i--) {
      srcStrides[i] = acc;
      acc *= shape[i];
    }
    if (r >= 2 && perm[r - 1] == r - 2 && perm[r - 2] == r - 1 && leadingIdentity(perm, r - 2)) {
      int rows = shape[r - 2];
      int cols = shape[r - 1];
      int batch = n / (rows * cols);
      for (int b = 0; b < batch; b++) {
        transpose2d(src, so + b * rows * cols, rows, cols, dst, dOff + b * rows * cols);
      }
      return;
    }
    // General case: walk the destination in order, stepping the source by the permuted strides.
    int[] dstShape = new int[r];
    int[] step = new int[r];
    for (int i = 0; i < r; i++) {
      dstShape[i] = shape[perm[i]];
      step[i] = srcStrides[perm[i]];
    }
    int[] idx = new int[r];
    int s = so;
    for (int k = 0; k < n; k++) {
      dst[dOff + k] = src[s];
      for (int d = r - 1; d >= 0; d--) {
        s += step[d];
        if (++idx[d] < dstShape[d]) {
          break;
        }
        s -= step[d] * dstShape[d];
        idx[d] = 0;
      }
    }
  }

  private static boolean leadingIdentity(int[] perm, int upTo) {
    for (int i = 0; i < upTo; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** dst[j][i] = src[i][j] for a rows × cols matrix, both contiguous. */
  public static void transpose2d(float[] src, int so, int rows, int cols, float[] dst, int dOff) {
    for (int i0 = 0; i0 < rows; i0 += TILE) {
      int i1 = Math.min(rows, i0 + TILE);
      for (int j0 = 0; j0 < cols; j0 += TILE) {
        int j1 = Math.min(cols, j0 + TILE);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            dst[dOff + j * rows + i] = src[so + i * cols + j];
          }
        }
      }
    }
  }

  /** out[oo + i] = start + i·step, computed in double and rounded once. */
  public static void arange(float[] out, int oo, int n, float start, float step) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = (float) (start + (double) i * step);
    }
  }

  /**
   * {@code n} values from start to end inclusive. As torch.linspace, the first half counts up from
   * start and the second half down from end, so both ends are exact.
   */
  public static void linspace(float[] out, int oo, int n, float start, float end) {
    if (n == 1) {
      out[oo] = start;
      return;
    }
    float step = (end - start) / (n - 1);
    int half = n / 2;
    for (int i = 0; i < n; i++) {
      out[oo + i] = i < half ? start + step * i : end - step * (n - 1 - i);
    }
  }

  /**
   * The backward of picking one element per (outer, inner) position along a middle dimension of
   * size n: out[(o·n + index[o·inner + i])·inner + i] = g[o·inner + i]. {@code out} (outer·n·inner,
   * from 0) is only written at those places.
   */
  public static void scatterAlong(float[] g, int[] index, int outer, int n, int inner, float[] out) {
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int j = o * inner + i;
        out[(o * n + index[j]) * inner + i] = g[j];
      }
    }
  }

  /** dst[i] = src[i] as floats (exact below 2^24). */
  public static void toFloat(int[] src, float[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i];
    }
  }
}
