package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;

/**
 * Scales the learning rate by a factor going linearly from {@code startFactor} to {@code endFactor}
 * over {@code totalIters} epochs, then keeps it, like {@code LinearLR}: the usual linear warm-up.
 */
public final class LinearLR extends LRScheduler {
  private final double startFactor;
  private final double endFactor;
  private final int totalIters;

  /** PyTorch's defaults: startFactor 1/3, endFactor 1, totalIters 5. */
  public LinearLR(Optimizer optimizer) {
    this(optimizer, 1.0 / 3, 1.0, 5);
  }

  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
    super(optimizer);
    if (!(startFactor > 0 && startFactor <= 1)) {
      // PyTorch accepts 0 here and then divides by zero at the first step; refuse it up front.
      throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
    }
    if (!(endFactor >= 0 && endFactor <= 1)) {
      throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
    }
    if (totalIters < 1) {
      throw new IllegalArgumentException("LinearLR: totalIters must be at least 1, got " + totalIters);
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    return perGroup(i -> {
      double cur = groupLr(i);
      if (lastEpoch == 0) {
        return cur * startFactor;
      } else if (lastEpoch > totalIters) {
        return cur;
      } else {
        return cur * (1.0 + (endFactor - startFactor)
            / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
      }
    });
  }

  @Override
  protected double[] closedFormLr() {
    return perGroup(i -> baseLrs[i] * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters));
  }
}
