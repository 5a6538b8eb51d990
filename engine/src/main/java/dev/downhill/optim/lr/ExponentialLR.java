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
    double[] lr = new double[groups()];
    for (int i = 0; i < lr.length; i++) {
      lr[i] = lastEpoch == 0 ? groupLr(i) : groupLr(i) * gamma;
    }
    return lr;
  }

  @Override
  protected double[] closedFormLr() {
    double[] lr = new double[groups()];
    for (int i = 0; i < lr.length; i++) {
      lr[i] = baseLrs[i] * Math.pow(gamma, lastEpoch);
    }
    return lr;
  }
}
