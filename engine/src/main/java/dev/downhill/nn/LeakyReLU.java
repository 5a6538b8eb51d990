package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** x where x > 0, else negativeSlope·x, like {@code torch.nn.LeakyReLU} (default slope 0.01); any shape. */
public final class LeakyReLU extends Module {
  private final float negativeSlope;

  public LeakyReLU() {
    this(0.01f);
  }

  public LeakyReLU(float negativeSlope) {
    this.negativeSlope = negativeSlope;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.leakyRelu(negativeSlope);
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + PyRepr.of(negativeSlope);
  }
}
