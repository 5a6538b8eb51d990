package dev.downhill.nn;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;

/**
 * A lookup table, like {@code torch.nn.Embedding(num, dim)}: {@code forward(indices)} takes a tensor
 * of whole numbers in [0, num) of any shape and returns the rows, shape {@code indices.shape + [dim]}.
 * The weight [num, dim] starts standard normal (PyTorch's default) from the seeded generator.
 */
public final class Embedding extends Module {
  public final Tensor weight;
  private final int num;
  private final int dim;

  public Embedding(int num, int dim, Generator gen) {
    if (num < 1 || dim < 1) {
      throw new IllegalArgumentException("Embedding: num and dim must be at least 1, got num=" + num + " dim=" + dim);
    }
    this.num = num;
    this.dim = dim;
    this.weight = registerParameter("weight", Parameter.of(Tensor.randn(gen, num, dim)));
  }

  @Override
  public Tensor forward(Tensor indices) {
    return weight.embedding(indices);
  }

  @Override
  protected String extraRepr() {
    return num + ", " + dim;
  }
}
