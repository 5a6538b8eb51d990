package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** A skip connection: {@code x + f(x)}, where f keeps the shape (a transformer block's sub-layers). */
public final class Residual extends Module {
  private final Module f;

  public Residual(Module f) {
    this.f = registerModule("f", f);
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor fx = f.forward(input);
    if (!java.util.Arrays.equals(fx.shape(), input.shape())) {
      throw new IllegalArgumentException("Residual: the wrapped module maps shape " + java.util.Arrays.toString(input.shape())
          + " to " + java.util.Arrays.toString(fx.shape()) + "; x + f(x) needs the same shape");
    }
    return input.add(fx);
  }
}
