package dev.downhill.kernels;

import java.util.Arrays;

/**
 * The k largest (or smallest) values of each row, sorted, with their positions: the kernel of
 * {@code topk}. Ordering as {@code torch.topk}: NaN counts as larger than every number, −0 equals
 * +0, and among equal values the lower position comes first. A sort of (value, position) keys per
 * row, so there is no separate scalar twin.
 */
public final class TopK {
  private TopK() {}

  /**
   * Reads {@code rows} rows of {@code n} values from {@code src[so, …)}; overwrites
   * {@code values[0, rows·k)} and {@code index[0, rows·k)} with each row's k extremes in order
   * (descending when {@code largest}, ascending otherwise) and their positions in the row.
   */
  public static void topkRows(float[] src, int so, int rows, int n, int k, boolean largest, float[] values, int[] index) {
    long[] keys = new long[n];
    for (int r = 0; r < rows; r++) {
      int base = so + r * n;
      for (int j = 0; j < n; j++) {
        int s = sortable(src[base + j]);
        keys[j] = ((long) (largest ? ~s : s) << 32) | j;
      }
      Arrays.sort(keys);
      for (int j = 0; j < k; j++) {
        int at = (int) keys[j];
        index[r * k + j] = at;
        values[r * k + j] = src[base + at];
      }
    }
  }

  /** An int whose signed order is the float order (NaN above +inf, −0 as +0). */
  private static int sortable(float v) {
    int b = Float.floatToIntBits(v == 0f ? 0f : v); // floatToIntBits folds every NaN to one
    return b ^ ((b >> 31) & 0x7fffffff);
  }
}
