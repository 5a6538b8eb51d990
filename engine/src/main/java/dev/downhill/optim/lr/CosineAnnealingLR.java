package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs, like
 * {@code CosineAnnealingLR}: closed form η = etaMin + (base − etaMin)(1 + cos(π·t/tMax))/2, computed
 * as PyTorch does by the recursive form, which keeps going (back up) after tMax.
 */
public final class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /** {@code etaMin} 0 as PyTorch's default. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax) {
    this(optimizer, tMax, 0.0);
  }

  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax < 1) {
      throw new IllegalArgumentException("CosineAnnealingLR: tMax must be at least 1, got " + tMax);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    return perGroup(i -> {
      double cur = groupLr(i);
      if (lastEpoch == 0) {
        return cur;
      } else if (stepCount == 1 && lastEpoch > 0) {
        return etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
      } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
        return cur + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
      } else {
        return (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
            * (cur - etaMin) + etaMin;
      }
    });
  }

  @Override
  protected double[] closedFormLr() {
    return perGroup(i -> etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2);
  }
}
