package dev.downhill.loss;

import dev.downhill.autograd.Tensor;

/**
 * The keyword arguments of {@code torch.nn.functional.cross_entropy} and {@code nll_loss}, immutable,
 * with PyTorch's defaults: no class weights, {@code ignoreIndex = -100}, {@code labelSmoothing = 0},
 * {@link Reduction#MEAN}.
 *
 * <pre>{@code
 * Loss.crossEntropy(logits, labels, CrossEntropyOptions.defaults().labelSmoothing(0.1f).ignoreIndex(0));
 * }</pre>
 */
public final class CrossEntropyOptions {
  private static final CrossEntropyOptions DEFAULTS = new CrossEntropyOptions(null, -100, 0f, Reduction.MEAN);

  final Tensor weight;
  final int ignoreIndex;
  final float labelSmoothing;
  final Reduction reduction;

  private CrossEntropyOptions(Tensor weight, int ignoreIndex, float labelSmoothing, Reduction reduction) {
    this.weight = weight;
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
    this.reduction = reduction;
  }

  /** PyTorch's defaults. */
  public static CrossEntropyOptions defaults() {
    return DEFAULTS;
  }

  /** A weight per class, shape [C] (rescales each class's loss; receives no gradient); null for none. */
  public CrossEntropyOptions weight(Tensor weight) {
    return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
  }

  /** A target class index whose samples contribute neither loss nor gradient (default −100). */
  public CrossEntropyOptions ignoreIndex(int ignoreIndex) {
    return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
  }

  /**
   * Label smoothing ε in [0, 1]: the target becomes {@code (1−ε)·target + ε/C}. Cross-entropy only.
   *
   * @throws IllegalArgumentException for a value outside [0, 1] or NaN, naming it
   */
  public CrossEntropyOptions labelSmoothing(float labelSmoothing) {
    if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
      throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
  }

  /** How the per-sample losses are combined (default {@link Reduction#MEAN}). */
  public CrossEntropyOptions reduction(Reduction reduction) {
    if (reduction == null) {
      throw new IllegalArgumentException("crossEntropy: reduction must not be null");
    }
    return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
  }

  @Override
  public String toString() {
    return "CrossEntropyOptions[weight=" + (weight == null ? "none" : java.util.Arrays.toString(weight.shape()))
        + ", ignoreIndex=" + ignoreIndex + ", labelSmoothing=" + labelSmoothing + ", reduction=" + reduction + "]";
  }
}
