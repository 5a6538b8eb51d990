package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The contract of the autograd engine as a PyTorch user relies on it: when gradients accumulate,
 * when a graph may be reused, which in-place changes are refused and with which message, and what
 * the grad-mode scopes do. Numeric correctness of each op's backward is GradientPropertiesTest's job.
 */
class AutogradBehaviourTest {

  private static Tensor param(float... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  private static void assertGrad(float[] want, Tensor t) {
    assertNotNull(t.grad(), "no gradient reached the tensor");
    assertArrayEquals(want, t.grad().toArray(), 0f);
  }

  /** Asserts that {@code r} throws {@code type} and that the message contains every fragment. */
  private static <T extends Throwable> T assertThrowsWith(Class<T> type, Runnable r, String... fragments) {
    T e = assertThrows(type, r::run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
    }
    return e;
  }

  // ---------------------------------------------------------------- accumulation and reset

  /** ReLU's backward writes its result over the upstream gradient it owns: a retained gradient is not that array. */
  @Test
  void reluWritingOverItsUpstreamGradientLeavesRetainedGradientsAlone() {
    Tensor x = param(-1, 2, -3, 4);
    Tensor y = x.mul(3f);
    y.retainGrad();
    Tensor r = y.relu();
    r.retainGrad();
    r.mul(2f).sum().backward();
    assertGrad(new float[] {2, 2, 2, 2}, r);
    assertGrad(new float[] {0, 2, 0, 2}, y);
    assertGrad(new float[] {0, 6, 0, 6}, x);
  }

  @Test
  void gradientsAccumulateAcrossBackwardCallsLikePytorch() {
    Tensor x = param(1, 2, 3);
    x.mul(x).sum().backward();
    assertGrad(new float[] {2, 4, 6}, x);
    Tensor first = x.grad();
    x.mul(x).sum().backward();
    assertGrad(new float[] {4, 8, 12}, x);
    assertSame(first, x.grad(), "accumulation happens in the existing grad tensor, as param.grad += ...");
  }

  @Test
  void zeroingTheGradKeepsTheTensorAndClearGradDropsIt() {
    Tensor x = param(1, 2);
    x.mul(3f).sum().backward();
    Tensor g = x.grad();
    x.grad().zero(); // PyTorch: x.grad.zero_(); there is no Tensor.zeroGrad (see the README)
    assertSame(g, x.grad());
    assertGrad(new float[] {0, 0}, x);
    x.mul(3f).sum().backward();
    assertGrad(new float[] {3, 3}, x);
    x.clearGrad();
    assertNull(x.grad());
    x.mul(5f).sum().backward();
    assertGrad(new float[] {5, 5}, x);
  }

  // ---------------------------------------------------------------- seeds

  @Test
  void backwardWithAnExplicitGradientOfANonScalar() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    Tensor y = x.mul(3f);
    y.backward(Tensor.of(new float[] {1, 0, -1, 2, 0.5f, 10}, 2, 3));
    assertGrad(new float[] {3, 0, -3, 6, 1.5f, 30}, x);
    assertArrayEquals(new int[] {2, 3}, x.grad().shape());
  }

  @Test
  void backwardOnALeafSeedsItsOwnGradient() {
    Tensor x = param(1, 2);
    x.backward(Tensor.of(new float[] {4, 5}));
    assertGrad(new float[] {4, 5}, x);
  }

  @Test
  void backwardFromANonScalarWithoutAGradientNamesTheShape() {
    Tensor y = Tensor.ones(2, 3).requiresGrad(true).mul(2f);
    assertThrowsWith(IllegalArgumentException.class, y::backward, "backward", "[2, 3]");
  }

