package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** Hyperbolic tangent elementwise, like {@code torch.nn.Tanh}; any shape. */
public final class Tanh extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.tanh();
  }
}
