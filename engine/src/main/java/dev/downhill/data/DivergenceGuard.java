package dev.downhill.data;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import java.util.Map;

/**
 * Stops training with a clear message when it diverges, like DJL's divergence check: call
 * {@link #checkLoss} after the forward pass and {@link #checkGradients} after {@code backward()}
 * (before the optimizer step, so the parameters stay finite). Both throw a
 * {@link TrainingDivergedException} naming the step, and for a gradient the parameter:
 * {@code training diverged at step 17: the gradient of layers.0.weight is NaN}.
 */
public final class DivergenceGuard {
  /** Throws if {@code loss} is NaN or infinite. */
  public void checkLoss(long step, double loss) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDivergedException(step, "training diverged at step " + step + ": the loss is " + loss
          + " (try a smaller learning rate, or Autograd.detectAnomaly() to find the op)");
    }
  }

  /** Throws if the 0-d {@code loss} is NaN or infinite. */
  public void checkLoss(long step, Tensor loss) {
    checkLoss(step, loss.item());
  }

  /**
   * Throws if any gradient of {@code params} (by name, as {@code model.namedParameters()}) holds a NaN
   * or an infinity, naming the first such parameter in order.
   */
  public void checkGradients(long step, Map<String, Tensor> params) {
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        Tensor g = Autograd.borrowGrad(e.getValue());
        if (g == null) {
          continue;
        }
        float s = g.abs().sum().item(); // NaN if any element is, infinite if any is (or if the sum overflows)
        if (!Float.isFinite(s)) {
          String what = g.ne(g).sum().item() > 0 ? "NaN" : g.abs().max().item() == Float.POSITIVE_INFINITY ? "infinite" : null;
          if (what != null) {
            throw new TrainingDivergedException(step, "training diverged at step " + step + ": the gradient of " + e.getKey()
                + " is " + what + " (in some element)");
          }
        }
      }
    }
  }
}
