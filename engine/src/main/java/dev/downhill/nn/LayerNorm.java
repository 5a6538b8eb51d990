package dev.downhill.nn;

import dev.downhill.autograd.FusedLayerNorm;
import dev.downhill.autograd.Tensor;
import java.util.Arrays;

/**
 * Layer normalization over the trailing {@code normalizedShape} dimensions, like
 * {@code torch.nn.LayerNorm}: y = (x − mean) / √(var + eps) · weight + bias, with the biased variance.
 * weight starts at ones and bias at zeros (both of {@code normalizedShape}) when
 * {@code elementwiseAffine}. Composed from differentiable tensor ops, so its gradient is theirs.
 */
public final class LayerNorm extends Module {
  public final Tensor weight;
  public final Tensor bias;
  private final int[] normalizedShape;
  private final double eps;

  /** eps 1e-5 and an affine transform, PyTorch's defaults. */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, 1e-5, true);
  }

  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    if (normalizedShape.length == 0) {
      throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dimension");
    }
    int s = 1;
    for (int d : normalizedShape) {
      if (d < 1) {
        throw new IllegalArgumentException("LayerNorm: normalizedShape " + Arrays.toString(normalizedShape)
            + " has a dimension below 1");
      }
      s *= d;
    }
    this.normalizedShape = normalizedShape.clone();
    this.eps = eps;
    this.weight = elementwiseAffine ? registerParameter("weight", Parameter.of(Tensor.ones(normalizedShape))) : null;
    this.bias = elementwiseAffine ? registerParameter("bias", Parameter.of(Tensor.zeros(normalizedShape))) : null;
  }

  @Override
  public Tensor forward(Tensor input) {
    return layerNorm(input, normalizedShape, weight, bias, eps);
  }

  /**
   * The layer norm itself, like {@code F.layer_norm}: normalizes {@code input} over its trailing
   * {@code normalizedShape} dimensions, then multiplies by {@code weight} and adds {@code bias} (both
   * of {@code normalizedShape}, or both null).
   */
  public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    int[] shape = input.shape();
    int k = normalizedShape.length;
    if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
      throw new IllegalArgumentException("LayerNorm: input of shape " + Arrays.toString(shape)
          + " does not end with normalizedShape " + Arrays.toString(normalizedShape));
    }
    int size = 1;
    for (int d : normalizedShape) {
      size *= d;
    }
    if ((weight != null && weight.numel() != size) || (bias != null && bias.numel() != size)) {
      throw new IllegalArgumentException("LayerNorm: weight " + (weight == null ? "none" : Arrays.toString(weight.shape()))
          + " and bias " + (bias == null ? "none" : Arrays.toString(bias.shape())) + " must have normalizedShape "
          + Arrays.toString(normalizedShape));
    }
    return FusedLayerNorm.apply(input, size, weight, bias, (float) eps);
  }

  /**
   * The composed form (mean, sub, mul, mean, add, sqrt, div, mul, add, each a differentiable op): the
   * fused op's oracle in the tests and its baseline in {@code bench/}'s {@code FusedOpsBench}; the same
   * arguments as {@link #layerNorm}, not checked again.
   */
  public static Tensor layerNormComposed(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    int[] shape = input.shape();
    int size = 1;
    for (int d : normalizedShape) {
      size *= d;
    }
    Tensor x = input.reshape(-1, size);
    Tensor centered = x.sub(x.mean(1, true));
    Tensor var = centered.mul(centered).mean(1, true); // biased, as PyTorch
    Tensor y = centered.div(var.add((float) eps).sqrt()).reshape(shape);
    if (weight != null) {
      y = y.mul(weight);
    }
    return bias == null ? y : y.add(bias);
  }

  @Override
  protected String extraRepr() {
    return "(" + Arrays.stream(normalizedShape).mapToObj(Integer::toString).reduce((a, b) -> a + ", " + b).orElse("")
        + (normalizedShape.length == 1 ? "," : "") + "), eps=" + PyRepr.of(eps) + ", elementwise_affine=" + PyRepr.of(weight != null);
  }
}
