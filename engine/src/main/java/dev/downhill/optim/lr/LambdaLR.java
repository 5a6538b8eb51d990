package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/** Learning rate = base rate × {@code lambda(epoch)}, one function for all groups or one per group, like {@code LambdaLR}. */
public final class LambdaLR extends LRScheduler {
  private final IntToDoubleFunction[] lambdas;

  /** The same factor function for every group. */
  public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
    this(optimizer, java.util.Collections.nCopies(optimizer.paramGroups().size(), lambda));
  }

  /** One factor function per group. */
  public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lambdas) {
    super(optimizer);
    if (lambdas.size() != optimizer.paramGroups().size()) {
      throw new IllegalArgumentException("LambdaLR: expected " + optimizer.paramGroups().size() + " lambdas, got "
          + lambdas.size());
    }
    this.lambdas = lambdas.toArray(new IntToDoubleFunction[0]);
    initialStep();
  }

  @Override
  protected double[] computeLr() {
    return perGroup(i -> baseLrs[i] * lambdas[i].applyAsDouble(lastEpoch));
  }
}
