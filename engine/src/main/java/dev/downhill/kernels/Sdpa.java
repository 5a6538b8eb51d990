package dev.downhill.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention for one head, forward and backward, as SIMD kernels over strided
 * rows; {@link ScalarSdpa} is the plain twin with the same signatures.
 *
 * <p>Layout: query row i ({@code 0 ≤ i < l}) is {@code q[qo + i·qs, +e)}, key row j ({@code 0 ≤ j < s})
 * {@code k[ko + j·ks, +e)}, value row j {@code v[vo + j·vs, +ev)}, output row i
 * {@code out[oo + i·os, +ev)}. The strides let a kernel read one head straight out of a packed
 * [B, T, 3·C] projection and write it into a [B, T, C] output, so no head is ever copied out or
 * transposed. The attention weights {@code p = softmax(scale·q·kᵀ)} are written by the forward and
 * read by the backward, row i at {@code p[po + i·ps]} with {@code ps = }{@link #rowStride}{@code (s)}
 * (s rounded up to whole vectors; the floats past s are 0). With {@code causal}, row i attends to
 * keys {@code j ≤ i} only (PyTorch's top-left {@code tril}) and {@code p} is 0 beyond, so no mask is
 * ever built.
 *
 * <p>How: a row of scores is computed along j, in vectors, from a transposed copy of k
 * ({@code scratch}, e·ps floats): {@code Σ_c q[i, c]·kᵀ[c, j]} with the q element broadcast and c in
 * order, so no vector is ever summed across its lanes. (The dot-product form, one horizontal sum
 * per score, plus a scalar softmax per row, took 2.5 µs for one of tiny-gpt's 8×8 heads of 16.) The
 * softmax takes the row's maximum and sum in order along j and e^x by {@link VMath#exp}, the formula
 * of {@link Softmax#softmaxRows}; the weighted sums of value and key rows broadcast one weight
 * against whole rows. Nothing depends on JIT state or on other heads, so heads can go to different
 * threads with the same bits.
 */
public final class Sdpa {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Sdpa() {}

  /** The stride between rows of p for s keys: s rounded up to a whole number of vectors. */
  public static int rowStride(int s) {
    return (s + L - 1) / L * L;
  }

  /** How many keys row i of an [l, s] attention sees. */
  static int keys(int i, int s, boolean causal) {
    return causal ? Math.min(i + 1, s) : s;
  }

  /**
   * Writes {@code p = softmax(scale·q·kᵀ)} (causal rows 0 beyond the diagonal) and
   * {@code out = p·v}; {@code scratch} holds at least {@code e·rowStride(s)} floats. With
   * {@code s == 0} the output rows are 0, as PyTorch's product of an empty [l, 0] by [0, ev] gives.
   */
  public static void forward(int l, int s, int e, int ev, float scale, boolean causal,
      float[] q, int qo, int qs, float[] k, int ko, int ks, float[] v, int vo, int vs,
      float[] p, int po, float[] out, int oo, int os, float[] scratch) {
    int ps = rowStride(s);
    transpose(k, ko, ks, s, e, scratch, ps);
    for (int i = 0; i < l; i++) {
      int pr = po + i * ps;
      int jEnd = keys(i, s, causal);
      scoreRow(q, qo + i * qs, e, scratch, ps, scale, p, pr);
      float m = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < jEnd; j++) {
        m = Math.max(m, p[pr + j]);
      }
      for (int j = jEnd; j < ps; j++) {
        p[pr + j] = Float.NEGATIVE_INFINITY; // e^−∞ = 0: the masked keys and the padding
      }
      for (int j = 0; j < ps; j += L) {
        VMath.exp(FloatVector.fromArray(S, p, pr + j).sub(m)).intoArray(p, pr + j);
      }
      float sum = 0f;
      for (int j = 0; j < jEnd; j++) {
        sum += p[pr + j];
      }
      float inv = 1f / sum;
      for (int j = 0; j < ps; j += L) {
        FloatVector.fromArray(S, p, pr + j).mul(inv).intoArray(p, pr + j);
      }
      weightedRows(p, pr, jEnd, v, vo, vs, ev, out, oo + i * os);
    }
  }

  /**
   * From {@code g}, the gradient of the output (row i at {@code g[go + i·gs, +ev)}), and the saved
   * {@code p}: overwrites {@code dq} (rows of e at stride dqs), {@code dk} (stride dks) and
   * {@code dv} (ev at stride dvs); any of the three may be null when not needed. {@code ds} is
   * scratch of at least {@code l·rowStride(s)} floats and {@code scratch} of {@code ev·rowStride(s)}.
   * With {@code dp = g·vᵀ} and the softmax backward {@code ds = scale·p⊙(dp − Σⱼ p⊙dp)}:
   * {@code dv = pᵀ·g}, {@code dq = ds·k}, {@code dk = dsᵀ·q}.
   */
  public static void backward(int l, int s, int e, int ev, float scale, boolean causal,
      float[] q, int qo, int qs, float[] k, int ko, int ks, float[] v, int vo, int vs,
      float[] p, int po, float[] g, int go, int gs, float[] ds, float[] scratch,
      float[] dq, int dqo, int dqs, float[] dk, int dko, int dks, float[] dv, int dvo, int dvs) {
    int ps = rowStride(s);
    if (dv != null) {
      for (int j = 0; j < s; j++) {
        // rows i < j do not see key j under the causal rule (their p is 0 there)
        weightedColumn(p, po + j, ps, causal ? Math.min(j, l) : 0, l, g, go, gs, ev, dv, dvo + j * dvs);
      }
    }
    if (dq == null && dk == null) {
      return;
    }
    transpose(v, vo, vs, s, ev, scratch, ps);
    for (int i = 0; i < l; i++) {
      int pr = po + i * ps, dr = i * ps;
      int jEnd = keys(i, s, causal);
      scoreRow(g, go + i * gs, ev, scratch, ps, 1f, ds, dr); // dp = g·vᵀ
      float dot = 0f;
      for (int j = 0; j < jEnd; j++) {
        dot += p[pr + j] * ds[dr + j];
      }
      for (int j = 0; j < ps; j += L) {
        FloatVector vp = FloatVector.fromArray(S, p, pr + j);
        vp.mul(FloatVector.fromArray(S, ds, dr + j).sub(dot)).mul(scale).intoArray(ds, dr + j);
      }
      for (int j = jEnd; j < ps; j++) {
        ds[dr + j] = 0f; // p is 0 there already; this keeps a non-finite dp of a masked key out
      }
    }
    if (dq != null) {
      for (int i = 0; i < l; i++) {
        weightedRows(ds, i * ps, keys(i, s, causal), k, ko, ks, e, dq, dqo + i * dqs);
      }
    }
    if (dk != null) {
      for (int j = 0; j < s; j++) {
        weightedColumn(ds, j, ps, causal ? Math.min(j, l) : 0, l, q, qo, qs, e, dk, dko + j * dks);
      }
    }
  }

  /**
   * {@code t[c·ts + j] = x[xo + j·xs + c]} for j < rows, c < width, and 0 for rows ≤ j < ts: rows of
   * x become columns of t.
   */
  static void transpose(float[] x, int xo, int xs, int rows, int width, float[] t, int ts) {
    for (int c = 0; c < width; c++) {
      for (int j = rows; j < ts; j++) {
        t[c * ts + j] = 0f;
      }
    }
    for (int j = 0; j < rows; j++) {
      for (int c = 0; c < width; c++) {
        t[c * ts + j] = x[xo + j * xs + c];
      }
    }
  }

  /**
   * {@code out[oo + j] = scale·Σ_c a[ao + c]·t[c·ts + j]} for j < ts (a whole number of vectors),
   * c in order: one row of a times the columns of t.
   */
  static void scoreRow(float[] a, int ao, int n, float[] t, int ts, float scale, float[] out, int oo) {
    for (int j = 0; j < ts; j += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int c = 0; c < n; c++) {
        acc = FloatVector.broadcast(S, a[ao + c]).fma(FloatVector.fromArray(S, t, c * ts + j), acc);
      }
      acc.mul(scale).intoArray(out, oo + j);
    }
  }

  /** Overwrites {@code out[oo, +n)} with Σ_{j < count} w[wo + j]·(row j of x at xo + j·xs). */
  static void weightedRows(float[] w, int wo, int count, float[] x, int xo, int xs, int n, float[] out, int oo) {
    int c = 0;
    for (int end = S.loopBound(n); c < end; c += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < count; j++) {
        acc = FloatVector.fromArray(S, x, xo + j * xs + c).fma(FloatVector.broadcast(S, w[wo + j]), acc);
      }
      acc.intoArray(out, oo + c);
    }
    for (; c < n; c++) {
      float acc = 0f;
      for (int j = 0; j < count; j++) {
        acc = Math.fma(x[xo + j * xs + c], w[wo + j], acc);
      }
      out[oo + c] = acc;
    }
  }

  /**
   * Overwrites {@code out[oo, +n)} with Σ_{from ≤ i < to} w[wo + i·ws]·(row i of x at xo + i·xs):
   * one column of a row-major weight matrix against the rows of x.
   */
  static void weightedColumn(float[] w, int wo, int ws, int from, int to, float[] x, int xo, int xs, int n,
      float[] out, int oo) {
    int c = 0;
    for (int end = S.loopBound(n); c < end; c += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int i = from; i < to; i++) {
        acc = FloatVector.fromArray(S, x, xo + i * xs + c).fma(FloatVector.broadcast(S, w[wo + i * ws]), acc);
      }
      acc.intoArray(out, oo + c);
    }
    for (; c < n; c++) {
      float acc = 0f;
      for (int i = from; i < to; i++) {
        acc = Math.fma(x[xo + i * xs + c], w[wo + i * ws], acc);
      }
      out[oo + c] = acc;
    }
  }
}
