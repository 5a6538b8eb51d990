package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensors;
import static dev.downhill.testing.TensorArbitraries.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The check has teeth: a backward that is wrong by a sign or a factor of 2 is rejected. */
class GradCheckTest {

  /** x·e^x elementwise, built from engine ops, with a backward whose error we choose. */
  private static Function xExp(String name, float scale) {
    return new Function(name) {
      @Override
      protected Tensor forward(Context ctx, Tensor... x) {
        ctx.saveForBackward(x[0]);
        return x[0].mul(x[0].exp()); // x·e^x
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor x = ctx.saved(0);
        Tensor d = x.add(1f).mul(x.exp()); // (x + 1)·e^x
        return new Tensor[] {g.mul(d).mul(scale)};
      }
    };
  }

  @Provide
  Arbitrary<Tensor> inputs() {
    // Keep away from x = −1, where (x + 1)·e^x = 0 and a scaled wrong gradient equals the right one.
    return tensors(shapes(1, 3, 9), values(-0.5f, 2));
  }

  @Property(tries = 50)
  void correctBackwardPasses(@ForAll("inputs") Tensor x) {
    GradCheck.assertGradients(xs -> xExp("xexp", 1f).apply(xs), x);
  }

  @Property(tries = 50)
  void signFlippedBackwardIsRejected(@ForAll("inputs") Tensor x) {
    GradCheck.Result r = GradCheck.defaults().check(xs -> xExp("xexp-flipped", -1f).apply(xs), x);
    assertFalse(r.passed(), r.describe());
  }

  @Property(tries = 50)
  void doubledBackwardIsRejected(@ForAll("inputs") Tensor x) {
    GradCheck.Result r = GradCheck.defaults().check(xs -> xExp("xexp-doubled", 2f).apply(xs), x);
    assertFalse(r.passed(), r.describe());
  }

  @Example
  void aWrongGradientForOneOutputElementIsCaught() {
    // The backward is right except for output element 2, whose gradient it drops.
    Function leaky = new Function("drops-one") {
      @Override
      protected Tensor forward(Context ctx, Tensor... x) {
        return x[0].mul(3f);
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor d = g.mul(3f);
        try (var s = Autograd.noGrad()) {
          d.set(0f, 2);
        }
        return new Tensor[] {d};
      }
    };
    GradCheck.Result r = GradCheck.defaults().check(xs -> leaky.apply(xs), Tensor.of(new float[] {1, 2, 3, 4}));
    assertFalse(r.passed());
    assertEquals(0, r.input());
    assertEquals(2, r.index()[0]);
    assertEquals(0.0, r.analytic());
    assertTrue(r.describe().contains("input 0 at [2]"), r.describe());
  }

  @Example
  void failureMessageNamesTheWorstElementAndBothValues() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertGradients(xs -> xExp("xexp-doubled", 2f).apply(xs), Tensor.of(new float[] {0.5f, 1.5f})));
    assertTrue(e.getMessage().matches("gradcheck FAILED: worst element is input 0 at \\[\\d]: analytic .*, numeric .*,"
        + " \\|diff\\| .* vs tolerance .*"), e.getMessage());
  }

  @Example
  void inputsAreNotChanged() {
    Tensor x = Tensor.of(new float[] {1, 2, 3});
    GradCheck.assertGradients(xs -> xs[0].pow(2f).sum(), x);
    assertEquals("tensor([1., 2., 3.])", x.toString());
    assertTrue(x.grad() == null);
  }
  /**
   * A gather whose backward assigns where it should accumulate: with an index that picks one entry
   * twice, the entry gets one upstream value instead of their sum, and the check must say so.
   */
  @Property(tries = 30)
  void aGatherBackwardThatAssignsOnRepeatedIndicesIsCaught(@ForAll("inputs") Tensor drawn) {
    Tensor flat = drawn.reshape(-1);
    Tensor x = flat.narrow(0, 0, Math.min(flat.numel(), 40)).copy(); // the check is O(n²): keep it small
    int n = x.numel();
    float[] picks = new float[n + 1];
    for (int k = 0; k < n; k++) {
      picks[k] = k;
    }
    picks[n] = n - 1; // the last entry is picked twice
    Tensor index = Tensor.of(picks);
    Function assigning = new Function("gather-assign") {
      @Override
      protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].gather(0, index);
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        float[] gx = new float[n];
        float[] gv = g.toArray();
        for (int p = 0; p < picks.length; p++) {
          gx[(int) picks[p]] = gv[p]; // the planted bug: = instead of +=
        }
        return new Tensor[] {Tensor.of(gx)};
      }
    };
    // Summed, every pick gets the same upstream value v₀ (the check's fixed direction for a scalar,
    // well away from 0), so the doubly picked entry gets v₀ where 2·v₀ is right, whatever n is. (With
    // the picks themselves as the output, their two directions could both be small: one jqwik seed
    // made the error equal its tolerance.)
    GradCheck.Result wrong = GradCheck.defaults().check(xs -> assigning.apply(xs).sum(), x);
    assertFalse(wrong.passed(), wrong.describe());
    assertEquals(n - 1, wrong.index()[0], "the doubly picked entry is the one named");
    assertTrue(Math.abs(wrong.analytic() - wrong.numeric()) > 2 * wrong.tolerance(), wrong.describe());
    GradCheck.assertGradients(xs -> xs[0].gather(0, index).sum(), x); // the engine's own backward accumulates
    GradCheck.assertGradients(xs -> xs[0].gather(0, index), x);
  }
}
