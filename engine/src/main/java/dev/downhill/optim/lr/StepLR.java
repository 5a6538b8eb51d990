package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, like {@code StepLR}. */
public final class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /** {@code gamma} 0.1 as PyTorch's default. */
  public StepLR(Optimizer optimizer, int stepSize) {
    this(optimizer, stepSize, 0.1);
  }

  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize < 1) {
      throw new IllegalArgumentException("StepLR: stepSize must be at least 1, got " + stepSize);
    }
    this.stepSize = stepSize;
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    return perGroup(i -> lastEpoch == 0 || lastEpoch % stepSize != 0 ? groupLr(i) : groupLr(i) * gamma);
  }

  @Override
  protected double[] closedFormLr() {
    return perGroup(i -> baseLrs[i] * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize)));
  }
}
