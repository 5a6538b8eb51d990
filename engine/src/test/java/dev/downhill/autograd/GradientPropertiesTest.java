package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.broadcastPair;
import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensors;
import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static dev.downhill.testing.TensorArbitraries.valuesAwayFrom;

import dev.downhill.autograd.GradCheck.TensorFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Every differentiable op passes {@link GradCheck} on drawn shapes and values. Inputs stay away from
 * kinks (|x| near 0, ties, clamp bounds) where a derivative does not exist.
 */
class GradientPropertiesTest {
  private static final int TRIES = 60;

  private static void check(TensorFunction f, Tensor... xs) {
    GradCheck.assertGradients(f, xs);
  }

  // ---------------------------------------------------------------- arbitraries

  @Provide
  Arbitrary<Tensor> any() {
    return tensors(shapes(3, 9), values(-3, 3));
  }

  @Provide
  Arbitrary<Tensor> positive() {
    return tensors(shapes(3, 9), values(0.2f, 4));
  }

  @Provide
  Arbitrary<Tensor> awayFromZero() {
    return tensors(shapes(3, 9), valuesAwayFrom(-3, 3, 0));
  }

  @Provide
  Arbitrary<Tensor> matrix() {
    return tensors(shapes(2, 2, 9), values(-3, 3));
  }

  @Provide
  Arbitrary<Tensor> rank3() {
    return tensors(shapes(3, 3, 6), values(-3, 3));
  }

  /** Two tensors whose shapes broadcast together. */
  @Provide
  Arbitrary<Tensor[]> broadcasting() {
    return broadcastPair(3, 6).flatMap(p -> Combinators.combine(tensorsOfShape(p[0], values(-3, 3)),
        tensorsOfShape(p[1], values(-3, 3))).as((a, b) -> new Tensor[] {a, b}));
  }

  /** Like {@link #broadcasting()}, the second operand kept away from 0 (a divisor). */
  @Provide
  Arbitrary<Tensor[]> broadcastingDivisor() {
    return broadcastPair(3, 6).flatMap(p -> Combinators.combine(tensorsOfShape(p[0], values(-3, 3)),
        tensorsOfShape(p[1], valuesAwayFrom(-3, 3, 0).filter(x -> Math.abs(x) > 0.5f)))
        .as((a, b) -> new Tensor[] {a, b}));
  }

