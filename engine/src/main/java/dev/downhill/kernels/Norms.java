package dev.downhill.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalization over rows, forward and backward, as SIMD kernels; {@link ScalarNorms} is the
 * plain twin with the same signatures.
 *
 * <p>A block of {@code rows} contiguous rows of length {@code n} starts at {@code x[xo]}. Per row,
 * {@code μ = Σx/n}, {@code σ² = Σ(x − μ)²/n} (biased, as PyTorch), {@code rstd = 1/√(σ² + eps)}, and
 * {@code y = (x − μ)·rstd·w + b}; {@code w} and {@code b} (length n) may each be null for none. The
 * forward writes y and the per-row {@code mean[r]}, {@code rstd[r]}, which the backward reads. Rows
 * are independent, so row ranges can go to different threads; the parameter gradients are sums over
 * rows, taken by {@link #paramGrads} over a range of columns with the rows in order, so they too
 * split over threads by column without changing a bit.
 *
 * <p>Sums along a row are kept in vector accumulators and added across lanes by
 * {@link VMath#sumLanes}, then the scalar tail: the same bits whether or not C2 has compiled the loop.
 */
public final class Norms {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Norms() {}

  /** Normalizes rows [from, to) of the block; see the class comment. */
  public static void layerNorm(float[] x, int xo, int n, int from, int to, float eps, float[] w, float[] b,
      float[] y, int yo, float[] mean, float[] rstd) {
    int end = S.loopBound(n);
    for (int r = from; r < to; r++) {
      int xr = xo + r * n, yr = yo + r * n;
      float mu = sum(x, xr, n) / n;
      FloatVector acc = FloatVector.zero(S);
      int c = 0;
      for (; c < end; c += L) {
        FloatVector d = FloatVector.fromArray(S, x, xr + c).sub(mu);
        acc = d.fma(d, acc);
      }
      float ss = VMath.sumLanes(acc);
      for (; c < n; c++) {
        float d = x[xr + c] - mu;
        ss = Math.fma(d, d, ss);
      }
      float rs = 1f / (float) Math.sqrt(ss / n + eps);
      mean[r] = mu;
      rstd[r] = rs;
      for (c = 0; c < end; c += L) {
        FloatVector h = FloatVector.fromArray(S, x, xr + c).sub(mu).mul(rs);
        if (w != null) h = h.mul(FloatVector.fromArray(S, w, c));
        if (b != null) h = h.add(FloatVector.fromArray(S, b, c));
        h.intoArray(y, yr + c);
      }
      for (; c < n; c++) {
        float h = (x[xr + c] - mu) * rs;
        if (w != null) h *= w[c];
        if (b != null) h += b[c];
        y[yr + c] = h;
      }
    }
  }

  /**
   * The input gradient for rows [from, to): with {@code x̂ = (x − μ)·rstd} and {@code ĝ = g·w} (g
   * itself without w), {@code dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))}.
   */
  public static void layerNormBackward(float[] x, int xo, float[] g, int go, int n, int from, int to, float[] w,
      float[] mean, float[] rstd, float[] dx, int dxo) {
    int end = S.loopBound(n);
    for (int r = from; r < to; r++) {
      int xr = xo + r * n, gr = go + r * n, dr = dxo + r * n;
      float mu = mean[r], rs = rstd[r];
      FloatVector sg = FloatVector.zero(S), sgx = FloatVector.zero(S);
      int c = 0;
      for (; c < end; c += L) {
        FloatVector gh = FloatVector.fromArray(S, g, gr + c);
        if (w != null) gh = gh.mul(FloatVector.fromArray(S, w, c));
        FloatVector xh = FloatVector.fromArray(S, x, xr + c).sub(mu).mul(rs);
        sg = sg.add(gh);
        sgx = gh.fma(xh, sgx);
      }
      float sumG = VMath.sumLanes(sg), sumGx = VMath.sumLanes(sgx);
      for (; c < n; c++) {
        float gh = w != null ? g[gr + c] * w[c] : g[gr + c];
        float xh = (x[xr + c] - mu) * rs;
        sumG += gh;
        sumGx = Math.fma(gh, xh, sumGx);
      }
      float meanG = sumG / n, meanGx = sumGx / n;
      for (c = 0; c < end; c += L) {
        FloatVector gh = FloatVector.fromArray(S, g, gr + c);
        if (w != null) gh = gh.mul(FloatVector.fromArray(S, w, c));
        FloatVector xh = FloatVector.fromArray(S, x, xr + c).sub(mu).mul(rs);
        gh.sub(meanG).sub(xh.mul(meanGx)).mul(rs).intoArray(dx, dr + c);
      }
      for (; c < n; c++) {
        float gh = w != null ? g[gr + c] * w[c] : g[gr + c];
        float xh = (x[xr + c] - mu) * rs;
        dx[dr + c] = (gh - meanG - xh * meanGx) * rs;
      }
    }
  }

  /**
   * Overwrites columns [c0, c1) of {@code dw} with {@code Σ_r g·x̂} and of {@code db} with
   * {@code Σ_r g} over all {@code rows} rows, in row order; either may be null.
   */
  public static void paramGrads(float[] x, int xo, float[] g, int go, int n, int rows, float[] mean, float[] rstd,
      int c0, int c1, float[] dw, float[] db) {
    int c = c0;
    for (; c + L <= c1; c += L) {
      FloatVector aw = FloatVector.zero(S), ab = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        FloatVector gv = FloatVector.fromArray(S, g, go + r * n + c);
        FloatVector xh = FloatVector.fromArray(S, x, xo + r * n + c).sub(mean[r]).mul(rstd[r]);
        aw = gv.fma(xh, aw);
        ab = ab.add(gv);
      }
      if (dw != null) aw.intoArray(dw, c);
      if (db != null) ab.intoArray(db, c);
    }
    for (; c < c1; c++) {
      float aw = 0f, ab = 0f;
      for (int r = 0; r < rows; r++) {
        float gv = g[go + r * n + c];
        float xh = (x[xo + r * n + c] - mean[r]) * rstd[r];
        aw = Math.fma(gv, xh, aw);
        ab += gv;
      }
      if (dw != null) dw[c] = aw;
      if (db != null) db[c] = ab;
    }
  }

  static float sum(float[] x, int xo, int n) {
    FloatVector acc = FloatVector.zero(S);
    int c = 0;
    for (int end = S.loopBound(n); c < end; c += L) {
      acc = acc.add(FloatVector.fromArray(S, x, xo + c));
    }
    float s = VMath.sumLanes(acc);
    for (; c < n; c++) {
      s += x[xo + c];
    }
    return s;
  }
}
