package dev.downhill.nn;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Elementwise;

/**
 * Parameter initialisation in place, like {@code torch.nn.init}, drawing from an explicit seeded
 * generator in row-major order. Gains, fans and bounds are computed in double exactly as PyTorch's
 * formulas do; fans need a tensor of at least 2 dimensions ([out, in, receptive field...]).
 */
public final class Init {
  private Init() {}

  /** Which fan scales Kaiming's variance: fan-in keeps the forward pass's variance, fan-out the backward's. */
  public enum FanMode { FAN_IN, FAN_OUT }

  /**
   * The recommended gain for a nonlinearity, as {@code calculate_gain}: linear, identity and sigmoid 1,
   * tanh 5/3, relu √2, leaky_relu √(2/(1 + slope²)) ({@code param} is the slope, default 0.01 when NaN),
   * selu 3/4.
   */
  public static double calculateGain(String nonlinearity, double param) {
    return switch (nonlinearity) {
      case "linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d" -> 1.0;
      case "tanh" -> 5.0 / 3;
      case "relu" -> Math.sqrt(2.0);
      case "leaky_relu" -> {
        double slope = Double.isNaN(param) ? 0.01 : param;
        yield Math.sqrt(2.0 / (1 + slope * slope));
      }
      case "selu" -> 3.0 / 4;
      default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity + "'");
    };
  }

  /** fan_in = size(1)·receptive field, as PyTorch computes it. */
  public static int fanIn(Tensor t) {
    checkFans(t);
    return t.size(1) * receptive(t);
  }

  /** fan_out = size(0)·receptive field. */
  public static int fanOut(Tensor t) {
    checkFans(t);
    return t.size(0) * receptive(t);
  }

  private static void checkFans(Tensor t) {
    if (t.dim() < 2) {
      throw new IllegalArgumentException("Init: fan in and fan out can not be computed for a tensor with fewer than 2"
          + " dimensions, got shape " + java.util.Arrays.toString(t.shape()));
    }
  }

  private static int receptive(Tensor t) {
    int r = 1;
    for (int d = 2; d < t.dim(); d++) {
      r *= t.size(d);
    }
    return r;
  }

  /** Fills with U(a, b): a + (b − a)·u. */
  public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
    float[] u = new float[t.numel()];
    gen.fillUniform(u);
    Elementwise.mulScalar(u, 0, (float) (b - a), u, 0, u.length);
    return fill(t, (arr, off, n) -> Elementwise.addScalar(u, 0, (float) a, arr, off, n));
  }

  /** Fills with N(mean, std²). */
  public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
    float[] z = new float[t.numel()];
    gen.fillNormal(z);
    Elementwise.mulScalar(z, 0, (float) std, z, 0, z.length);
    return fill(t, (arr, off, n) -> Elementwise.addScalar(z, 0, (float) mean, arr, off, n));
  }

  /** Fills with {@code value}. */
  public static Tensor constant(Tensor t, double value) {
    return fill(t, (arr, off, n) -> Elementwise.fill(arr, off, n, (float) value));
  }

  /** Writes through {@code writer} without recording a graph, as torch.nn.init's functions do. */
  private static Tensor fill(Tensor t, Tensor.RangeWriter writer) {
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      return t.updateInPlace(writer);
    }
  }

  /** Fills with zeros. */
  public static Tensor zeros(Tensor t) {
    return constant(t, 0);
  }

  /** Fills with ones. */
  public static Tensor ones(Tensor t) {
    return constant(t, 1);
  }

  /** Glorot uniform: U(−a, a), a = gain·√(6/(fan_in + fan_out)). */
  public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
    double std = gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
    double a = Math.sqrt(3.0) * std;
    return uniform(t, -a, a, gen);
  }

  /** Glorot normal: N(0, std²), std = gain·√(2/(fan_in + fan_out)). */
  public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
    double std = gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
    return normal(t, 0, std, gen);
  }

  /**
   * He uniform: U(−bound, bound), bound = √3 · gain/√fan with gain = calculateGain(nonlinearity, a).
   * {@code kaimingUniform(w, √5, FAN_IN, "leaky_relu", gen)} is Linear's default, bound 1/√fan_in.
   */
  public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
    int fan = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
    double std = calculateGain(nonlinearity, a) / Math.sqrt(fan);
    double bound = Math.sqrt(3.0) * std;
    return uniform(t, -bound, bound, gen);
  }

  /** He normal: N(0, std²), std = gain/√fan. */
  public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
    int fan = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
    return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan), gen);
  }
}
