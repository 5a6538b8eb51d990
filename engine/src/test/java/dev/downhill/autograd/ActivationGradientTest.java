package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensors;
import static dev.downhill.testing.TensorArbitraries.values;
import static dev.downhill.testing.TensorArbitraries.valuesAwayFrom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.downhill.autograd.GradCheck.TensorFunction;
import dev.downhill.kernels.Parallel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Every activation passes {@link GradCheck} on drawn shapes and values (relu and leakyRelu away from
 * their kink at 0); a deliberately wrong backward for each kind of op is caught; results do not depend
 * on the number of threads.
 */
class ActivationGradientTest {
  private static final int TRIES = 40;

  private static void check(TensorFunction f, Tensor... xs) {
    GradCheck.assertGradients(f, xs);
  }

  @Provide
  Arbitrary<Tensor> any() {
    return tensors(shapes(3, 9), values(-4, 4));
  }

  @Provide
  Arbitrary<Tensor> awayFromZero() {
    return tensors(shapes(3, 9), valuesAwayFrom(-4, 4, 0));
  }

  @Provide
  Arbitrary<Tensor> rank3() {
    return tensors(shapes(3, 3, 5), values(-4, 4));
  }

  @Property(tries = TRIES)
  void reluAndLeakyRelu(@ForAll("awayFromZero") Tensor t, @ForAll @FloatRange(min = -1, max = 1) float slope) {
    check(x -> x[0].relu(), t);
    check(x -> x[0].leakyRelu(), t);
    check(x -> x[0].leakyRelu(slope), t);
  }

  @Property(tries = TRIES)
  void sigmoidTanhSilu(@ForAll("any") Tensor t) {
    check(x -> x[0].sigmoid(), t);
    check(x -> x[0].tanh(), t);
    check(x -> x[0].silu(), t);
  }

  @Property(tries = TRIES)
  void geluBothForms(@ForAll("any") Tensor t) {
    check(x -> x[0].gelu(), t);
    check(x -> x[0].gelu(GeluApproximate.TANH), t);
  }

  @Property(tries = TRIES)
  void softplus(@ForAll("any") Tensor t, @ForAll @FloatRange(min = 0.25f, max = 3) float beta) {
    check(x -> x[0].softplus(), t);
    // threshold 30 sits beyond beta·|x| ≤ 12, so no drawn value is near the switch to the linear part
    check(x -> x[0].softplus(beta, 30f), t);
  }

  @Property(tries = TRIES)
  void softmaxAndLogSoftmaxOverAnyDimension(@ForAll("rank3") Tensor t, @ForAll @IntRange(min = -3, max = 2) int dim) {
    check(x -> x[0].softmax(dim), t);
    check(x -> x[0].logSoftmax(dim), t);
  }

  @Property(tries = TRIES)
  void softmaxOfVectorsAndScalars(@ForAll("any") Tensor t) {
    check(x -> x[0].softmax(-1).mul(x[0]), t);
    check(x -> x[0].logSoftmax(0).exp(), t);
  }

  // ---- the check has teeth: a wrong backward is rejected ----

  /** An op whose forward is right and whose backward is the given (wrong) one. */
  private static Tensor wrong(String name, TensorFunction forward, java.util.function.BiFunction<Tensor, Tensor, Tensor> backward,
      Tensor x) {
    return new Function(name) {
      protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return forward.apply(in[0]);
      }

      protected Tensor[] backward(Context ctx, Tensor g) {
        return new Tensor[] {backward.apply(ctx.saved(0), g)};
      }
    }.apply(x);
  }

  @Provide
  Arbitrary<Tensor> rank3AwayFromZero() {
    return tensors(shapes(3, 3, 5), valuesAwayFrom(-2, 2, 0));
  }

  /**
   * On [−2, 2] away from 0, where each wrong formula below differs from the right one by more than
   * 0.04 for every element, far beyond GradCheck's tolerance.
   */
  @Property(tries = 20)
  void wrongBackwardsAreCaught(@ForAll("rank3AwayFromZero") Tensor t) {
    GradCheck gc = GradCheck.defaults();
    // sigmoid's derivative doubled: 2·y·(1 − y)
    assertFalse(gc.check(x -> wrong("sigmoid", in -> in[0].sigmoid(), (s, g) -> g.mul(s.sigmoid()).mul(s.sigmoid().rsub(1f))
        .mul(2f), x[0]), t).passed());
    // tanh's derivative with the sign of y² flipped: 1 + y²
    assertFalse(gc.check(x -> wrong("tanh", in -> in[0].tanh(), (s, g) -> g.mul(s.tanh().pow(2f).add(1f)), x[0]), t).passed());
    // gelu's backward missing the x·φ(x) term: Φ(x) only
    assertFalse(gc.check(x -> wrong("gelu", in -> in[0].gelu(), (s, g) -> g.mul(s.gelu().div(s)), x[0]), t).passed());
    // softmax's backward missing the −Σ g·y term
    assertFalse(gc.check(x -> wrong("softmax", in -> in[0].softmax(-1), (s, g) -> g.mul(s.softmax(-1)), x[0]), t).passed());
  }

  // ---- threads ----

  /**
   * Bitwise equal for 1 and 3 threads once C2 has compiled the kernels. Before that, lanewise EXP runs
   * the Vector API's Java fallback, which differs from SVML by an ulp, so the first calls of a fresh JVM
   * may differ from later ones whatever the thread count; the warm-up rounds get past that.
   */
  @Example
  void resultsDoNotDependOnTheThreadCount() {
    Tensor x = Tensor.randn(new Generator(7), 300, 700).requiresGrad(true); // several GRAINs
    int before = Parallel.threads();
    for (int round = 0; round < 30; round++) {
      run(x, 1 + round % 3);
    }
    float[][] one = run(x, 1);
    float[][] two = run(x, 3);
    Parallel.setThreads(before);
    for (int i = 0; i < one.length; i++) {
      assertArrayEquals(one[i], two[i], "output " + i);
    }
  }

  private static float[][] run(Tensor x, int threads) {
    Parallel.setThreads(threads);
    x.clearGrad();
    Tensor y = x.gelu().add(x.softmax(1)).add(x.logSoftmax(0)).add(x.tanh());
    y.sum().backward();
    return new float[][] {y.toArray(), x.grad().toArray()};
  }
}
