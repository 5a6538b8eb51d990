package dev.downhill.data;

import dev.downhill.autograd.Tensor;

/**
 * The mean of values seen so far, each weighted by its count: add a batch's mean loss with the batch
 * size, and {@link #mean()} is the epoch's mean loss per sample (summed in double).
 */
public final class RunningMean {
  private double sum;
  private long count;

  /** Adds {@code value} (a mean over {@code count} samples). */
  public RunningMean add(double value, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("RunningMean: count must be >= 0, got " + count);
    }
    sum += value * count;
    this.count += count;
    return this;
  }

  /** Adds a 0-d tensor's value (a batch's mean loss) over {@code count} samples. */
  public RunningMean add(Tensor value, long count) {
    return add(value.item(), count);
  }

  /** The weighted mean so far; NaN before anything was added. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The total count. */
  public long count() {
    return count;
  }

  /** Starts over (at the start of an epoch). */
  public void reset() {
    sum = 0;
    count = 0;
  }
}
