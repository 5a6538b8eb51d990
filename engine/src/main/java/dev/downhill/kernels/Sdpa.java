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
 * order, so no vector is ever summed across its lanes. Each phase (scores, softmax, weighted sums) runs
 * over all rows of the head before the next, four rows at a time where rows share loads, so the
 * rows' dependency chains overlap. (The dot-product form, one horizontal sum per score, with the
 * phases row by row, took 2.5 µs for one of tiny-gpt's 8×8 heads of 16; scores along j, still row by
 * row, 1.1 µs.) The softmax takes the row's maximum and sum in order along j and e^x by
 * {@link VMath#exp}, the formula of {@link Softmax#softmaxRows}. The weighted sums broadcast one
 * weight against whole rows of v, k or q; a block of four rows sums over the keys its last row sees,
 * the others' weights there being exactly 0 (as in the composed form's matmul, a masked key's
 * non-finite value then still reaches those rows as NaN). Nothing depends on JIT state, on the thread
 * or on other heads, so heads can go to different threads with the same bits.
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
    products(q, qo, qs, l, e, scratch, ps, scale, p, po, ps);
    for (int i = 0; i < l; i++) {
      int pr = po + i * ps;
      int jEnd = keys(i, s, causal);
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
    }
    weightedRows(p, po, ps, l, s, causal, v, vo, vs, ev, out, oo, os);
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
      weightedColumns(p, po, ps, l, s, causal, g, go, gs, ev, dv, dvo, dvs);
    }
    if (dq == null && dk == null) {
      return;
    }
    transpose(v, vo, vs, s, ev, scratch, ps);
    products(g, go, gs, l, ev, scratch, ps, 1f, ds, 0, ps); // dp = g·vᵀ
    for (int i = 0; i < l; i++) {
      int pr = po + i * ps, dr = i * ps;
      int jEnd = keys(i, s, causal);
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
      weightedRows(ds, 0, ps, l, s, causal, k, ko, ks, e, dq, dqo, dqs);
    }
    if (dk != null) {
      weightedColumns(ds, 0, ps, l, s, causal, q, qo, qs, e, dk, dko, dks);
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
   * Row i of out ({@code out[oo + i·os, +ts)}, ts a whole number of vectors) becomes
   * {@code scale·Σ_c a[ao + i·as + c]·t[c·ts + j]} for i < rows, c in order; four rows share each
   * load of t.
   */
  static void products(float[] a, int ao, int as, int rows, int n, float[] t, int ts, float scale,
      float[] out, int oo, int os) {
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int a0 = ao + i * as, a1 = a0 + as, a2 = a1 + as, a3 = a2 + as;
      for (int j = 0; j < ts; j += L) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int c = 0; c < n; c++) {
          FloatVector tv = FloatVector.fromArray(S, t, c * ts + j);
          c0 = FloatVector.broadcast(S, a[a0 + c]).fma(tv, c0);
          c1 = FloatVector.broadcast(S, a[a1 + c]).fma(tv, c1);
          c2 = FloatVector.broadcast(S, a[a2 + c]).fma(tv, c2);
          c3 = FloatVector.broadcast(S, a[a3 + c]).fma(tv, c3);
        }
        int o = oo + i * os + j;
        c0.mul(scale).intoArray(out, o);
        c1.mul(scale).intoArray(out, o + os);
        c2.mul(scale).intoArray(out, o + 2 * os);
        c3.mul(scale).intoArray(out, o + 3 * os);
      }
    }
    for (; i < rows; i++) {
      int ar = ao + i * as;
      for (int j = 0; j < ts; j += L) {
        FloatVector acc = FloatVector.zero(S);
        for (int c = 0; c < n; c++) {
          acc = FloatVector.broadcast(S, a[ar + c]).fma(FloatVector.fromArray(S, t, c * ts + j), acc);
        }
        acc.mul(scale).intoArray(out, oo + i * os + j);
      }
    }
  }

  /**
   * Row i of out ({@code out[oo + i·os, +n)}) becomes {@code Σ_j w[wo + i·ws + j]·x[xo + j·xs + c]},
   * j over the keys row i sees (for a block of four rows, those its last row sees), in order.
   */
  static void weightedRows(float[] w, int wo, int ws, int rows, int s, boolean causal,
      float[] x, int xo, int xs, int n, float[] out, int oo, int os) {
    int end = S.loopBound(n);
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int count = keys(i + 3, s, causal);
      int w0 = wo + i * ws, w1 = w0 + ws, w2 = w1 + ws, w3 = w2 + ws;
      int o = oo + i * os;
      int c = 0;
      for (; c < end; c += L) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int j = 0; j < count; j++) {
          FloatVector xv = FloatVector.fromArray(S, x, xo + j * xs + c);
          c0 = FloatVector.broadcast(S, w[w0 + j]).fma(xv, c0);
          c1 = FloatVector.broadcast(S, w[w1 + j]).fma(xv, c1);
          c2 = FloatVector.broadcast(S, w[w2 + j]).fma(xv, c2);
          c3 = FloatVector.broadcast(S, w[w3 + j]).fma(xv, c3);
        }
        c0.intoArray(out, o + c);
        c1.intoArray(out, o + os + c);
        c2.intoArray(out, o + 2 * os + c);
        c3.intoArray(out, o + 3 * os + c);
      }
      for (; c < n; c++) {
        for (int r = 0; r < 4; r++) {
          float acc = 0f;
          for (int j = 0; j < count; j++) {
            acc = Math.fma(w[w0 + r * ws + j], x[xo + j * xs + c], acc);
          }
          out[o + r * os + c] = acc;
        }
      }
    }
    for (; i < rows; i++) {
      int count = keys(i, s, causal);
      int wr = wo + i * ws, o = oo + i * os;
      int c = 0;
      for (; c < end; c += L) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < count; j++) {
          acc = FloatVector.broadcast(S, w[wr + j]).fma(FloatVector.fromArray(S, x, xo + j * xs + c), acc);
        }
        acc.intoArray(out, o + c);
      }
      for (; c < n; c++) {
        float acc = 0f;
        for (int j = 0; j < count; j++) {
          acc = Math.fma(w[wr + j], x[xo + j * xs + c], acc);
        }
        out[o + c] = acc;
      }
    }
  }

  /**
   * Row j of out ({@code out[oo + j·os, +n)}, j < s) becomes
   * {@code Σ_i w[wo + i·ws + j]·x[xo + i·xs + c]}, i in order over the rows that see key j (from j on
   * when causal; for a block of four keys, from its first): {@code wᵀ·x}.
   */
  static void weightedColumns(float[] w, int wo, int ws, int rows, int s, boolean causal,
      float[] x, int xo, int xs, int n, float[] out, int oo, int os) {
    int end = S.loopBound(n);
    int j = 0;
    for (; j + 4 <= s; j += 4) {
      int from = causal ? Math.min(j, rows) : 0;
      int o = oo + j * os;
      int c = 0;
      for (; c < end; c += L) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int i = from; i < rows; i++) {
          FloatVector xv = FloatVector.fromArray(S, x, xo + i * xs + c);
          int wr = wo + i * ws + j;
          c0 = FloatVector.broadcast(S, w[wr]).fma(xv, c0);
          c1 = FloatVector.broadcast(S, w[wr + 1]).fma(xv, c1);
          c2 = FloatVector.broadcast(S, w[wr + 2]).fma(xv, c2);
          c3 = FloatVector.broadcast(S, w[wr + 3]).fma(xv, c3);
        }
        c0.intoArray(out, o + c);
        c1.intoArray(out, o + os + c);
        c2.intoArray(out, o + 2 * os + c);
        c3.intoArray(out, o + 3 * os + c);
      }
      for (; c < n; c++) {
        for (int r = 0; r < 4; r++) {
          float acc = 0f;
          for (int i = from; i < rows; i++) {
            acc = Math.fma(w[wo + i * ws + j + r], x[xo + i * xs + c], acc);
          }
          out[o + r * os + c] = acc;
        }
      }
    }
    for (; j < s; j++) {
      int from = causal ? Math.min(j, rows) : 0;
      int o = oo + j * os;
      int c = 0;
      for (; c < end; c += L) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = from; i < rows; i++) {
          acc = FloatVector.broadcast(S, w[wo + i * ws + j]).fma(FloatVector.fromArray(S, x, xo + i * xs + c), acc);
        }
        acc.intoArray(out, o + c);
      }
      for (; c < n; c++) {
        float acc = 0f;
        for (int i = from; i < rows; i++) {
          acc = Math.fma(w[wo + i * ws + j], x[xo + i * xs + c], acc);
        }
        out[o + c] = acc;
      }
    }
  }
}
