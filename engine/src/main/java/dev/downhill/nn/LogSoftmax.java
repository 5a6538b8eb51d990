package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** x − log Σ e^x along {@code dim}, like {@code torch.nn.LogSoftmax(dim)}; the shape is kept. */
public final class LogSoftmax extends Module {
  private final int dim;

  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.logSoftmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
