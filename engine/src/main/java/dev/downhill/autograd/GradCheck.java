package dev.downhill.autograd;

import java.util.Arrays;

/**
 * Checks autograd against finite differences, like {@code torch.autograd.gradcheck}: for a function
 * of tensors it compares the gradient backward computes with central differences of the function.
 *
 * <pre>{@code
 * GradCheck.assertGradients(xs -> xs[0].mul(xs[1]).exp().sum(), a, b);
 * }</pre>
 *
 * <h2>What is compared</h2>
 * The function's output y (any shape) is projected on a fixed random direction v (uniform in
 * [−1, 1], seeded): L(x) = Σ v·y. Autograd gives ∂L/∂x in one {@code y.backward(v)}; the check then
 * perturbs each input element x_j alone and estimates ∂L/∂x_j numerically. A wrong backward for any
 * output element shows up in L for almost every v.
 *
 * <h2>Why the tolerance is what it is (float32)</h2>
 * The function runs in float32, so L carries rounding noise of about u·Σ|v·y| (u = 2⁻²⁴) per
 * evaluation, and a difference quotient with step h divides that noise by h. Small steps drown in
 * noise; large steps pick up curvature. The check therefore:
 * <ul>
 *   <li>sums L in double, so only the function's own float rounding is noise;</li>
 *   <li>takes a large step, h = 2⁻⁶·max(1, |x_j|), and cancels its O(h²) error by Richardson
 *       extrapolation, D = (4·D(h/2) − D(h))/3, leaving O(h⁴);</li>
 *   <li>divides by the step actually taken (the float difference of the perturbed values);</li>
 *   <li>accepts |analytic − numeric| ≤ atol + rtol·|numeric| + noise, where noise =
 *       {@value #NOISE_FACTOR}·u·max Σ|v·y| / h is the rounding bound above with room for the
 *       function's own error growth. Defaults: atol = 1e-3, rtol = 1e-2 (float32 keeps about 7
 *       digits; a difference quotient keeps about half).</li>
 * </ul>
 * Inputs must sit farther than 2h from any kink (|x| at 0, a max tie, a clamp bound): there a
 * difference quotient measures the average of two slopes, not a derivative. The jqwik arbitraries
 * in {@code dev.downhill.testing} draw such inputs.
 */
public final class GradCheck {
  /** Multiplies u·Σ|v·y|/h in the noise term: allows the function's float error to grow 64-fold. */
  static final double NOISE_FACTOR = 64;

  private static final double U = 0x1.0p-24;
  private static final double STEP = 0x1.0p-6;

  private final double atol;
  private final double rtol;
  private final long seed;

  private GradCheck(double atol, double rtol, long seed) {
    this.atol = atol;
    this.rtol = rtol;
    this.seed = seed;
  }

  /** atol = 1e-3, rtol = 1e-2, direction seed 0. */
  public static GradCheck defaults() {
    return new GradCheck(1e-3, 1e-2, 0);
  }

  /** The same check with other absolute and relative tolerances. */
  public GradCheck tolerance(double atol, double rtol) {
    return new GradCheck(atol, rtol, seed);
  }

  /** The same check with another seed for the random direction v. */
  public GradCheck seed(long seed) {
    return new GradCheck(atol, rtol, seed);
  }

  /** A function of tensors: what is differentiated. It must be deterministic. */
  @FunctionalInterface
  public interface TensorFunction {
    Tensor apply(Tensor... inputs);
  }

  /** Checks with the default tolerances and throws an {@link AssertionError} describing the worst element on failure. */
  public static void assertGradients(TensorFunction f, Tensor... inputs) {
    Result r = defaults().check(f, inputs);
    if (!r.passed()) {
      throw new AssertionError(r.describe());
    }
  }

