package dev.downhill.data;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs, like
 * Keras's and DJL's early stopping: call {@link #update} once per epoch; it returns true when it is
 * time to stop. {@link #improved()} tells whether this epoch was the best so far (save a checkpoint then).
 */
public final class EarlyStopping {
  /** Whether smaller (a loss) or larger (an accuracy) values are better. */
  public enum Mode { MIN, MAX }

  private final int patience;
  private final double minDelta;
  private final Mode mode;
  private double best = Double.NaN;
  private long bestEpoch = -1;
  private int bad;
  private boolean improved;

  /**
   * @param patience epochs in a row without improvement after which to stop (≥ 1)
   * @param minDelta how much better a value must be to count as an improvement (≥ 0)
   */
  public EarlyStopping(int patience, double minDelta, Mode mode) {
    if (patience < 1 || !(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 and minDelta >= 0, got " + patience + " and " + minDelta);
    }
    this.patience = patience;
    this.minDelta = minDelta;
    this.mode = mode;
  }

  /** Patience epochs on a loss to minimise, any decrease counting. */
  public EarlyStopping(int patience) {
    this(patience, 0, Mode.MIN);
  }

  /** Records this epoch's {@code value}; true when training should stop. A NaN never improves. */
  public boolean update(long epoch, double value) {
    boolean better = !Double.isNaN(value)
        && (Double.isNaN(best) || (mode == Mode.MIN ? value < best - minDelta : value > best + minDelta));
    improved = better;
    if (better) {
      best = value;
      bestEpoch = epoch;
      bad = 0;
    } else {
      bad++;
    }
    return !better && bad >= patience;
  }

  /** Whether the last {@link #update} set a new best. */
  public boolean improved() {
    return improved;
  }

  /** The best value so far (NaN before any). */
  public double best() {
    return best;
  }

  /** The epoch of the best value (−1 before any). */
  public long bestEpoch() {
    return bestEpoch;
  }

  /** Why training stopped, for the log: {@code no improvement in valLoss for 3 epochs (best 0.123 at epoch 7)}. */
  public String reason(String metric) {
    return "no improvement in " + metric + " for " + bad + " epochs (best " + best + " at epoch " + bestEpoch + ")";
  }
}
