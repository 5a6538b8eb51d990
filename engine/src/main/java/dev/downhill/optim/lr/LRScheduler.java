package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;
import dev.downhill.optim.ParamGroup;
import java.util.List;

/**
 * The base of the learning-rate schedules, like {@code torch.optim.lr_scheduler._LRScheduler}
 * (PyTorch 1.13). A schedule sets every group's {@code lr} when built (its value at epoch 0) and
 * again at each {@link #step()}; call {@code step()} once per optimizer step or once per epoch,
 * whichever unit the schedule's counts are in.
 *
 * <p>The learning rates are computed in double by PyTorch's own formulas — the recursive ("chainable")
 * form where PyTorch's {@code get_lr} uses it, so the values match PyTorch's to the last bit rather than
 * the closed form's. {@link #step(int)} jumps to an epoch with the closed form, as {@code step(epoch)}.
 * A group's first learning rate is kept in its {@code initialLr} option; the schedule's base rates
 * come from there.
 */
public abstract class LRScheduler {
  protected final Optimizer optimizer;
  protected final double[] baseLrs;
  /** The epoch (or step) count: 0 right after construction. */
  protected int lastEpoch = -1;
  /** How many times {@code step} ran, the initial step included. */
  protected int stepCount;
  private double[] lastLr;

  protected LRScheduler(Optimizer optimizer) {
    this.optimizer = optimizer;
    List<ParamGroup> groups = optimizer.paramGroups();
    baseLrs = new double[groups.size()];
    for (int i = 0; i < baseLrs.length; i++) {
      ParamGroup g = groups.get(i);
      if (!g.has("initialLr")) {
        g.set("initialLr", g.lr());
      }
      baseLrs[i] = g.getDouble("initialLr");
    }
  }

  /** Subclasses call this last in their constructor: sets the epoch-0 learning rates. */
  protected final void initialStep() {
    stepCount = 0;
    step();
  }

  /** Advances one epoch (or step) and sets the groups' learning rates. */
  public void step() {
    stepCount++;
    lastEpoch++;
    apply(computeLr());
  }

  /** Jumps to {@code epoch} and sets the closed-form learning rates there, like {@code step(epoch)}. */
  public void step(int epoch) {
    stepCount++;
    lastEpoch = epoch;
    double[] closed = closedFormLr();
    apply(closed != null ? closed : computeLr());
  }

  private void apply(double[] lrs) {
    List<ParamGroup> groups = optimizer.paramGroups();
    for (int i = 0; i < lrs.length; i++) {
      groups.get(i).setLr(lrs[i]);
    }
    lastLr = lrs.clone();
  }

  /** The learning rates for {@link #lastEpoch}, PyTorch's {@code get_lr()}. */
  protected abstract double[] computeLr();

  /** The closed-form learning rates at {@link #lastEpoch}, or null where there is none. */
  protected double[] closedFormLr() {
    return null;
  }

  /** The groups' current learning rates ({@code get_last_lr()}). */
  public double[] lastLr() {
    return lastLr.clone();
  }

  /** The epoch (or step) count. */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** The group learning rates now. */
  protected final double groupLr(int i) {
    return optimizer.paramGroups().get(i).lr();
  }

  /** {@code lr.apply(i)} for every group {@code i}: the array a schedule's formula returns. */
  protected final double[] perGroup(java.util.function.IntToDoubleFunction lr) {
    double[] out = new double[groups()];
    for (int i = 0; i < out.length; i++) {
      out[i] = lr.applyAsDouble(i);
    }
    return out;
  }

  protected final int groups() {
    return baseLrs.length;
  }

  void shiftEpoch(int by) {
    lastEpoch += by;
  }

  Optimizer optimizer() {
    return optimizer;
  }
}
