package dev.downhill.kernels;

/**
 * Sequential twin of {@link Softmax}: same signatures and contract, one element at a time, left to
 * right, {@link Math#exp}/{@link Math#log} rounded to float. The test oracle and the benchmark
 * baseline.
 */
public final class ScalarSoftmax {
  private ScalarSoftmax() {}

  /** Overwrites every row of {@code out} with {@code e^{x−m}/Σe^{x−m}}. */
  public static void softmaxRows(float[] x, int xo, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int xr = xo + r * n, or = oo + r * n;
      float m = ScalarReductions.max(x, xr, n);
      float s = 0f;
      for (int i = 0; i < n; i++) {
        float e = (float) Math.exp(x[xr + i] - m);
        out[or + i] = e;
        s += e;
      }
      float inv = 1f / s;
      for (int i = 0; i < n; i++) out[or + i] *= inv;
    }
  }

  /** Overwrites every row of {@code out} with {@code (x − m) − log Σ e^{x−m}}. */
  public static void logSoftmaxRows(float[] x, int xo, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int xr = xo + r * n;
      float m = ScalarReductions.max(x, xr, n);
      float ls = logSumShifted(x, xr, n, m);
      for (int i = 0; i < n; i++) out[oo + r * n + i] = (x[xr + i] - m) - ls;
    }
  }

  /** {@code out = y·(g − Σ g·y)} per row. */
  public static void softmaxBackwardRows(float[] y, int yo, float[] g, int go, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      float dot = 0f;
      for (int i = 0; i < n; i++) dot += g[go + r * n + i] * y[yo + r * n + i];
      for (int i = 0; i < n; i++) out[oo + r * n + i] = (g[go + r * n + i] - dot) * y[yo + r * n + i];
    }
  }

  /** {@code out = g − e^y·Σg} per row. */
  public static void logSoftmaxBackwardRows(float[] y, int yo, float[] g, int go, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      float sum = 0f;
      for (int i = 0; i < n; i++) sum += g[go + r * n + i];
      for (int i = 0; i < n; i++) {
        out[oo + r * n + i] = g[go + r * n + i] - (float) Math.exp(y[yo + r * n + i]) * sum;
      }
    }
  }

  /** Cross-entropy with class indices, forward (see {@link Softmax#crossEntropyRows}). */
  public static void crossEntropyRows(float[] x, int xo, int n, int from, int to, int[] target, float[] weight, float eps,
      float[] loss, float[] stats) {
    for (int r = from; r < to; r++) {
      int t = target[r];
      if (t < 0) {
        loss[r] = 0f;
        stats[2 * r] = 0f;
        stats[2 * r + 1] = 0f;
        continue;
      }
      int xr = xo + r * n;
      float m = ScalarReductions.max(x, xr, n);
      float ls = logSumShifted(x, xr, n, m);
      float smooth = 0f;
      for (int c = 0; c < n; c++) smooth += ((m - x[xr + c]) + ls) * w(weight, c);
      stats[2 * r] = m;
      stats[2 * r + 1] = ls;
      loss[r] = (1f - eps) * w(weight, t) * ((m - x[xr + t]) + ls) + eps / n * smooth;
    }
  }

  /** Cross-entropy with class indices, backward (see {@link Softmax#crossEntropyBackwardRows}). */
  public static void crossEntropyBackwardRows(float[] x, int xo, int n, int from, int to, int[] target, float[] weight,
      float eps, float[] stats, float[] scale, float[] out, int oo) {
    float sumW = 0f;
    for (int c = 0; c < n; c++) sumW += w(weight, c);
    for (int r = from; r < to; r++) {
      int t = target[r], xr = xo + r * n, or = oo + r * n;
      for (int c = 0; c < n; c++) {
        if (t < 0) {
          out[or + c] = 0f;
          continue;
        }
        float q = (c == t ? 1f - eps : 0f) + eps / n;
        float big = (1f - eps) * w(weight, t) + eps / n * sumW;
        out[or + c] = scale[r] * (big * (float) Math.exp((x[xr + c] - stats[2 * r]) - stats[2 * r + 1]) - q * w(weight, c));
      }
    }
  }

  /** Cross-entropy with class probabilities, forward (see {@link Softmax#crossEntropyProbRows}). */
  public static void crossEntropyProbRows(float[] x, int xo, int n, int from, int to, float[] q, int qo, float[] weight,
      float eps, float[] loss, float[] stats) {
    for (int r = from; r < to; r++) {
      int xr = xo + r * n;
      float m = ScalarReductions.max(x, xr, n);
      float ls = logSumShifted(x, xr, n, m);
      float v = 0f;
      for (int c = 0; c < n; c++) v += w(weight, c) * ((1f - eps) * q[qo + r * n + c] + eps / n) * ((m - x[xr + c]) + ls);
      stats[2 * r] = m;
      stats[2 * r + 1] = ls;
      loss[r] = v;
    }
  }

  /** Cross-entropy with class probabilities, backward (see {@link Softmax#crossEntropyProbBackwardRows}). */
  public static void crossEntropyProbBackwardRows(float[] x, int xo, int n, int from, int to, float[] q, int qo,
      float[] weight, float eps, float[] stats, float[] scale, float[] out, int oo) {
    for (int r = from; r < to; r++) {
      int xr = xo + r * n, qr = qo + r * n, or = oo + r * n;
      float big = 0f;
      for (int c = 0; c < n; c++) big += w(weight, c) * ((1f - eps) * q[qr + c] + eps / n);
      for (int c = 0; c < n; c++) {
        float qc = (1f - eps) * q[qr + c] + eps / n;
        out[or + c] = scale[r] * (big * (float) Math.exp((x[xr + c] - stats[2 * r]) - stats[2 * r + 1]) - qc * w(weight, c));
      }
    }
  }

  /** {@code loss[r] = −w_t·x_t}, 0 for an ignored row. */
  public static void nllRows(float[] x, int xo, int rows, int n, int[] target, float[] weight, float[] loss) {
    for (int r = 0; r < rows; r++) {
      int t = target[r];
      loss[r] = t < 0 ? 0f : -w(weight, t) * x[xo + r * n + t];
    }
  }

  /** Row r of {@code out} is 0 except {@code −scale[r]·w_t} at t. */
  public static void nllBackwardRows(int rows, int n, int[] target, float[] weight, float[] scale, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < n; c++) out[oo + r * n + c] = c == target[r] ? -scale[r] * w(weight, c) : 0f;
    }
  }

  /** log Σ e^x over one row, through its maximum. */
  public static float lse(float[] x, int xo, int n) {
    float m = ScalarReductions.max(x, xo, n);
    return m + logSumShifted(x, xo, n, m);
  }

  private static float logSumShifted(float[] x, int xo, int n, float m) {
    float s = 0f;
    for (int i = 0; i < n; i++) s += (float) Math.exp(x[xo + i] - m);
    return (float) Math.log(s);
  }

  private static float w(float[] weight, int c) {
    return weight == null ? 1f : weight[c];
  }
}
