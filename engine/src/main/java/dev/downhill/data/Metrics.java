package dev.downhill.data;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import java.util.Arrays;
import java.util.List;

/** Numbers to watch while training: accuracy of class scores, the gradients' norm. */
public final class Metrics {
  private Metrics() {}

  /**
   * The fraction of rows of {@code logits} [N, C] whose largest score (the first on a tie, as
   * {@code argmax}) is at the class in {@code target} [N] (whole numbers in [0, C)); 0 for N = 0.
   */
  public static double accuracy(Tensor logits, Tensor target) {
    if (logits.dim() != 2 || target.dim() != 1 || target.size(0) != logits.size(0)) {
      throw new IllegalArgumentException("accuracy: expects logits [N, C] and class indices [N], got "
          + Arrays.toString(logits.shape()) + " and " + Arrays.toString(target.shape()));
    }
    int n = logits.size(0);
    if (n == 0) {
      return 0;
    }
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      return logits.argmax(1, false).eq(target).sum().item() / n;
    }
  }

  /**
   * The 2-norm of all gradients of {@code params} together (those without a gradient are skipped),
   * as {@code clip_grad_norm_} computes it; NaN or infinite when a gradient is.
   */
  public static double gradNorm(List<Tensor> params) {
    double sumSquares = 0;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      for (Tensor p : params) {
        Tensor g = Autograd.borrowGrad(p);
        if (g != null) {
          double n = g.norm().item();
          sumSquares += n * n;
        }
      }
    }
    return Math.sqrt(sumSquares);
  }
}