  /**
   * Distinct values in [−3, 3) for max/min, shuffled into a drawn shape of at most 64 elements: gaps
   * of at least 6/64 exceed GradCheck's largest step there (2⁻⁶·3), so no perturbation makes a tie.
   */
  @Provide
  Arbitrary<Tensor> distinct() {
    return shapes(1, 3, 4).flatMap(s -> {
      int n = java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b);
      return Arbitraries.shuffle(java.util.stream.IntStream.range(0, n).boxed().toList()).map(order -> {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
          d[i] = -3f + 6f * order.get(i) / n;
        }
        return Tensor.of(d, s);
      });
    });
  }

  // ---------------------------------------------------------------- broadcasting arithmetic

  @Property(tries = TRIES)
  void add(@ForAll("broadcasting") Tensor[] p) {
    check(x -> x[0].add(x[1]), p);
  }

  @Property(tries = TRIES)
  void sub(@ForAll("broadcasting") Tensor[] p) {
    check(x -> x[0].sub(x[1]), p);
  }

  @Property(tries = TRIES)
  void mul(@ForAll("broadcasting") Tensor[] p) {
    check(x -> x[0].mul(x[1]), p);
  }

  @Property(tries = TRIES)
  void div(@ForAll("broadcastingDivisor") Tensor[] p) {
    check(x -> x[0].div(x[1]), p);
  }

  @Property(tries = TRIES)
  void maximumAndMinimum(@ForAll("broadcasting") Tensor[] p) {
    // a on the half grid, b a quarter off it: every pair differs by at least 0.25, far from a tie.
    Tensor a = onGrid(p[0], 0f);
    Tensor b = onGrid(p[1], 0.25f);
    check(x -> x[0].maximum(x[1]), a, b);
    check(x -> x[0].minimum(x[1]), a, b);
  }

  /** t's values rounded to multiples of 0.5, plus {@code shift}, same shape. */
  private static Tensor onGrid(Tensor t, float shift) {
    float[] v = t.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(v[i] * 2) / 2f + shift;
    }
    return t.dim() == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, t.shape());
  }

  @Property(tries = TRIES)
  void scalarArithmetic(@ForAll("any") Tensor t, @ForAll @FloatRange(min = -3, max = 3) float s) {
    check(x -> x[0].add(s), t);
    check(x -> x[0].sub(s), t);
    check(x -> x[0].rsub(s), t);
    check(x -> x[0].mul(s), t);
    check(x -> x[0].neg(), t);
  }

  @Property(tries = TRIES)
  void scalarDivision(@ForAll("awayFromZero") Tensor t, @ForAll @FloatRange(min = 0.5f, max = 3) float s) {
    check(x -> x[0].div(s), t);
    check(x -> x[0].rdiv(s), t);
  }

  // ---------------------------------------------------------------- pointwise

  @Property(tries = TRIES)
  void exp(@ForAll("any") Tensor t) {
    check(x -> x[0].exp(), t);
  }

  @Property(tries = TRIES)
  void logAndSqrt(@ForAll("positive") Tensor t) {
    check(x -> x[0].log(), t);
    check(x -> x[0].sqrt(), t);
  }

  @Property(tries = TRIES)
  void abs(@ForAll("awayFromZero") Tensor t) {
    check(x -> x[0].abs(), t);
  }

  @Property(tries = TRIES)
  void integerPowers(@ForAll("any") Tensor t, @ForAll @IntRange(min = 0, max = 4) int p) {
    check(x -> x[0].pow(p), t);
  }

  @Property(tries = TRIES)
  void realPowers(@ForAll("positive") Tensor t, @ForAll @FloatRange(min = -2, max = 3) float p) {
    check(x -> x[0].pow(p), t);
  }

  @Property(tries = TRIES)
  void clamp(@ForAll("any") Tensor t) {
    // Bounds at ±1.3 and ±0.2 while values sit on a 0.5 grid: no value within a step of a bound.
    Tensor g = onGrid(t, 0f);
    check(x -> x[0].clamp(-1.3f, 1.3f), g);
    check(x -> x[0].clampMin(0.2f), g);
    check(x -> x[0].clampMax(-0.2f), g);
  }

  // ---------------------------------------------------------------- reductions

  @Property(tries = TRIES)
  void sumAndMean(@ForAll("any") Tensor t) {
    check(x -> x[0].sum(), t);
    check(x -> x[0].mean(), t);
  }

  @Property(tries = TRIES)
  void sumAndMeanOverADimension(@ForAll("rank3") Tensor t, @ForAll @IntRange(min = -3, max = 2) int dim,
      @ForAll boolean keepDim) {
    check(x -> x[0].sum(dim, keepDim), t);
    check(x -> x[0].mean(dim, keepDim), t);
  }

  @Property(tries = TRIES)
  void maxAndMin(@ForAll("distinct") Tensor t) {
    check(x -> x[0].max(), t);
    check(x -> x[0].min(), t);
    int dim = t.dim() - 1;
    check(x -> x[0].max(dim, false).values(), t);
    check(x -> x[0].min(0, true).values(), t);
  }

  @Property(tries = TRIES)
  void norms(@ForAll("awayFromZero") Tensor t) {
    check(x -> x[0].norm(), t);
    check(x -> x[0].norm(1f), t);
    check(x -> x[0].norm(3f), t);
    if (t.dim() > 0) {
      check(x -> x[0].norm(-1, false), t);
    }
  }

  // ---------------------------------------------------------------- views and layout

  @Property(tries = TRIES)
  void reshapes(@ForAll("any") Tensor t) {
    check(x -> x[0].flatten().mul(x[0].flatten()), t);
    check(x -> x[0].reshape(-1, 1).exp(), t);
    check(x -> x[0].unsqueeze(0).squeeze().mul(2f), t);
  }

  @Property(tries = TRIES)
  void slicesAndSelect(@ForAll("matrix") Tensor t, @ForAll @IntRange(min = 0, max = 8) int a) {
    int rows = t.size(0);
    int start = a % rows;
    check(x -> x[0].narrow(0, start, rows - start).exp(), t);
    check(x -> x[0].select(0, start).mul(3f), t);
  }

  @Property(tries = TRIES)
  void transposeAndPermute(@ForAll("rank3") Tensor t) {
    check(x -> x[0].transpose(1, 2).mul(Tensor.arange(t.size(1)).add(1f)), t);
    check(x -> x[0].permute(2, 0, 1).exp(), t);
    check(x -> x[0].select(0, 0).t().exp(), t);
  }

  @Property(tries = TRIES)
  void concatenation(@ForAll("rank3") Tensor a, @ForAll("rank3") Tensor b, @ForAll @IntRange(min = 0, max = 2) int dim) {
    // Give b the shape of a except along dim.
    int[] s = a.shape();
    s[dim] = b.size(dim);
    Tensor bb = Tensor.of(java.util.Arrays.copyOf(b.toArray(), java.util.Arrays.stream(s).reduce(1, (p, q) -> p * q)), s);
    check(x -> Tensor.cat(dim, x[0], x[1]).exp(), a, bb);
  }

  // ---------------------------------------------------------------- composition

  /** The chapter's loss (w − 5)² and a small chain that reuses an input along two paths. */
  @Property(tries = TRIES)
  void compositions(@ForAll("any") Tensor t) {
    check(x -> x[0].sub(5f).pow(2f).sum(), t);
    check(x -> x[0].mul(x[0].exp()).add(x[0].pow(2f).mul(0.5f)).mean(), t);
  }
}
