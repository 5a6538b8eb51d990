package dev.downhill.nn;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;

/**
 * A fully connected layer, like {@code torch.nn.Linear(in, out, bias)}: y = x·Wᵀ + b for x of shape
 * {@code [..., in]}, giving {@code [..., out]}; weight W is {@code [out, in]}, bias b is {@code [out]}.
 * Runs as one fused {@link Tensor#linear} (SGEMM with the bias in its epilogue).
 *
 * <p>Initialisation is PyTorch's default, from the seeded generator: the weight by
 * {@code kaiming_uniform_(a = √5)}, i.e. U(−bound, bound) with bound = √3·√(2/(1+5))/√in = 1/√in
 * (computed by that formula, as PyTorch does), then the bias U(−1/√in, 1/√in).
 */
public final class Linear extends Module {
  public final Tensor weight;
  public final Tensor bias;
  private final int in;
  private final int out;

  /** With a bias. */
  public Linear(int in, int out, Generator gen) {
    this(in, out, true, gen);
  }

  public Linear(int in, int out, boolean bias, Generator gen) {
    if (in < 0 || out < 0) {
      throw new IllegalArgumentException("Linear: in and out must be non-negative, got in=" + in + " out=" + out);
    }
    this.in = in;
    this.out = out;
    Tensor w = Tensor.zeros(out, in);
    Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
    this.weight = registerParameter("weight", Parameter.of(w));
    if (bias) {
      double bound = in > 0 ? 1 / Math.sqrt(in) : 0;
      this.bias = registerParameter("bias", Parameter.of(Init.uniform(Tensor.zeros(out), -bound, bound, gen)));
    } else {
      this.bias = null;
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    if (input.dim() == 0 || input.size(-1) != in) {
      throw new IllegalArgumentException("Linear: input of shape " + java.util.Arrays.toString(input.shape())
          + " does not end with in_features=" + in);
    }
    return input.linear(weight, bias);
  }

  @Override
  protected String extraRepr() {
    return "in_features=" + in + ", out_features=" + out + ", bias=" + PyRepr.of(bias != null);
  }
}
