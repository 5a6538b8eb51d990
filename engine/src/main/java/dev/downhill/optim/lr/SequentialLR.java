package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;
import dev.downhill.optim.ParamGroup;
import java.util.Arrays;
import java.util.List;

/**
 * Runs schedules one after another, switching at the {@code milestones} (epoch counts), like
 * {@code SequentialLR}: say a {@link LinearLR} warm-up for 5 epochs, then {@link CosineAnnealingLR}.
 * A schedule that takes over starts from its epoch 0 (PyTorch calls its {@code step(0)}).
 *
 * <pre>{@code
 * var warm = new LinearLR(opt, 0.1, 1.0, 5);
 * var cos = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warm, cos), 5);
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
  private final LRScheduler[] schedulers;
  private final int[] milestones;

  public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int... milestones) {
    super(optimizer);
    for (int i = 0; i < schedulers.size(); i++) {
      if (schedulers.get(i).optimizer() != optimizer) {
        throw new IllegalArgumentException("SequentialLR: scheduler " + i + " belongs to another optimizer");
      }
    }
    if (milestones.length != schedulers.size() - 1) {
      throw new IllegalArgumentException("SequentialLR: expected " + (schedulers.size() - 1) + " milestones for "
          + schedulers.size() + " schedulers, got " + Arrays.toString(milestones));
    }
    this.schedulers = schedulers.toArray(new LRScheduler[0]);
    this.milestones = milestones.clone();
    lastEpoch = 0;
    for (ParamGroup g : optimizer.paramGroups()) {
      g.setLr(g.getDouble("initialLr"));
    }
    for (LRScheduler s : this.schedulers) {
      s.shiftEpoch(-1);
    }
    this.schedulers[0].initialStep();
  }

  @Override
  public void step() {
    lastEpoch++;
    int idx = bisectRight(milestones, lastEpoch);
    LRScheduler s = schedulers[idx];
    if (idx > 0 && milestones[idx - 1] == lastEpoch) {
      s.step(0);
    } else {
      s.step();
    }
  }

  @Override
  public void step(int epoch) {
    throw new UnsupportedOperationException("SequentialLR: step(epoch) is not supported; call step()");
  }

  @Override
  public double[] lastLr() {
    return perGroup(i -> groupLr(i));
  }

  @Override
  protected double[] computeLr() {
    throw new AssertionError("SequentialLR delegates to its schedulers");
  }

  private static int bisectRight(int[] a, int x) {
    int i = 0;
    while (i < a.length && a[i] <= x) {
      i++;
    }
    return i;
  }
}
