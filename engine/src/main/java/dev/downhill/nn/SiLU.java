package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** x·sigmoid(x) elementwise, like {@code torch.nn.SiLU}; any shape. */
public final class SiLU extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.silu();
  }
}
