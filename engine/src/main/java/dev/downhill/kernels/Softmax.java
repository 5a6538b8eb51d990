package dev.downhill.kernels;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-wise softmax, log-softmax and the cross-entropy family as SIMD kernels; {@link ScalarSoftmax} is
 * the sequential twin. A block of contiguous rows of length {@code n} starts at
 * {@code x[xo]}; row r is {@code x[xo + r·n, xo + (r+1)·n)}. Outputs of the same layout are written at
 * {@code out[oo, oo + rows·n)} and nothing else is; per-row results at {@code loss[r]} and
 * {@code stats[2r]} (the row maximum m), {@code stats[2r+1]} (log Σ e^{x−m}). The output may be the very range of the input.
 *
 * <p>Every row goes through log-sum-exp, {@code lse = m + log Σ e^{x−m}} with {@code m} the row's
 * maximum, and differences from it are taken as {@code (x − m) − log Σ e^{x−m}}, never through the
 * rounded lse: logits of ±1e4 neither overflow nor lose the answer to lse's rounding. Results differ from the twin by
 * rounding only: {@link VMath#exp} (within 1 ulp, and the same bits whether or not C2 has compiled the
 * loop) instead of {@code Math.exp}, and the sums added in another order. Rows are independent, so callers may hand row ranges to {@link Parallel}.
 *
 * <p>The cross-entropy kernels work on the rows {@code [from, to)} of a block of rows of length
 * {@code n} at {@code x[xo]}: row r reads {@code x[xo + r·n, ...)}, {@code target[r]} (or the row of
 * {@code q} at {@code qo + r·n}), {@code scale[r]}, {@code stats[2r, 2r+2)}, and writes {@code loss[r]},
 * {@code stats[2r, 2r+2)} or the row at {@code out[oo + r·n]}, so row ranges can go to different threads.
 *
 * <p>Class-index targets are {@code int[]} with one entry per row; a negative entry marks an ignored
 * row (its loss and gradient are 0). {@code weight} is a per-class weight of length {@code n}, or null
 * for all ones. {@code eps} is label smoothing: the target distribution is
 * {@code (1−eps)·target + eps/n}.
 */
public final class Softmax {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Softmax() {}

