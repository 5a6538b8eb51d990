package dev.downhill.nn;

import dev.downhill.autograd.FusedAttention;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.util.Arrays;

/**
 * Multi-head causal self-attention as in GPT-2 (and nanoGPT's {@code CausalSelfAttention}): one
 * linear layer computes queries, keys and values for all heads ({@code c_attn}, [3·C, C]), each head
 * attends to the positions before it ({@link Attention#scaledDotProductAttention} with
 * {@code isCausal}), and a linear layer projects the joined heads back ({@code c_proj}, [C, C]),
 * followed by dropout. Input and output are [B, T, C]. The parameter names ({@code c_attn.weight},
 * {@code c_attn.bias}, {@code c_proj.weight}, {@code c_proj.bias}) are nanoGPT's, so a state dict
 * moves between the two.
 */
public final class CausalSelfAttention extends Module {
  public final Linear cAttn;
  public final Linear cProj;
  private final Dropout residDropout;
  private final int nEmbd;
  private final int nHead;

  /** {@code nEmbd} channels split into {@code nHead} heads; dropout {@code dropout} after the projection. */
  public CausalSelfAttention(int nEmbd, int nHead, double dropout, Generator gen) {
    if (nHead < 1 || nEmbd % nHead != 0) {
      throw new IllegalArgumentException("CausalSelfAttention: nEmbd " + nEmbd + " must be a positive multiple of nHead "
          + nHead);
    }
    this.nEmbd = nEmbd;
    this.nHead = nHead;
    this.cAttn = registerModule("c_attn", new Linear(nEmbd, 3 * nEmbd, gen));
    this.cProj = registerModule("c_proj", new Linear(nEmbd, nEmbd, gen));
    this.residDropout = registerModule("resid_dropout", new Dropout(dropout, gen));
  }

  @Override
  public Tensor forward(Tensor x) {
    int[] s = x.shape();
    if (s.length != 3 || s[2] != nEmbd) {
      throw new IllegalArgumentException("CausalSelfAttention: input must be [B, T, " + nEmbd + "], got " + Arrays.toString(s));
    }
    // The heads are read straight out of the packed [B, T, 3·C] projection and written joined, [B, T, C]:
    // what split, view(B, T, H, D).transpose(1, 2), causal attention and transpose(1, 2).reshape(B, T, C)
    // compute, without the copies (in tiny-gpt those views and copies took a third of the step).
    Tensor y = FusedAttention.packed(cAttn.forward(x), nHead, true);
    return residDropout.forward(cProj.forward(y));
  }

  @Override
  protected String extraRepr() {
    return "n_embd=" + nEmbd + ", n_head=" + nHead;
  }
}
