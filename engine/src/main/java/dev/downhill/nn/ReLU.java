package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** max(x, 0) elementwise, like {@code torch.nn.ReLU}; any shape. */
public final class ReLU extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.relu();
  }
}
