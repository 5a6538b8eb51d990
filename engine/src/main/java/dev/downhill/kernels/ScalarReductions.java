package dev.downhill.kernels;

/**
 * Sequential twin of {@link Reductions}: same signatures, same contract, one element at a time, left to
 * right. It is the test oracle and the benchmark baseline. Nothing here writes to {@code a}.
 */
public final class ScalarReductions {
  private ScalarReductions() {}

  /** Reads {@code a[ao, ao+n)}; returns its sum, added left to right (0 for {@code n == 0}). */
  public static float sum(float[] a, int ao, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) s += a[ao + i];
    return s;
  }

  /** Column sums of a row-major {@code [rows, n]} block, each added from 0 in row order, into {@code out[oo, oo + n)}. */
  public static void sumRows(float[] g, int go, int rows, int n, float[] out, int oo) {
    for (int j = 0; j < n; j++) {
      float s = 0f;
      for (int r = 0; r < rows; r++) s += g[go + r * n + j];
      out[oo + j] = s;
    }
  }

  /** Reads {@code a[ao, ao+n)}; returns the sum of its squares, left to right (0 for {@code n == 0}). */
  public static float sumSquares(float[] a, int ao, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) s += a[ao + i] * a[ao + i];
    return s;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns its largest element by {@link Math#max(float, float)}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static float max(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("max: empty range");
    float m = a[ao];
    for (int i = 1; i < n; i++) m = Math.max(m, a[ao + i]);
    return m;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns its smallest element by {@link Math#min(float, float)}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static float min(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("min: empty range");
    float m = a[ao];
    for (int i = 1; i < n; i++) m = Math.min(m, a[ao + i]);
    return m;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns the index, relative to {@code ao}, of the first maximal
   * element; the first NaN wins.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static int argmax(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("argmax: empty range");
    float best = a[ao];
    int at = 0;
    for (int i = 1; i < n; i++) {
      float x = a[ao + i];
      if (x > best || (x != x && best == best)) {
        best = x;
        at = i;
      }
    }
    return at;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns the index, relative to {@code ao}, of the first minimal
   * element; the first NaN wins.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static int argmin(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("argmin: empty range");
    float best = a[ao];
    int at = 0;
    for (int i = 1; i < n; i++) {
      float x = a[ao + i];
      if (x < best || (x != x && best == best)) {
        best = x;
        at = i;
      }
    }
    return at;
  }

  /**
   * Reads {@code row[ro, ro+n)} and {@code best[bo, bo+n)}; where {@code row > best}, or {@code row}
   * is NaN and {@code best} is not, overwrites {@code best} with {@code row} and {@code idx[io+i]}
   * with {@code k}; leaves the other elements as they were.
   */
  public static void argmaxUpdate(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n) {
    for (int i = 0; i < n; i++) {
      float r = row[ro + i], b = best[bo + i];
      if (r > b || (r != r && b == b)) {
        best[bo + i] = r;
        idx[io + i] = k;
      }
    }
  }

  /**
   * Reads {@code row[ro, ro+n)} and {@code best[bo, bo+n)}; where {@code row < best}, or {@code row}
   * is NaN and {@code best} is not, overwrites {@code best} with {@code row} and {@code idx[io+i]}
   * with {@code k}; leaves the other elements as they were.
   */
  public static void argminUpdate(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n) {
    for (int i = 0; i < n; i++) {
      float r = row[ro + i], b = best[bo + i];
      if (r < b || (r != r && b == b)) {
        best[bo + i] = r;
        idx[io + i] = k;
      }
    }
  }
}
