package dev.downhill.nn;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Elementwise;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping, like {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. */
public final class Utils {
  private Utils() {}

  /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm, not erroring on a non-finite norm. */
  public static float clipGradNorm(List<Tensor> params, double maxNorm) {
    return clipGradNorm(params, maxNorm, 2.0, false);
  }

  /**
   * Scales the gradients of {@code params} in place so that their total norm is at most
   * {@code maxNorm}, exactly as {@code torch.nn.utils.clip_grad_norm_}: the total norm is the
   * {@code normType}-norm of the per-parameter gradient norms (max |g| for
   * {@code Double.POSITIVE_INFINITY}), the coefficient maxNorm / (total + 1e-6) is clamped to 1 and
   * always applied (so a NaN norm spreads NaN into every gradient unless {@code errorIfNonfinite}).
   * Parameters without a gradient are left out. Everything is computed in float32, as PyTorch does
   * for float32 gradients; each norm is one sequential reduction, whatever the thread count.
   *
   * @return the total norm before clipping (0 when no parameter has a gradient)
   * @throws IllegalArgumentException for a normType below 1 (other than infinity), or a maxNorm
   *     that is negative or NaN (PyTorch accepts both and scales every gradient by a negative or
   *     NaN factor)
   * @throws IllegalStateException if {@code errorIfNonfinite} and the total norm is NaN or infinite
   */
  public static float clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
    boolean inf = normType == Double.POSITIVE_INFINITY;
    if (!inf && !(normType >= 1)) {
      throw new IllegalArgumentException("clipGradNorm: normType must be at least 1 or infinite, got " + normType);
    }
    if (!(maxNorm >= 0)) {
      throw new IllegalArgumentException("clipGradNorm: maxNorm must be 0 or more, got " + maxNorm
          + " (a negative or NaN maxNorm would flip or poison every gradient)");
    }
    List<Tensor> grads = new ArrayList<>();
    for (Tensor p : params) {
      Tensor g = Autograd.borrowGrad(p);
      if (g != null) {
        grads.add(g);
      }
    }
    if (grads.isEmpty()) {
      return 0f;
    }
    float total;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      float[] norms = new float[grads.size()];
      for (int i = 0; i < norms.length; i++) {
        norms[i] = (inf ? grads.get(i).abs().max() : grads.get(i).norm((float) normType)).item();
      }
      Tensor all = Tensor.of(norms);
      total = (inf ? all.abs().max() : all.norm((float) normType)).item();
      if (errorIfNonfinite && !Float.isFinite(total)) {
        throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " for gradients from"
            + " the parameters is non-finite (" + total + "), so it cannot be clipped; pass errorIfNonfinite = false"
            + " to clip anyway");
      }
      float coef = Math.min((float) maxNorm / (total + 1e-6f), 1f);
      for (Tensor g : grads) {
        g.mulInPlace(coef);
      }
    }
    return total;
  }

  /**
   * Clamps every gradient of {@code params} to [−clipValue, clipValue] in place, like
   * {@code torch.nn.utils.clip_grad_value_}. Parameters without a gradient are skipped.
   */
  public static void clipGradValue(List<Tensor> params, double clipValue) {
    if (Double.isNaN(clipValue)) {
      throw new IllegalArgumentException("clipGradValue: clipValue is NaN");
    }
    float hi = (float) clipValue;
    for (Tensor p : params) {
      Tensor g = Autograd.borrowGrad(p);
      if (g != null) {
        g.updateInPlace((a, o, n) -> Elementwise.clamp(a, o, -hi, hi, a, o, n));
      }
    }
  }
}
