package dev.downhill.loss;

import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static dev.downhill.testing.TensorArbitraries.valuesAwayFrom;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.downhill.autograd.Function;
import dev.downhill.autograd.GradCheck;
import dev.downhill.autograd.Tensor;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every loss passes {@link GradCheck} with respect to its input, on drawn shapes, values and options
 * (reduction, weights, ignore index, label smoothing, probability targets, posWeight). Element-wise
 * losses keep input − target away from their kinks; a cross-entropy backward without its −onehot is
 * caught.
 */
class LossGradientTest {
  private static final int TRIES = 40;

  record Pair(Tensor input, Tensor target) {
    @Override
    public String toString() {
      return "input " + input + ", target " + target;
    }
  }

  /** Target anywhere, input = target + d with |d| ≥ 0.15 (away from L1's kink). */
  @Provide
  Arbitrary<Pair> pairs() {
    return shapes(3, 6).flatMap(s -> Combinators.combine(tensorsOfShape(s, values(-3, 3)),
        tensorsOfShape(s, valuesAwayFrom(-2, 2, 0))).as((t, d) -> new Pair(t.add(d), t)));
  }

  @Provide
  Arbitrary<Reduction> reductions() {
    return Arbitraries.of(Reduction.class);
  }

  @Property(tries = TRIES)
  void regressionLosses(@ForAll("pairs") Pair p, @ForAll("reductions") Reduction r) {
    Tensor t = p.target();
    GradCheck.assertGradients(x -> Loss.mseLoss(x[0], t, r), p.input());
    GradCheck.assertGradients(x -> Loss.l1Loss(x[0], t, r), p.input());
    GradCheck.assertGradients(x -> Loss.smoothL1Loss(x[0], t, 0.7f, r), p.input());
    GradCheck.assertGradients(x -> Loss.huberLoss(x[0], t, 1.3f, r), p.input());
  }

  /** Logits [N, C] or [N, C, d], class indices (some ignored), options. */
  record ClassCase(Tensor logits, Tensor indices, Tensor probs, CrossEntropyOptions options) {
    @Override
    public String toString() {
      return "logits " + Arrays.toString(logits.shape()) + " " + logits + ", indices " + indices + ", " + options;
    }
  }

  @Provide
  Arbitrary<ClassCase> classCases() {
    Arbitrary<int[]> shape = Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 9),
        Arbitraries.integers().between(0, 3)).as((n, c, d) -> d == 0 ? new int[] {n, c} : new int[] {n, c, d});
    return shape.flatMap(s -> {
      int c = s[1];
      int samples = s[0] * (s.length == 3 ? s[2] : 1);
      int[] sampleShape = s.length == 3 ? new int[] {s[0], s[2]} : new int[] {s[0]};
      Arbitrary<Tensor> logits = tensorsOfShape(s, values(-4, 4));
      Arbitrary<Tensor> idx = Arbitraries.integers().between(-1, c - 1).list().ofSize(samples).map(l -> {
        float[] v = new float[samples];
        for (int i = 0; i < samples; i++) v[i] = l.get(i) < 0 ? -100f : l.get(i);
        return Tensor.of(v, sampleShape);
      });
      Arbitrary<Tensor> probs = tensorsOfShape(s, values(-2, 2)).map(t -> t.softmax(1));
      Arbitrary<Tensor> weight = Arbitraries.oneOf(Arbitraries.just(null),
          tensorsOfShape(new int[] {c}, values(0.25f, 2f)));
      Arbitrary<Float> smoothing = Arbitraries.of(0f, 0.1f, 0.5f);
      return Combinators.combine(logits, idx, probs, weight, smoothing, reductions())
          .as((l, i, p, w, e, r) -> new ClassCase(l, i, p,
              CrossEntropyOptions.defaults().weight(w).labelSmoothing(e).reduction(r)));
    });
  }

  @Property(tries = TRIES)
  void crossEntropyWithIndicesAndWithProbabilities(@ForAll("classCases") ClassCase c) {
    GradCheck.assertGradients(x -> Loss.crossEntropy(x[0], c.indices(), c.options()), c.logits());
    GradCheck.assertGradients(x -> Loss.crossEntropy(x[0], c.probs(), c.options()), c.logits());
  }

  @Property(tries = TRIES)
  void nllLoss(@ForAll("classCases") ClassCase c) {
    CrossEntropyOptions o = c.options().labelSmoothing(0f);
    GradCheck.assertGradients(x -> Loss.nllLoss(x[0], c.indices(), o), c.logits());
  }

  record Binary(Tensor p, Tensor logits, Tensor y, Tensor weight, Tensor posWeight) {}

  @Provide
  Arbitrary<Binary> binaries() {
    return shapes(1, 2, 5).flatMap(s -> {
      int last = s[s.length - 1];
      return Combinators.combine(tensorsOfShape(s, values(0.05f, 0.95f)), tensorsOfShape(s, values(-4, 4)),
          tensorsOfShape(s, values(0, 1)),
          Arbitraries.oneOf(Arbitraries.just(null), tensorsOfShape(s, values(0.25f, 2f))),
          Arbitraries.oneOf(Arbitraries.just(null), tensorsOfShape(new int[] {last}, values(0.25f, 3f))))
          .as(Binary::new);
    });
  }

  @Property(tries = TRIES)
  void binaryCrossEntropies(@ForAll("binaries") Binary b, @ForAll("reductions") Reduction r) {
    GradCheck.assertGradients(x -> Loss.binaryCrossEntropy(x[0], b.y(), b.weight(), r), b.p());
    GradCheck.assertGradients(x -> Loss.binaryCrossEntropyWithLogits(x[0], b.y(), b.weight(), b.posWeight(), r),
        b.logits());
  }

  /** Cross-entropy whose backward forgets the −onehot: softmax/N only. GradCheck must reject it. */
  @Property(tries = 20)
  void aCrossEntropyBackwardWithoutTheOneHotIsCaught(@ForAll("classCases") ClassCase c) {
    Tensor labels = c.indices().abs().clampMax(c.logits().size(1) - 1); // no ignored rows: every row has a onehot
    Function wrong = new Function("crossEntropy") {
      protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return Loss.crossEntropy(in[0], labels, Reduction.SUM);
      }

      protected Tensor[] backward(Context ctx, Tensor g) {
        return new Tensor[] {ctx.saved(0).softmax(1).mul(g)};
      }
    };
    assertFalse(GradCheck.defaults().check(x -> wrong.apply(x[0]), c.logits()).passed());
  }
}
