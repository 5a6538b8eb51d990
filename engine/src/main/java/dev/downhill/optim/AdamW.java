package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW, like {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay — the parameter is
 * multiplied by 1 − lr·weightDecay before the step, and the gradient is left alone:
 * <pre>
 *   p = p·(1 − lr·weightDecay)
 *   m = beta1·m + (1 − beta1)·g      v = beta2·v + (1 − beta2)·g²
 *   p = p − lr/(1 − beta1^t) · m / (√v / √(1 − beta2^t) + eps)
 * </pre>
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0.01, no amsgrad, minimize.
 */
public final class AdamW extends AdamBase {

  /** AdamW's options with PyTorch's defaults (weightDecay 0.01). */
  public static Options options() {
    return new Options(1e-3, 1e-2);
  }

  /** AdamW over {@code params}, one group. */
  public AdamW(List<Tensor> params, Options options) {
    this(options, ParamGroup.of(params));
  }

  /** AdamW over parameter groups; options a group does not set come from {@code options}. */
  public AdamW(Options options, ParamGroup... groups) {
    super("AdamW", true, new ArrayList<>(List.of(groups)), options);
  }
}
