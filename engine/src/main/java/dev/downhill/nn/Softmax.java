package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** e^x / Σ e^x along {@code dim}, like {@code torch.nn.Softmax(dim)}; the shape is kept. */
public final class Softmax extends Module {
  private final int dim;

  public Softmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.softmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