  @Test
  void backwardWithAGradientOfTheWrongShapeNamesBothShapes() {
    Tensor y = Tensor.ones(2, 3).requiresGrad(true).mul(2f);
    assertThrowsWith(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)), "[3, 2]", "[2, 3]");
  }

  @Test
  void backwardOnATensorThatDoesNotRequireGradThrows() {
    Tensor y = Tensor.of(new float[] {1, 2}).mul(2f).sum();
    assertFalse(y.requiresGrad());
    assertThrowsWith(IllegalStateException.class, y::backward, "does not require grad");
  }

  // ---------------------------------------------------------------- graph lifetime

  @Test
  void secondBackwardThroughAFreedGraphThrowsAndNamesRetainGraph() {
    Tensor x = param(0, 1);
    Tensor loss = x.exp().sum();
    loss.backward();
    assertThrowsWith(IllegalStateException.class, loss::backward, "retainGraph", "freed");
  }

  @Test
  void retainGraphAllowsASecondBackwardThatDoublesTheGradient() {
    Tensor x = param(0, 1);
    Tensor loss = x.exp().sum();
    loss.backward(null, true);
    loss.backward();
    float e = (float) Math.E;
    assertGrad(new float[] {2, 2 * e}, x);
    // The second call did not retain: a third one is refused.
    assertThrows(IllegalStateException.class, loss::backward);
  }

  // ---------------------------------------------------------------- in-place changes

  @Test
  void changingASavedOutputInPlaceIsCaughtAtBackwardWithOpAndVersions() {
    Tensor x = param(0, 1, 2);
    Tensor y = x.exp(); // exp saves its output
    Tensor z = y.mul(2f);
    try (var scope = Autograd.noGrad()) {
      y.mulInPlace(10f);
    }
    assertThrowsWith(IllegalStateException.class, () -> z.sum().backward(), "'exp'", "modified in place",
        "version 0 when saved, 1 now");
  }

  @Test
  void changingASavedInputInPlaceIsCaughtAtBackward() {
    Tensor x = param(1, 2);
    Tensor w = Tensor.of(new float[] {3, 4}); // not a parameter: mul saves it for x's gradient
    Tensor a = x.mul(w);
    try (var scope = Autograd.noGrad()) {
      w.addInPlace(Tensor.ones(2));
      w.addInPlace(Tensor.ones(2));
    }
    assertThrowsWith(IllegalStateException.class, () -> a.sum().backward(), "'mul'", "version 0 when saved, 2 now");
  }

  @Test
  void updateInPlaceHandsExactlyTheTensorsRangeAndRecordsTheChange() {
    Tensor x = param(1, 2);
    Tensor base = Tensor.of(new float[] {0, 1, 2, 3, 4, 5});
    Tensor w = base.narrow(0, 2, 3); // a view at offset 2
    Tensor a = x.mul(w.narrow(0, 0, 2));
    int[] seen = new int[2];
    try (var scope = Autograd.noGrad()) {
      w.updateInPlace((arr, off, n) -> {
        seen[0] = off;
        seen[1] = n;
        dev.downhill.kernels.Elementwise.fill(arr, off, n, 9f);
      });
    }
    assertEquals(2, seen[0]);
    assertEquals(3, seen[1]);
    assertArrayEquals(new float[] {0, 1, 9, 9, 9, 5}, base.toArray());
    assertThrowsWith(IllegalStateException.class, () -> a.sum().backward(), "'mul'", "version 0 when saved, 1 now");
  }

  @Test
  void updateInPlaceIsRefusedOnAParameterWhileRecording() {
    Tensor w = param(1, 2);
    assertThrowsWith(IllegalStateException.class, () -> w.updateInPlace((arr, off, n) -> arr[off] = 5f),
        "updateInPlace", "leaf tensor that requires grad");
    assertArrayEquals(new float[] {1, 2}, w.toArray());
  }

  @Test
  void inPlaceOnALeafThatRequiresGradIsRefusedWhileRecording() {
    Tensor w = param(1, 2);
    Tensor one = Tensor.ones(2);
    assertThrowsWith(IllegalStateException.class, () -> w.addInPlace(one), "addInPlace", "leaf", "noGrad");
    assertThrowsWith(IllegalStateException.class, () -> w.subInPlace(one), "addInPlace");
    assertThrowsWith(IllegalStateException.class, () -> w.mulInPlace(2f), "mulInPlace");
    assertThrowsWith(IllegalStateException.class, () -> w.fill(0f), "fill");
    assertThrowsWith(IllegalStateException.class, w::zero, "fill");
    assertThrowsWith(IllegalStateException.class, () -> w.copyFrom(one), "copyFrom");
    assertThrowsWith(IllegalStateException.class, () -> w.set(5f, 0), "set");
    assertArrayEquals(new float[] {1, 2}, w.toArray(), 0f, "a refused change leaves the values alone");
  }

  @Test
  void inPlaceOnAnOpResultIsRefusedWhileRecordingAndNamesTheOp() {
    Tensor y = param(1, 2).mul(2f);
    assertThrowsWith(IllegalStateException.class, () -> y.fill(0f), "'mul'");
  }

  @Test
  void inPlaceWithAnOperandThatRequiresGradIsRefusedWhileRecording() {
    Tensor w = Tensor.zeros(2);
    Tensor p = param(1, 2);
    assertThrowsWith(IllegalStateException.class, () -> w.addInPlace(p), "operand requires grad");
  }

  /** Chapter 8.2: gradient descent on (w − 5)², updating w inside noGrad and zeroing its grad each step. */
  @Test
  void theChaptersUpdateInsideNoGradConverges() {
    Tensor w = Tensor.scalar(0f).requiresGrad(true);
    for (int step = 0; step < 10; step++) {
      Tensor loss = w.sub(5f).pow(2f);
      loss.backward();
      try (var scope = Autograd.noGrad()) {
        w.subInPlace(w.grad().mul(0.1f));
      }
      w.grad().zero();
    }
    // w ← 0.8·w + 1 from 0: 5·(1 − 0.8¹⁰)
    assertEquals(5 * (1 - Math.pow(0.8, 10)), w.item(), 1e-5);
    // PyTorch 1.13 running the same loop in float32 ends at exactly this float.
    assertEquals(4.46312952041626f, w.item());
    assertEquals("tensor(4.4631, requiresGrad=true)", w.toString());
    assertTrue(w.requiresGrad() && w.isLeaf(), "the update must leave w a parameter");
  }

  // ---------------------------------------------------------------- grad mode

  @Test
  void resultsInsideNoGradDoNotRecord() {
    Tensor x = param(1, 2);
    Tensor y;
    try (var scope = Autograd.noGrad()) {
      y = x.mul(2f).add(x).exp().sum();
    }
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
    assertTrue(y.isLeaf());
    assertTrue(x.mul(2f).requiresGrad(), "recording is back after the scope");
  }

  @Test
  void scopesNestAndRestoreThePreviousMode() {
    assertTrue(Autograd.isGradEnabled());
    try (var outer = Autograd.noGrad()) {
      assertFalse(Autograd.isGradEnabled());
      try (var inner = Autograd.enableGrad()) {
        assertTrue(Autograd.isGradEnabled());
        assertTrue(param(1).mul(2f).requiresGrad(), "enableGrad records inside noGrad");
        try (var innermost = Autograd.noGrad()) {
          assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
      }
      assertFalse(Autograd.isGradEnabled());
    }
    assertTrue(Autograd.isGradEnabled());
    assertFalse(Autograd.anomalyEnabled());
    try (var anomaly = Autograd.detectAnomaly()) {
      assertTrue(Autograd.anomalyEnabled());
    }
    assertFalse(Autograd.anomalyEnabled());
  }

  @Test
  void aScopeLeftByAnExceptionStillRestoresTheMode() {
    assertThrows(IllegalStateException.class, () -> {
      try (var scope = Autograd.noGrad()) {
        throw new IllegalStateException("boom");
      }
    });
    assertTrue(Autograd.isGradEnabled());
  }

  @Test
  void gradModeIsPerThread() throws InterruptedException {
    AtomicBoolean otherThreadRecords = new AtomicBoolean();
    try (var scope = Autograd.noGrad()) {
      Thread t = new Thread(() -> otherThreadRecords.set(Autograd.isGradEnabled()));
      t.start();
      t.join();
    }
    assertTrue(otherThreadRecords.get(), "noGrad on one thread must not switch off another's recording");
  }

  @Test
  void requiresGradPropagatesOnlyFromInputsThatRequireIt() {
    Tensor c = Tensor.of(new float[] {1, 2});
    assertFalse(c.add(c).requiresGrad());
    Tensor x = param(1, 2);
    Tensor y = c.mul(x);
    assertTrue(y.requiresGrad());
    assertEquals("mul", y.gradFn());
    y.sum().backward();
    assertNull(c.grad(), "a constant gets no gradient");
    assertGrad(new float[] {1, 2}, x);
  }

  // ---------------------------------------------------------------- detach, retainGrad, leaves

  @Test
  void detachSharesStorageButCutsTheGraph() {
    Tensor x = param(1, 2);
    Tensor d = x.detach();
    assertFalse(d.requiresGrad());
    assertTrue(d.isLeaf());
    assertNull(d.gradFn());
    try (var scope = Autograd.noGrad()) {
      d.set(7f, 0);
    }
    assertEquals(7f, x.get(0), "a detached tensor is a view of the same storage");
    // Through the detached branch no gradient flows: d(x · stop(x))/dx = stop(x).
    Tensor y = x.mul(x.detach()).sum();
    y.backward();
    assertGrad(new float[] {7, 2}, x);
  }

  @Test
  void retainGradKeepsTheGradientOfANonLeaf() {
    Tensor x = param(1, 2);
    Tensor h = x.mul(2f).retainGrad();
    Tensor k = x.mul(3f);
    h.mul(h).sum().add(k.sum()).backward();
    assertGrad(new float[] {4, 8}, h); // d(h²)/dh = 2h
    assertNull(k.grad(), "a non-leaf without retainGrad keeps no gradient");
    assertGrad(new float[] {11, 19}, x); // 2·2h + 3
  }

  @Test
  void retainGradOnTheOutputItselfGetsTheSeed() {
    Tensor x = param(1, 2);
    Tensor loss = x.mul(2f).sum().retainGrad();
    loss.backward();
    assertNotNull(loss.grad(), "torch: loss.retain_grad(); loss.backward() gives loss.grad == 1");
    assertEquals(1f, loss.grad().item());
    assertEquals(0, loss.grad().dim());
  }

  @Test
  void requiresGradOnANonLeafIsRefused() {
    Tensor y = param(1).mul(2f);
    assertThrowsWith(IllegalStateException.class, () -> y.requiresGrad(true), "leaf", "'mul'", "detach");
    assertThrowsWith(IllegalStateException.class, () -> y.requiresGrad(false), "leaf");
  }

  @Test
  void retainGradOnATensorThatDoesNotRequireGradIsRefused() {
    assertThrowsWith(IllegalStateException.class, () -> Tensor.ones(2).retainGrad(), "retainGrad");
  }

  // ---------------------------------------------------------------- graph shapes

  @Test
  void aTensorUsedTwiceGetsBothContributions() {
    Tensor x = param(1, -2, 3);
    x.mul(x).sum().backward();
    assertGrad(new float[] {2, -4, 6}, x);
    Tensor z = param(5);
    z.add(z).sum().backward();
    assertGrad(new float[] {2}, z);
  }

  @Test
  void aDiamondWaitsForBothBranchesBeforeGoingFurther() {
    // a = 2x feeds b = e^a and c = 3a; d = Σ(b + c). dd/dx = 2·(e^(2x) + 3).
    Tensor x = param(0, 0.5f);
    Tensor a = x.mul(2f).retainGrad();
    Tensor b = a.exp();
    Tensor c = a.mul(3f);
    b.add(c).sum().backward();
    float[] xs = {0, 0.5f};
    float[] want = new float[2];
    float[] wantA = new float[2];
    for (int i = 0; i < 2; i++) {
      wantA[i] = (float) Math.exp(2 * xs[i]) + 3;
      want[i] = 2 * wantA[i];
    }
    assertArrayEquals(wantA, a.grad().toArray(), 1e-6f);
    assertArrayEquals(want, x.grad().toArray(), 1e-6f);
  }

  @Test
  void aDeepChainDoesNotOverflowTheStack() {
    Tensor x = param(1, 2);
    Tensor h = x;
    for (int i = 0; i < 10_000; i++) {
      h = i % 2 == 0 ? h.add(0.5f) : h.reshape(2).mul(1f);
    }
    h.sum().backward();
    assertGrad(new float[] {1, 1}, x);
  }

  /** Chapter 8.6: fifty doublings; every factor is a power of two, so the float gradient is exact. */
  @Test
  void fiftyDoublingsGiveTwoToTheFiftyExactly() {
    Tensor x = Tensor.scalar(1f).requiresGrad(true);
    Tensor h = x;
    for (int i = 0; i < 50; i++) {
      h = h.mul(2f);
    }
    h.backward();
    assertEquals(0x1p50f, x.grad().item());
    assertEquals(1.125899906842624e15, x.grad().item(), 0.0);
    assertEquals(0x1p50f, h.item());
  }

  // ---------------------------------------------------------------- anomaly mode

  @Test
  void anomalyModeNamesTheOpWhoseBackwardMadeInfinity() {
    Tensor x = Tensor.scalar(0f).requiresGrad(true);
    IllegalStateException e;
    try (var anomaly = Autograd.detectAnomaly()) {
      Tensor loss = x.sqrt().sum(); // d sqrt(x)/dx = 1/(2·sqrt(0)) = inf
      e = assertThrowsWith(IllegalStateException.class, loss::backward, "'sqrt'", "Infinity");
    }
    assertNotNull(e.getCause(), "the forward call site is attached as the cause");
    assertTrue(e.getCause().getMessage().contains("sqrt"), e.getCause().getMessage());
  }

  @Test
  void anomalyModeNamesLogOfZero() {
    Tensor x = param(0, 1);
    try (var anomaly = Autograd.detectAnomaly()) {
      Tensor loss = x.log().sum();
      assertThrowsWith(IllegalStateException.class, loss::backward, "'log'", "flat index 0");
    }
  }

  @Test
  void withoutAnomalyModeTheInfinityJustArrives() {
    Tensor x = Tensor.scalar(0f).requiresGrad(true);
    x.sqrt().sum().backward();
    assertEquals(Float.POSITIVE_INFINITY, x.grad().item());
  }

  // ---------------------------------------------------------------- custom functions

  private static Function cube(boolean wrongShape) {
    return new Function("cube") {
      @Override
      protected Tensor forward(Context ctx, Tensor... x) {
        ctx.saveForBackward(x[0]);
        return x[0].pow(3f);
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor x = ctx.saved(0);
        Tensor gx = g.mul(x.pow(2f)).mul(3f);
        return new Tensor[] {wrongShape ? gx.sum() : gx};
      }
    };
  }

  @Test
  void aCustomFunctionRecordsOneNodeAndItsBackwardRuns() {
    Tensor x = param(1, 2, -1);
    Tensor y = cube(false).apply(x);
    assertEquals("cube", y.gradFn());
    assertArrayEquals(new float[] {1, 8, -1}, y.toArray(), 0f);
    y.sum().backward();
    assertGrad(new float[] {3, 12, 3}, x);
  }

  @Test
  void aCustomFunctionOnConstantsRecordsNothing() {
    Tensor y = cube(false).apply(Tensor.of(new float[] {2}));
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
  }

  @Test
  void aCustomBackwardOfTheWrongShapeIsReportedWithNameAndShapes() {
    Tensor x = param(1, 2, 3);
    Tensor y = cube(true).apply(x);
    assertThrowsWith(IllegalStateException.class, () -> y.sum().backward(), "cube", "[]", "[3]");
  }

  @Test
  void aCustomFunctionsSavedTensorIsVersionChecked() {
    Tensor x = param(1, 2);
    Tensor y = cube(false).apply(x);
    try (var scope = Autograd.noGrad()) {
      x.mulInPlace(2f);
    }
    assertThrowsWith(IllegalStateException.class, () -> y.sum().backward(), "'cube'", "modified in place");
  }
}