  /**
   * Compares autograd with finite differences for every element of every input. Inputs are copied
   * into fresh leaves; the originals are not touched.
   */
  public Result check(TensorFunction f, Tensor... inputs) {
    Tensor[] xs = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      xs[i] = inputs[i].copy().requiresGrad(true);
    }
    Tensor y = f.apply(xs);
    float[] v = new float[y.size];
    Generator gen = new Generator(seed);
    for (int k = 0; k < v.length; k++) {
      v[k] = 2f * gen.nextFloat() - 1f;
    }
    if (y.requiresGrad) {
      y.backward(Tensor.wrap(v, y.shape.clone()));
    }

    Result worst = new Result(true, -1, new int[0], 0, 0, 0, 0);
    for (int i = 0; i < xs.length; i++) {
      Tensor x = xs[i];
      float[] analytic = x.borrowGrad() == null ? new float[x.size] : x.borrowGrad().toArray();
      float[] data = x.array();
      for (int j = 0; j < x.size; j++) {
        float x0 = data[x.offset + j];
        double h = STEP * Math.max(1.0, Math.abs(x0));
        double[] d1 = quotient(f, xs, data, x.offset + j, x0, h, v);
        double[] d2 = quotient(f, xs, data, x.offset + j, x0, h / 2, v);
        double numeric = (4 * d2[0] - d1[0]) / 3;
        double noise = NOISE_FACTOR * U * Math.max(d1[1], d2[1]) / (h / 2);
        double tol = atol + rtol * Math.abs(numeric) + noise;
        double err = Math.abs(analytic[j] - numeric);
        double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
        if (excess > worst.excess()) {
          worst = new Result(excess <= 1, i, Shapes.unflatten(j, x.shape), analytic[j], numeric, tol, excess);
        }
      }
    }
    return worst;
  }

  /** {central difference of L at x_j with step h, largest Σ|v·y| seen}; restores x_j. */
  private static double[] quotient(TensorFunction f, Tensor[] xs, float[] data, int at, float x0, double h, float[] v) {
    float plus = (float) (x0 + h);
    float minus = (float) (x0 - h);
    double[] lp = projected(f, xs, data, at, plus, v);
    double[] lm = projected(f, xs, data, at, minus, v);
    data[at] = x0;
    return new double[] {(lp[0] - lm[0]) / ((double) plus - minus), Math.max(lp[1], lm[1])};
  }

  /** {Σ v·f(x), Σ |v·f(x)|} in double, with x_j set to {@code value}. */
  private static double[] projected(TensorFunction f, Tensor[] xs, float[] data, int at, float value, float[] v) {
    data[at] = value;
    Tensor y;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      y = f.apply(xs);
    }
    float[] out = y.toArray();
    double sum = 0;
    double abs = 0;
    for (int k = 0; k < out.length; k++) {
      sum += (double) v[k] * out[k];
      abs += Math.abs((double) v[k] * out[k]);
    }
    return new double[] {sum, abs};
  }

  /**
   * The outcome: the element whose error is the largest share of its tolerance.
   *
   * @param passed    whether every element was within tolerance
   * @param input     which input holds the worst element (−1 when no input has an element)
   * @param index     its index in that input
   * @param analytic  the gradient backward computed there
   * @param numeric   the finite-difference estimate there
   * @param tolerance the allowed |analytic − numeric| there
   * @param excess    |analytic − numeric| / tolerance (≤ 1 passes)
   */
  public record Result(boolean passed, int input, int[] index, double analytic, double numeric, double tolerance,
      double excess) {
    /** One line naming the worst element, both values and the tolerance. */
    public String describe() {
      if (input < 0) {
        return "gradcheck: no elements to check";
      }
      return String.format(java.util.Locale.ROOT, "gradcheck %s: worst element is input %d at %s: analytic %.6g, numeric %.6g, |diff| %.3g"
              + " vs tolerance %.3g", passed ? "passed" : "FAILED", input, Arrays.toString(index), analytic, numeric,
          Math.abs(analytic - numeric), tolerance);
    }
  }
}
