package dev.downhill.nn;

import dev.downhill.autograd.FusedAttention;
import dev.downhill.autograd.Tensor;
import java.util.Arrays;

/**
 * Attention as {@code torch.nn.functional.scaled_dot_product_attention}. Without a float mask and
 * with the same leading dimensions for q, k and v it runs as one fused op ({@link FusedAttention}:
 * the scores computed once per head, the causal mask a loop bound); otherwise, and as the fused
 * op's oracle in the tests, it is composed from differentiable tensor ops (batched matmul,
 * maskedFill, softmax), so its gradient is theirs.
 */
public final class Attention {
  private Attention() {}

  /**
   * softmax(q·kᵀ/√E + mask)·v for {@code q} of shape [..., L, E], {@code k} [..., S, E] and {@code v}
   * [..., S, Ev] (leading dimensions broadcast, e.g. [B, H, T, D]); the result is [..., L, Ev].
   *
   * @param attnMask an additive float mask broadcastable to [..., L, S] (0 to keep, −∞ to drop; a
   *     0/1 "keep" mask becomes one through {@code keep.eq(0f)} and {@link Tensor#maskedFill}), or
   *     null. PyTorch also takes boolean masks; this engine has one dtype, so a mask here is always
   *     the float kind.
   * @param isCausal position i attends to positions j ≤ i only (PyTorch's top-left aligned
   *     {@code ones(L, S).tril()}); with a mask as well, both apply (PyTorch refuses the pair).
   */
  public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
    int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
    if (qs.length < 2 || ks.length < 2 || vs.length < 2) {
      throw new IllegalArgumentException("scaledDotProductAttention: q, k and v need at least 2 dimensions, got "
          + Arrays.toString(qs) + ", " + Arrays.toString(ks) + ", " + Arrays.toString(vs));
    }
    int e = qs[qs.length - 1];
    int l = qs[qs.length - 2];
    int s = ks[ks.length - 2];
    if (ks[ks.length - 1] != e || vs[vs.length - 2] != s) {
      throw new IllegalArgumentException("scaledDotProductAttention: q " + Arrays.toString(qs) + ", k " + Arrays.toString(ks)
          + " and v " + Arrays.toString(vs) + " do not fit: need q [..., L, E], k [..., S, E], v [..., S, Ev]");
    }
    if (attnMask == null && sameLeading(qs, ks, vs)) {
      return FusedAttention.apply(q, k, v, isCausal);
    }
    return scaledDotProductAttentionMath(q, k, v, attnMask, isCausal);
  }

  /**
   * The composed form, what PyTorch calls its "math" implementation: batched matmul, maskedFill with
   * a triu mask, softmax, batched matmul, each a differentiable op. The fused op's oracle in the tests
   * and its baseline in {@code bench/}'s {@code FusedOpsBench}; the same arguments as
   * {@link #scaledDotProductAttention}, not checked again.
   */
  public static Tensor scaledDotProductAttentionMath(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
    int[] qs = q.shape(), ks = k.shape();
    int e = qs[qs.length - 1];
    int l = qs[qs.length - 2];
    int s = ks[ks.length - 2];
    Tensor scores = q.matmul(k.transpose(-2, -1)).mul((float) (1 / Math.sqrt(e)));
    if (isCausal) {
      scores = scores.maskedFill(Tensor.ones(l, s).triu(1), Float.NEGATIVE_INFINITY);
    }
    if (attnMask != null) {
      scores = scores.add(attnMask);
    }
    return scores.softmax(-1).matmul(v);
  }

  private static boolean sameLeading(int[] qs, int[] ks, int[] vs) {
    if (ks.length != qs.length || vs.length != qs.length) {
      return false;
    }
    for (int d = 0; d < qs.length - 2; d++) {
      if (ks[d] != qs[d] || vs[d] != qs[d]) {
        return false;
      }
    }
    return true;
  }
}
