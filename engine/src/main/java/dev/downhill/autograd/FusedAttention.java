package dev.downhill.autograd;

import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.Sdpa;

/**
 * Scaled dot-product attention, {@code softmax(q·kᵀ/√E)·v}, as one differentiable op on the
 * {@link Sdpa} kernels: the scores and their softmax are computed once per head and kept for the
 * backward, the causal mask is a loop bound rather than a tensor, and no head is copied out or
 * transposed. {@code nn.Attention.scaledDotProductAttention} uses it where it applies (no float
 * mask, the same leading dimensions for q, k and v) and keeps the composed form (batched matmul,
 * maskedFill, softmax) as its oracle and for the other cases.
 *
 * <p>Heads go to the threads of {@link Parallel} whole, so the bits do not depend on the thread count.
 */
public final class FusedAttention {
  private FusedAttention() {}

  /**
   * Attention over heads laid out [..., L, E] ({@code q}), [..., S, E] ({@code k}) and [..., S, Ev]
   * ({@code v}), the leading dimensions the same for all three; the result is [..., L, Ev].
   */
  public static Tensor apply(Tensor q, Tensor k, Tensor v, boolean causal) {
    int r = q.shape.length;
    if (r < 2 || k.shape.length != r || v.shape.length != r) {
      throw new IllegalArgumentException("scaledDotProductAttention: q " + Shapes.str(q.shape) + ", k "
          + Shapes.str(k.shape) + " and v " + Shapes.str(v.shape) + " need the same rank, at least 2");
    }
    int l = q.shape[r - 2], e = q.shape[r - 1], s = k.shape[r - 2], ev = v.shape[r - 1];
    int count = 1;
    for (int d = 0; d < r - 2; d++) {
      if (k.shape[d] != q.shape[d] || v.shape[d] != q.shape[d]) {
        throw new IllegalArgumentException("scaledDotProductAttention (fused): leading dimensions of q "
            + Shapes.str(q.shape) + ", k " + Shapes.str(k.shape) + " and v " + Shapes.str(v.shape) + " differ");
      }
      count *= q.shape[d];
    }
    if (k.shape[r - 1] != e || v.shape[r - 2] != s) {
      throw new IllegalArgumentException("scaledDotProductAttention: q " + Shapes.str(q.shape) + ", k "
          + Shapes.str(k.shape) + " and v " + Shapes.str(v.shape) + " do not fit: need q [..., L, E], k [..., S, E], v [..., S, Ev]");
    }
    int[] outShape = q.shape.clone();
    outShape[r - 1] = ev;
    Heads h = new Heads(count, 1, l, s, e, ev, l * e, s * e, s * ev, l * ev, 0, 0, e, e, ev, ev, 0, 0, 0);
    return run(h, causal, false, outShape, q, k, v);
  }

  /**
   * Causal or full self-attention straight from a packed projection: {@code qkv} is [B, T, 3·C], the
   * queries, keys and values of all heads side by side as one linear layer writes them (head h's
   * query is columns {@code [h·D, (h+1)·D)}, D = C/nHead, its key C further on, its value 2·C). The
   * result is [B, T, C] with the heads joined, what {@code split}, {@code view(B, T, H, D)},
   * {@code transpose(1, 2)}, attention, {@code transpose(1, 2)} and {@code reshape(B, T, C)} give.
   */
  public static Tensor packed(Tensor qkv, int nHead, boolean causal) {
    int[] sh = qkv.shape;
    if (sh.length != 3 || nHead < 1 || sh[2] % (3 * nHead) != 0) {
      throw new IllegalArgumentException("attention: packed qkv must be [B, T, 3·C] with C a multiple of nHead "
          + nHead + ", got " + Shapes.str(sh));
    }
    int b = sh[0], t = sh[1], c = sh[2] / 3, d = c / nHead;
    Heads h = new Heads(b * nHead, nHead, t, t, d, d, t * 3 * c, t * 3 * c, t * 3 * c, t * c, d, d,
        3 * c, 3 * c, 3 * c, c, 0, c, 2 * c);
    return run(h, causal, true, new int[] {b, t, c}, qkv, qkv, qkv);
  }

