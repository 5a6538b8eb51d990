package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/**
 * Makes module parameters, like {@code torch.nn.Parameter}. The engine's {@link Tensor} is final, so
 * a parameter is simply a leaf tensor that requires grad; {@link Module#registerParameter} gives it
 * its name.
 */
public final class Parameter {
  private Parameter() {}

  /** A new leaf sharing {@code data}'s storage, with requiresGrad set (as {@code nn.Parameter(data)}). */
  public static Tensor of(Tensor data) {
    return data.detach().requiresGrad(true);
  }
}
