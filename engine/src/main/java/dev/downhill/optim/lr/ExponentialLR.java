package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;

/** Multiplies the learning rate by {@code gamma} every epoch, like {@code ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
  private final double gamma;

  public ExponentialLR(Optimizer optimizer, double gamma) {
    super(optimizer);
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    return perGroup(i -> lastEpoch == 0 ? groupLr(i) : groupLr(i) * gamma);
  }

  @Override
  protected double[] closedFormLr() {
    return perGroup(i -> baseLrs[i] * Math.pow(gamma, lastEpoch));
  }
}
