package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam, like {@code torch.optim.Adam}: weight decay is added to the gradient (L2), the moments are
 * bias-corrected, and eps is added after the square root of the corrected second moment:
 * <pre>
 *   g = g + weightDecay·p                       (L2; AdamW decouples it instead)
 *   m = beta1·m + (1 − beta1)·g      v = beta2·v + (1 − beta2)·g²
 *   vmax = max(vmax, v) and v := vmax            if amsgrad
 *   p = p − lr/(1 − beta1^t) · m / (√v / √(1 − beta2^t) + eps)
 * </pre>
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0, no amsgrad, minimize. State per
 * parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad).
 */
public final class Adam extends AdamBase {

  /** Adam's options with PyTorch's defaults. */
  public static Options options() {
    return new Options(1e-3, 0);
  }

  /** Adam over {@code params}, one group. */
  public Adam(List<Tensor> params, Options options) {
    this(options, ParamGroup.of(params));
  }

  /** Adam over parameter groups; options a group does not set come from {@code options}. */
  public Adam(Options options, ParamGroup... groups) {
    super("Adam", false, new ArrayList<>(List.of(groups)), options);
  }
}