  /**
   * Where each head's rows are: head {@code i} (of {@code count}, {@code heads} per batch entry)
   * starts at {@code start + (i / heads)·batch + (i % heads)·head} of its array, rows a stride apart.
   * The gradients share the layout of what they are the gradients of.
   */
  private record Heads(int count, int heads, int l, int s, int e, int ev,
      int qBatch, int kBatch, int vBatch, int oBatch, int inHead, int oHead,
      int qs, int ks, int vs, int os, int qStart, int kStart, int vStart) {
    int at(int i, int start, int batch, int head) {
      return start + (i / heads) * batch + (i % heads) * head;
    }

    int q(int i) {
      return at(i, qStart, qBatch, inHead);
    }

    int k(int i) {
      return at(i, kStart, kBatch, inHead);
    }

    int v(int i) {
      return at(i, vStart, vBatch, inHead);
    }

    int o(int i) {
      return at(i, 0, oBatch, oHead);
    }

    /** Query–key pairs one head scores (those under the diagonal when causal). */
    long pairs(boolean causal) {
      long n = 0;
      for (int i = 0; i < l; i++) {
        n += causal ? Math.min(i + 1, s) : s;
      }
      return n;
    }

    /** Heads per task: about 2¹⁵ multiply-adds, as {@link Unary}'s grain. */
    int grain() {
      return Math.max(1, Unary.GRAIN / Math.max(1, l * s * (e + ev)));
    }
  }

  private static Tensor run(Heads h, boolean causal, boolean packed, int[] outShape, Tensor q, Tensor k, Tensor v) {
    long t0 = OpTrace.start();
    float scale = (float) (1 / Math.sqrt(h.e));
    float[] qa = q.array(), ka = k.array(), va = v.array();
    int qo = q.offset, ko = k.offset, vo = v.offset;
    int ps = Sdpa.rowStride(h.s);
    float[] p = new float[h.count * h.l * ps];
    float[] out = new float[h.count * h.l * h.ev];
    Parallel.forRange(h.count, h.grain(), (from, to) -> {
      float[] scratch = new float[h.e * ps];
      for (int i = from; i < to; i++) {
        Sdpa.forward(h.l, h.s, h.e, h.ev, scale, causal, qa, qo + h.q(i), h.qs, ka, ko + h.k(i), h.ks,
            va, vo + h.v(i), h.vs, p, i * h.l * ps, out, h.o(i), h.os, scratch);
      }
    });
    double pairs = (double) h.count * h.pairs(causal);
    OpTrace.stop("attention", t0, 2 * pairs * (h.e + h.ev), 4.0 * (q.size + (packed ? 0 : k.size + v.size) + out.length));
    Tensor y = Tensor.wrap(out, outShape);
    if (!(packed ? Autograd.recording(q) : Autograd.recording(q, k, v))) {
      return y;
    }
    Node node = new Node("attention", outShape, packed ? new Tensor[] {q} : new Tensor[] {q, k, v}) {
      void backward(float[] g, Grads grads) {
        Tensor sq = saved(0), sk = saved(packed ? 0 : 1), sv = saved(packed ? 0 : 2);
        float[] dq, dk, dv;
        if (packed) {
          dq = dk = dv = new float[sq.size];
        } else {
          dq = grads.needs(0) ? new float[sq.size] : null;
          dk = grads.needs(1) ? new float[sk.size] : null;
          dv = grads.needs(2) ? new float[sv.size] : null;
        }
        float[] sqa = sq.array(), ska = sk.array(), sva = sv.array();
        int sqo = sq.offset, sko = sk.offset, svo = sv.offset;
        Parallel.forRange(h.count, h.grain(), (from, to) -> {
          float[] ds = new float[h.l * ps];
          float[] scratch = new float[h.ev * ps];
          for (int i = from; i < to; i++) {
            Sdpa.backward(h.l, h.s, h.e, h.ev, scale, causal, sqa, sqo + h.q(i), h.qs, ska, sko + h.k(i), h.ks,
                sva, svo + h.v(i), h.vs, p, i * h.l * ps, g, h.o(i), h.os, ds, scratch,
                dq, h.q(i), h.qs, dk, h.k(i), h.ks, dv, h.v(i), h.vs);
          }
        });
        if (packed) {
          grads.add(0, dq);
        } else {
          if (dq != null) grads.add(0, dq);
          if (dk != null) grads.add(1, dk);
          if (dv != null) grads.add(2, dv);
        }
      }
    };
    if (packed) {
      node.save(q);
    } else {
      node.save(q, k, v);
    }
    node.cost(4 * pairs * (h.e + h.ev), 8.0 * (q.size + (packed ? 0 : k.size + v.size) + out.length));
    return y.madeBy(node);
  }
}