  /** Overwrites every row of {@code out} with {@code e^{x−m}/Σe^{x−m}}. */
  public static void softmaxRows(float[] x, int xo, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int xr = xo + r * n, or = oo + r * n;
      float m = Reductions.max(x, xr, n);
      float inv = 1f / expShifted(x, xr, n, m, out, or);
      Elementwise.mulScalar(out, or, inv, out, or, n);
    }
  }

  /** Overwrites every row of {@code out} with {@code (x − m) − log Σ e^{x−m}}. */
  public static void logSoftmaxRows(float[] x, int xo, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int xr = xo + r * n, or = oo + r * n;
      float m = Reductions.max(x, xr, n);
      float ls = (float) Math.log(sumExpShifted(x, xr, n, m));
      int i = 0;
      for (int end = S.loopBound(n); i < end; i += L) {
        FloatVector.fromArray(S, x, xr + i).sub(m).sub(ls).intoArray(out, or + i);
      }
      for (; i < n; i++) out[or + i] = (x[xr + i] - m) - ls;
    }
  }

  /** Backward of softmax from its output y: {@code out = y·(g − Σ g·y)} per row. */
  public static void softmaxBackwardRows(float[] y, int yo, float[] g, int go, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int yr = yo + r * n, gr = go + r * n, or = oo + r * n;
      float dot = dot(g, gr, y, yr, n);
      int i = 0;
      for (int end = S.loopBound(n); i < end; i += L) {
        FloatVector vy = FloatVector.fromArray(S, y, yr + i);
        FloatVector.fromArray(S, g, gr + i).sub(dot).mul(vy).intoArray(out, or + i);
      }
      for (; i < n; i++) out[or + i] = (g[gr + i] - dot) * y[yr + i];
    }
  }

  /** Backward of log-softmax from its output y: {@code out = g − e^y·Σg} per row. */
  public static void logSoftmaxBackwardRows(float[] y, int yo, float[] g, int go, int rows, int n, float[] out, int oo) {
    for (int r = 0; r < rows; r++) {
      int yr = yo + r * n, gr = go + r * n, or = oo + r * n;
      float sum = Reductions.sum(g, gr, n);
      int i = 0;
      for (int end = S.loopBound(n); i < end; i += L) {
        FloatVector p = VMath.exp(FloatVector.fromArray(S, y, yr + i));
        FloatVector.fromArray(S, g, gr + i).sub(p.mul(sum)).intoArray(out, or + i);
      }
      for (; i < n; i++) out[or + i] = g[gr + i] - VMath.exp(y[yr + i]) * sum;
    }
  }

  /**
   * Cross-entropy with class indices, forward. For each row r with target t ≥ 0 writes
   * its stats and {@code loss[r] = (1−eps)·w_t·(lse − x_t) + (eps/n)·Σ_c w_c·(lse − x_c)}; an
   * ignored row gets {@code loss[r] = 0} and stats 0.
   */
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
      float m = Reductions.max(x, xr, n);
      float ls = (float) Math.log(sumExpShifted(x, xr, n, m));
      float wt = weight == null ? 1f : weight[t];
      float v = (1f - eps) * wt * ((m - x[xr + t]) + ls);
      if (eps != 0f) {
        v += eps / n * weightedGap(x, xr, n, m, ls, weight, 0);
      }
      stats[2 * r] = m;
      stats[2 * r + 1] = ls;
      loss[r] = v;
    }
  }

  /**
   * Cross-entropy with class indices, backward, fused in one pass per row: overwrites row r of
   * {@code out} with {@code scale[r]·(W·softmax(x) − q·w)}, where q is the smoothed one-hot target
   * and {@code W = Σ_c q_c·w_c}. Without weight or smoothing this is {@code scale·(softmax − onehot)}.
   * Ignored rows become 0. {@code stats} is what {@link #crossEntropyRows} wrote.
   */
  public static void crossEntropyBackwardRows(float[] x, int xo, int n, int from, int to, int[] target, float[] weight,
      float eps, float[] stats, float[] scale, float[] out, int oo) {
    float smooth = eps / n;
    float sumW = weight == null ? n : Reductions.sum(weight, 0, n);
    for (int r = from; r < to; r++) {
      int t = target[r], or = oo + r * n;
      if (t < 0) {
        Elementwise.fill(out, or, n, 0f);
        continue;
      }
      float wt = weight == null ? 1f : weight[t];
      float s = scale[r];
      float coef = s * ((1f - eps) * wt + smooth * sumW);
      scaledSoftmaxMinus(x, xo + r * n, n, stats[2 * r], stats[2 * r + 1], coef, s * smooth, weight, 0, out, or);
      out[or + t] -= s * (1f - eps) * wt;
    }
  }

  /**
   * Cross-entropy with class probabilities q (rows of length n at {@code q[qo]}), forward: writes
   * its stats and {@code loss[r] = Σ_c w_c·q'_c·(lse − x_c)} with {@code q' = (1−eps)·q + eps/n}.
   */
  public static void crossEntropyProbRows(float[] x, int xo, int n, int from, int to, float[] q, int qo, float[] weight,
      float eps, float[] loss, float[] stats) {
    for (int r = from; r < to; r++) {
      int xr = xo + r * n, qr = qo + r * n;
      float m = Reductions.max(x, xr, n);
      float ls = (float) Math.log(sumExpShifted(x, xr, n, m));
      float v = (1f - eps) * weightedGap(x, xr, n, m, ls, weight, 0, q, qr);
      if (eps != 0f) {
        v += eps / n * weightedGap(x, xr, n, m, ls, weight, 0);
      }
      stats[2 * r] = m;
      stats[2 * r + 1] = ls;
      loss[r] = v;
    }
  }

  /**
   * Cross-entropy with class probabilities, backward: row r of {@code out} becomes
   * {@code scale[r]·(W·softmax(x) − w·q')} with {@code W = Σ_c w_c·q'_c}.
   */
  public static void crossEntropyProbBackwardRows(float[] x, int xo, int n, int from, int to, float[] q, int qo,
      float[] weight, float eps, float[] stats, float[] scale, float[] out, int oo) {
    float smooth = eps / n;
    float sumW = weight == null ? n : Reductions.sum(weight, 0, n);
    for (int r = from; r < to; r++) {
      int xr = xo + r * n, qr = qo + r * n, or = oo + r * n;
      float s = scale[r];
      float wq = weight == null ? Reductions.sum(q, qr, n) : dot(weight, 0, q, qr, n);
      float coef = s * ((1f - eps) * wq + smooth * sumW);
      // out = coef·p − s·smooth·w, then out −= s·(1−eps)·w·q
      scaledSoftmaxMinus(x, xr, n, stats[2 * r], stats[2 * r + 1], coef, s * smooth, weight, 0, out, or);
      float c = s * (1f - eps);
      int i = 0;
      for (int end = S.loopBound(n); i < end; i += L) {
        FloatVector wqv = FloatVector.fromArray(S, q, qr + i).mul(c);
        if (weight != null) wqv = wqv.mul(FloatVector.fromArray(S, weight, i));
        FloatVector.fromArray(S, out, or + i).sub(wqv).intoArray(out, or + i);
      }
      for (; i < n; i++) out[or + i] -= weight == null ? q[qr + i] * c : q[qr + i] * c * weight[i];
    }
  }

  /**
   * Negative log-likelihood over log-probabilities, forward: {@code loss[r] = −w_t·x_t}, 0 for an
   * ignored row.
   */
  public static void nllRows(float[] x, int xo, int rows, int n, int[] target, float[] weight, float[] loss) {
    for (int r = 0; r < rows; r++) {
      int t = target[r];
      loss[r] = t < 0 ? 0f : -(weight == null ? 1f : weight[t]) * x[xo + r * n + t];
    }
  }

  /** Backward of {@link #nllRows}: row r of {@code out} is 0 except {@code −scale[r]·w_t} at t. */
  public static void nllBackwardRows(int rows, int n, int[] target, float[] weight, float[] scale, float[] out, int oo) {
    Elementwise.fill(out, oo, rows * n, 0f);
    for (int r = 0; r < rows; r++) {
      int t = target[r];
      if (t >= 0) out[oo + r * n + t] = -scale[r] * (weight == null ? 1f : weight[t]);
    }
  }

  // ------------------------------------------------------------------ row pieces

  /** log Σ e^{x} over one row, through its maximum. Writes nothing. */
  public static float lse(float[] x, int xo, int n) {
    float m = Reductions.max(x, xo, n);
    return m + (float) Math.log(sumExpShifted(x, xo, n, m));
  }

  /** Writes {@code e^{x−m}} to {@code out[oo, oo+n)} and returns its sum (two vector accumulators). */
  private static float expShifted(float[] x, int xo, int n, float m, float[] out, int oo) {
    // Two accumulators, vectors taking turns (the even ones into one, the odd ones into the other),
    // written as one exp per iteration with the accumulators swapping places: the sums are those of
    // a loop unrolled by two, bit for bit (the last add is s0 + s1 either way round), but C2 inlines
    // one VMath.exp instead of three. Unrolled, the method grew past C2's inlining budget: sumLanes
    // was left a call, and a fresh JVM's softmax on 8192×4096 settled at 57–98 ms a call after
    // running at 33–53 ms for its first second.
    FloatVector s0 = FloatVector.zero(S), s1 = s0;
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector e = VMath.exp(FloatVector.fromArray(S, x, xo + i).sub(m));
      e.intoArray(out, oo + i);
      FloatVector t = s0.add(e);
      s0 = s1;
      s1 = t;
    }
    float s = VMath.sumLanes(s0.add(s1));
    for (; i < n; i++) {
      float e = VMath.exp(x[xo + i] - m);
      out[oo + i] = e;
      s += e;
    }
    return s;
  }

  /** Σ e^{x−m} over one row, nothing written. */
  private static float sumExpShifted(float[] x, int xo, int n, float m) {
    FloatVector s0 = FloatVector.zero(S), s1 = s0; // taking turns, as in expShifted
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector t = s0.add(VMath.exp(FloatVector.fromArray(S, x, xo + i).sub(m)));
      s0 = s1;
      s1 = t;
    }
    float s = VMath.sumLanes(s0.add(s1));
    for (; i < n; i++) s += VMath.exp(x[xo + i] - m);
    return s;
  }

  /** Σ a·b over one range. */
  private static float dot(float[] a, int ao, float[] b, int bo, int n) {
    FloatVector s0 = FloatVector.zero(S), s1 = s0;
    int i = 0;
    for (int end = n - n % (2 * L); i < end; i += 2 * L) {
      s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
      s1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), s1);
    }
    for (int end = S.loopBound(n); i < end; i += L) {
      s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
    }
    float s = VMath.sumLanes(s0.add(s1));
    for (; i < n; i++) s += a[ao + i] * b[bo + i];
    return s;
  }

  /** Σ_c w_c·((m − x_c) + ls) over one row (w = 1 when null); every term is ≥ 0, so nothing cancels. */
  private static float weightedGap(float[] x, int xo, int n, float m, float ls, float[] w, int wo) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector vm = FloatVector.broadcast(S, m);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector gap = vm.sub(FloatVector.fromArray(S, x, xo + i)).add(ls);
      s0 = w == null ? s0.add(gap) : gap.fma(FloatVector.fromArray(S, w, wo + i), s0);
    }
    float s = VMath.sumLanes(s0);
    for (; i < n; i++) s += w == null ? (m - x[xo + i]) + ls : ((m - x[xo + i]) + ls) * w[wo + i];
    return s;
  }

  /** Σ_c w_c·q_c·((m − x_c) + ls) over one row (w = 1 when null). */
  private static float weightedGap(float[] x, int xo, int n, float m, float ls, float[] w, int wo, float[] q, int qo) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector vm = FloatVector.broadcast(S, m);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector wq = FloatVector.fromArray(S, q, qo + i);
      if (w != null) wq = wq.mul(FloatVector.fromArray(S, w, wo + i));
      s0 = vm.sub(FloatVector.fromArray(S, x, xo + i)).add(ls).fma(wq, s0);
    }
    float s = VMath.sumLanes(s0);
    for (; i < n; i++) s += ((m - x[xo + i]) + ls) * (w == null ? q[qo + i] : q[qo + i] * w[wo + i]);
    return s;
  }

  /** out = coef·e^{(x−m)−ls} − c·w (w = 1 when null) over one row. */
  private static void scaledSoftmaxMinus(float[] x, int xo, int n, float m, float ls, float coef, float c, float[] w,
      int wo, float[] out, int oo) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector p = VMath.exp(FloatVector.fromArray(S, x, xo + i).sub(m).sub(ls)).mul(coef);
      FloatVector cw = w == null ? FloatVector.broadcast(S, c) : FloatVector.fromArray(S, w, wo + i).mul(c);
      p.sub(cw).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = VMath.exp((x[xo + i] - m) - ls) * coef - (w == null ? c : w[wo + i] * c);
  }
}
