package dev.downhill.nn;

import dev.downhill.autograd.GeluApproximate;
import dev.downhill.autograd.Tensor;

/** GELU elementwise, like {@code torch.nn.GELU}: exact (x·Φ(x), the default) or the tanh approximation; any shape. */
public final class GELU extends Module {
  private final GeluApproximate approximate;

  /** The exact form, PyTorch's default. */
  public GELU() {
    this(GeluApproximate.NONE);
  }

  public GELU(GeluApproximate approximate) {
    this.approximate = approximate;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.gelu(approximate);
  }

  @Override
  protected String extraRepr() {
    return "approximate='" + (approximate == GeluApproximate.NONE ? "none" : "tanh") + "'";
  }
}
