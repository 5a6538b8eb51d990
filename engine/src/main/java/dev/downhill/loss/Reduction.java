package dev.downhill.loss;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
  /** The mean (for weighted class-index cross-entropy and NLL: divided by the weights of the targets). The default. */
  MEAN,
  /** The sum. */
  SUM,
  /** No reduction: one loss per element (per sample for cross-entropy and NLL). */
  NONE
}
