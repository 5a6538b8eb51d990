package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** 1/(1 + e^−x) elementwise, like {@code torch.nn.Sigmoid}; any shape. */
public final class Sigmoid extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.sigmoid();
  }
}
