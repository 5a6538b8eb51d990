package dev.downhill.data;

/** Training stopped because the loss or a gradient became NaN or infinite; the message names the step. */
public final class TrainingDivergedException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The step at which it happened. */
  public long step() {
    return step;
  }
}
