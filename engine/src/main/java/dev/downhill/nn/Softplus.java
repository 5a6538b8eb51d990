package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** log(1 + e^(beta·x))/beta elementwise (x itself where beta·x > threshold), like {@code torch.nn.Softplus} (beta 1, threshold 20); any shape. */
public final class Softplus extends Module {
  private final float beta;
  private final float threshold;

  public Softplus() {
    this(1f, 20f);
  }

  public Softplus(float beta, float threshold) {
    this.beta = beta;
    this.threshold = threshold;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.softplus(beta, threshold);
  }

  @Override
  protected String extraRepr() {
    return "beta=" + PyRepr.intOrFloat(beta) + ", threshold=" + PyRepr.intOrFloat(threshold);
  }
}
