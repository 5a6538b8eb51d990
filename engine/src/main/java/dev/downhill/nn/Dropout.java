package dev.downhill.nn;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Masks;

/**
 * Inverted dropout, like {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with
 * probability p and the survivors are scaled by 1/(1 − p), so the expected output equals the input;
 * in evaluation mode the input passes through unchanged. The mask comes from the given seeded
 * generator (PyTorch uses its global one), drawn in row-major order.
 */
public final class Dropout extends Module {
  private final double p;
  private final Generator gen;

  public Dropout(double p, Generator gen) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
    }
    this.p = p;
    this.gen = gen;
  }

  @Override
  public Tensor forward(Tensor input) {
    if (!isTraining() || p == 0) {
      return input;
    }
    int n = input.numel();
    float[] u = new float[n];
    gen.fillUniform(u);
    float[] mask = new float[n];
    Masks.dropout(u, 0, (float) p, p == 1 ? 0f : (float) (1.0 / (1.0 - p)), mask, 0, n);
    return input.mul(Tensor.of(mask, input.shape()));
  }

  @Override
  protected String extraRepr() {
    return "p=" + PyRepr.of(p) + ", inplace=False";
  }
}
