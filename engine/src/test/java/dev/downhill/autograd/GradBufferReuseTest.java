package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import dev.downhill.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A gradient that zeroGrad drops, and that {@link Tensor#grad()} never handed out, lends its array
 * to the next backward of that leaf (issue 16: allocating and zeroing fresh weight gradients cost
 * 140 µs of a 750 µs step). What must hold: the array is reused, the values are those a fresh array
 * would get, and a gradient somebody was handed keeps its values.
 */
class GradBufferReuseTest {

  /** The gradient of sum((x·Wᵀ)²) for W, from a fresh leaf: the oracle. */
  private static float[] freshGrad(Tensor x, float[] w, int out, int in) {
    Tensor wf = Tensor.of(w, out, in).requiresGrad(true);
    x.linear(wf, null).mul(x.linear(wf, null)).sum().backward();
    return wf.grad().toArray();
  }

  @Property(tries = 30)
  void aDroppedGradientIsReusedWithFreshValues(@ForAll @IntRange(min = 1, max = 12) int rows,
      @ForAll @IntRange(min = 1, max = 40) int in, @ForAll @IntRange(min = 1, max = 40) int out,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Generator gen = new Generator(seed);
    Tensor w = Tensor.randn(gen, out, in).requiresGrad(true);
    float[] before = null;
    for (int step = 0; step < 3; step++) {
      Tensor x = Tensor.randn(gen, rows, in); // another batch each step: stale values would show
      w.clearGrad();
      Tensor y = x.linear(w, null);
      y.mul(y).sum().backward();
      float[] now = Autograd.borrowGrad(w).array();
      if (before != null) {
        assertSame(before, now, "the dropped gradient's array is written again");
      }
      assertArrayEquals(freshGrad(x, w.toArray(), out, in), now, 0f);
      before = now;
    }
  }

  @Test
  void aGradientThatWasHandedOutKeepsItsValues() {
    Generator gen = new Generator(3);
    Tensor w = Tensor.randn(gen, 5, 4).requiresGrad(true);
    Tensor x1 = Tensor.randn(gen, 3, 4);
    x1.linear(w, null).sum().backward();
    Tensor kept = w.grad(); // the caller's now
    float[] keptValues = kept.toArray();
    w.clearGrad();
    Tensor x2 = Tensor.randn(gen, 3, 4);
    x2.linear(w, null).mul(2f).sum().backward();
    assertArrayEquals(keptValues, kept.toArray(), 0f, "a handed-out gradient must not be overwritten");
    assertNotSame(kept.array(), w.grad().array());
    assertArrayEquals(freshGrad2(x2, w.toArray()), w.grad().toArray(), 0f);
  }

  private static float[] freshGrad2(Tensor x, float[] w) {
    Tensor wf = Tensor.of(w, 5, 4).requiresGrad(true);
    x.linear(wf, null).mul(2f).sum().backward();
    return wf.grad().toArray();
  }

  @Test
  void aWeightUsedTwiceAccumulatesBothUsesIntoTheReusedArray() {
    Generator gen = new Generator(5);
    Tensor w = Tensor.randn(gen, 6, 6).requiresGrad(true);
    Tensor x = Tensor.randn(gen, 2, 6);
    x.linear(w, null).linear(w, null).sum().backward();
    float[] first = Autograd.borrowGrad(w).array();
    w.clearGrad();
    Tensor x2 = Tensor.randn(gen, 2, 6);
    x2.linear(w, null).linear(w, null).sum().backward();
    assertSame(first, Autograd.borrowGrad(w).array());
    Tensor wf = Tensor.of(w.toArray(), 6, 6).requiresGrad(true);
    x2.linear(wf, null).linear(wf, null).sum().backward();
    assertArrayEquals(wf.grad().toArray(), Autograd.borrowGrad(w).toArray(), 0f);
  }

  /** An optimizer of the user's own that keeps the gradients it is given finds them unchanged later. */
  @Test
  void aUserOptimizerMayKeepTheGradientsItIsGiven() {
    Generator gen = new Generator(9);
    Tensor w = Tensor.randn(gen, 4, 3).requiresGrad(true);
    List<Tensor> kept = new ArrayList<>();
    Optimizer keeper = new Optimizer("Keeper", new ArrayList<>(List.of(dev.downhill.optim.ParamGroup.of(w))),
        java.util.Map.of("lr", 0.1)) {
      @Override
      protected void validate(dev.downhill.optim.ParamGroup group) {}

      @Override
      protected void update(dev.downhill.optim.ParamGroup group, Tensor param, Tensor grad, State state) {
        kept.add(grad);
      }
    };
    float[][] values = new float[3][];
    for (int step = 0; step < 3; step++) {
      keeper.zeroGrad();
      Tensor.randn(gen, 2, 3).linear(w, null).sum().backward();
      keeper.step();
      values[step] = kept.get(step).toArray();
    }
    for (int step = 0; step < 3; step++) {
      assertArrayEquals(values[step], kept.get(step).toArray(), 0f, "gradient kept at step " + step);
    }
  }

  /**
   * Training with Adam reaches the same bits whether the gradient arrays are reused (nobody looks at
   * them) or new every step (the loop reads each gradient, which hands it out).
   */
  @Test
  void trainingGivesTheSameBitsWithAndWithoutReuse() {
    float[][] reused = train(false);
    float[][] fresh = train(true);
    for (int i = 0; i < reused.length; i++) {
      assertArrayEquals(fresh[i], reused[i], 0f, "parameter " + i);
    }
  }

  private static float[][] train(boolean readGradients) {
    Generator gen = new Generator(11);
    Sequential net = new Sequential(new Linear(7, 16, gen), new ReLU(), new Linear(16, 3, gen));
    Optimizer opt = new Adam(net.parameters(), Adam.options().lr(0.01));
    List<Tensor> handed = new ArrayList<>();
    Tensor w0 = net.parameters().get(0);
    float[] firstArray = null;
    for (int step = 0; step < 20; step++) {
      Tensor x = Tensor.randn(gen, 5, 7);
      Tensor y = Tensor.randn(gen, 5, 3);
      opt.zeroGrad();
      Loss.mseLoss(net.forward(x), y).backward();
      if (readGradients) {
        for (Tensor p : net.parameters()) {
          handed.add(p.grad());
        }
      } else if (step == 0) {
        firstArray = Autograd.borrowGrad(w0).array();
      } else {
        assertSame(firstArray, Autograd.borrowGrad(w0).array(), "the first weight's gradient array is reused");
      }
      opt.step();
    }
    List<Tensor> ps = net.parameters();
    float[][] out = new float[ps.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ps.get(i).toArray();
    }
    if (readGradients) {
      // Every handed-out gradient is its own array: none was reused under the caller.
      for (int i = 0; i < handed.size(); i++) {
        for (int j = i + 1; j < handed.size(); j++) {
          assertNotSame(handed.get(i).array(), handed.get(j).array());
        }
      }
    }
    return out;
  }
}
