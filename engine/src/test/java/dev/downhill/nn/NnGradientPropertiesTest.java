package dev.downhill.nn;

import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.downhill.autograd.GradCheck;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Gradients of the nn layers against finite differences ({@link GradCheck}) on drawn shapes and
 * values: LayerNorm (input, weight, bias), Linear (input, weight, bias), Embedding (weight), and a
 * small Sequential with Tanh and GELU (input; its parameter gradients equal the functional
 * composition's bit for bit).
 */
class NnGradientPropertiesTest {
  private static final int TRIES = 25;

  /**
   * [batch, features] input with features ≥ 2 (a one-element layer norm is constant): a spread
   * linspace(−2, 2) plus drawn noise in [−0.5, 0.5], so every row's variance stays well above the
   * finite-difference step (near zero variance the norm is too curved for any difference quotient).
   */
  @Provide
  Arbitrary<Tensor[]> layerNormInputs() {
    return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(2, 9))
        .flatAs((b, f) -> Combinators.combine(
                tensorsOfShape(new int[] {b, f}, values(-0.5f, 0.5f)).map(t -> t.add(Tensor.linspace(-2, 2, f))),
                tensorsOfShape(new int[] {f}, values(0.5f, 2)), tensorsOfShape(new int[] {f}, values(-1, 1)))
            .as((x, w, bias) -> new Tensor[] {x, w, bias}));
  }

  @Property(tries = TRIES)
  void layerNormGradient(@ForAll("layerNormInputs") Tensor[] in) {
    int[] ns = {in[0].size(1)};
    GradCheck.assertGradients(xs -> LayerNorm.layerNorm(xs[0], ns, xs[1], xs[2], 1e-5), in);
  }

  @Provide
  Arbitrary<Tensor[]> linearInputs() {
    return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 9),
            Arbitraries.integers().between(1, 9))
        .flatAs((b, i, o) -> Combinators.combine(tensorsOfShape(new int[] {b, i}, values(-2, 2)),
                tensorsOfShape(new int[] {o, i}, values(-1, 1)), tensorsOfShape(new int[] {o}, values(-1, 1)))
            .as((x, w, bias) -> new Tensor[] {x, w, bias}));
  }

  /** What Linear.forward runs, with the weight and bias as inputs, and the module itself for the input. */
  @Property(tries = TRIES)
  void linearGradient(@ForAll("linearInputs") Tensor[] in) {
    GradCheck.assertGradients(xs -> xs[0].linear(xs[1], xs[2]), in);
    Linear lin = new Linear(in[0].size(1), in[1].size(0), new Generator(1));
    GradCheck.assertGradients(xs -> lin.forward(xs[0]), in[0]);
  }

  @Provide
  Arbitrary<Tensor> tables() {
    return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 9))
        .flatAs((n, d) -> tensorsOfShape(new int[] {n, d}, values(-2, 2)));
  }

  @Property(tries = TRIES)
  void embeddingGradient(@ForAll("tables") Tensor weight, @ForAll long seed) {
    Tensor idx = Tensor.randint(new Generator(seed), 0, weight.size(0), 2, 3);
    GradCheck.assertGradients(xs -> xs[0].embedding(idx), weight);
  }

  @Provide
  Arbitrary<Tensor> batches() {
    return Arbitraries.integers().between(1, 4).flatMap(b -> tensorsOfShape(new int[] {b, 3}, values(-2, 2)));
  }

  @Property(tries = TRIES)
  void smallSequentialGradient(@ForAll("batches") Tensor x, @ForAll long seed) {
    Generator g = new Generator(seed);
    Sequential m = new Sequential(new Linear(3, 5, g), new LayerNorm(5), new Tanh(), new Dropout(0.3, g),
        new Residual(new Sequential(new Linear(5, 5, g), new GELU())), new Linear(5, 2, g));
    m.eval();
    GradCheck.assertGradients(xs -> m.forward(xs[0]), x);
    m.zeroGrad(); // the check's own backward reached the parameters
    // parameter gradients: the same bits as the functional composition
    m.forward(x).sum().backward();
    Linear l0 = (Linear) m.get(0), l5 = (Linear) m.get(5);
    LayerNorm ln = (LayerNorm) m.get(1);
    Linear l4 = (Linear) ((Sequential) ((Residual) m.get(4)).namedChildren().get("f")).get(0);
    Tensor[] ps = {l0.weight, l0.bias, ln.weight, ln.bias, l4.weight, l4.bias, l5.weight, l5.bias};
    Tensor[] copies = new Tensor[ps.length];
    for (int i = 0; i < ps.length; i++) {
      copies[i] = ps[i].copy().requiresGrad(true);
    }
    Tensor h = LayerNorm.layerNorm(x.linear(copies[0], copies[1]), new int[] {5}, copies[2], copies[3], 1e-5).tanh();
    h = h.add(h.linear(copies[4], copies[5]).gelu());
    h.linear(copies[6], copies[7]).sum().backward();
    for (int i = 0; i < ps.length; i++) {
      assertArrayEquals(copies[i].grad().toArray(), ps[i].grad().toArray(), "parameter " + i);
    }
  }

  /** Teeth: a layer norm that forgets to centre before the variance is rejected by the same check. */
  @Example
  void aWrongLayerNormIsCaught() {
    Tensor x = Tensor.of(new float[] {0.5f, -1.2f, 2.0f, 0.3f, 1.1f, -0.4f}, 2, 3);
    GradCheck.Result r = GradCheck.defaults().check(xs -> {
      Tensor c = xs[0].sub(xs[0].mean(1, true));
      Tensor var = c.mul(c).mean(1, true).detach(); // backward through the variance dropped
      return c.div(var.add(1e-5f).sqrt());
    }, x);
    assertFalse(r.passed(), r.describe());
  }
}
