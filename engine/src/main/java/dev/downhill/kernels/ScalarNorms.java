package dev.downhill.kernels;

/**
 * The plain twin of {@link Norms}: the same signatures, each row's statistics and outputs computed
 * in double and rounded to float once.
 */
public final class ScalarNorms {
  private ScalarNorms() {}

  /** As {@link Norms#layerNorm}. */
  public static void layerNorm(float[] x, int xo, int n, int from, int to, float eps, float[] w, float[] b,
      float[] y, int yo, float[] mean, float[] rstd) {
    for (int r = from; r < to; r++) {
      int xr = xo + r * n;
      double mu = 0;
      for (int c = 0; c < n; c++) mu += x[xr + c];
      mu /= n;
      double var = 0;
      for (int c = 0; c < n; c++) var += (x[xr + c] - mu) * (x[xr + c] - mu);
      double rs = 1 / Math.sqrt(var / n + eps);
      mean[r] = (float) mu;
      rstd[r] = (float) rs;
      for (int c = 0; c < n; c++) {
        double h = (x[xr + c] - mu) * rs;
        if (w != null) h *= w[c];
        if (b != null) h += b[c];
        y[yo + r * n + c] = (float) h;
      }
    }
  }

  /** As {@link Norms#layerNormBackward}. */
  public static void layerNormBackward(float[] x, int xo, float[] g, int go, int n, int from, int to, float[] w,
      float[] mean, float[] rstd, float[] dx, int dxo) {
    for (int r = from; r < to; r++) {
      double sumG = 0, sumGx = 0;
      for (int c = 0; c < n; c++) {
        double gh = (double) g[go + r * n + c] * (w != null ? w[c] : 1);
        sumG += gh;
        sumGx += gh * (x[xo + r * n + c] - (double) mean[r]) * rstd[r];
      }
      for (int c = 0; c < n; c++) {
        double gh = (double) g[go + r * n + c] * (w != null ? w[c] : 1);
        double xh = (x[xo + r * n + c] - (double) mean[r]) * rstd[r];
        dx[dxo + r * n + c] = (float) ((gh - sumG / n - xh * sumGx / n) * rstd[r]);
      }
    }
  }

  /** As {@link Norms#paramGrads}. */
  public static void paramGrads(float[] x, int xo, float[] g, int go, int n, int rows, float[] mean, float[] rstd,
      int c0, int c1, float[] dw, float[] db) {
    for (int c = c0; c < c1; c++) {
      double aw = 0, ab = 0;
      for (int r = 0; r < rows; r++) {
        double gv = g[go + r * n + c];
        aw += gv * (x[xo + r * n + c] - (double) mean[r]) * rstd[r];
        ab += gv;
      }
      if (dw != null) dw[c] = (float) aw;
      if (db != null) db[c] = (float) ab;
    }
  }
}
