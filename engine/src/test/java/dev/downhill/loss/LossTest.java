package dev.downhill.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** The chapter's values, the bad-input messages, and stability for huge logits. */
class LossTest {

  @Test
  void chapterMseIs0130() {
    Tensor pred = Tensor.of(new float[] {2.5f, 0.0f, 2.1f, 1.6f});
    Tensor target = Tensor.of(new float[] {3.0f, -0.5f, 2.0f, 1.5f});
    assertEquals(0.13f, Loss.mseLoss(pred, target).item(), 1e-6f);
  }

  @Test
  void chapterCrossEntropyIs0417WithTheChaptersProbabilities() {
    Tensor logits = Tensor.of(new float[][] {{2.0f, 1.0f, 0.1f}});
    Tensor label = Tensor.of(new float[] {0f});
    assertEquals(0.4170f, Loss.crossEntropy(logits, label).item(), 5e-5f);
    assertArrayEquals(new float[] {0.6590f, 0.2424f, 0.0986f}, logits.softmax(1).toArray(), 5e-5f);
  }

  @Test
  void gradientIsSoftmaxMinusOneHotOverN() {
    Tensor logits = Tensor.of(new float[][] {{2.0f, 1.0f, 0.1f}, {0f, 0f, 0f}}).requiresGrad(true);
    Loss.crossEntropy(logits, Tensor.of(new float[] {0f, 2f})).backward();
    float[] p = logits.detach().softmax(1).toArray();
    float[] expected = {(p[0] - 1) / 2, p[1] / 2, p[2] / 2, p[3] / 2, p[4] / 2, (p[5] - 1) / 2};
    assertArrayEquals(expected, logits.grad().toArray(), 1e-7f);
  }

  @Test
  void fusedCrossEntropyEqualsLogSoftmaxThenNll() {
    Tensor logits = Tensor.randn(new dev.downhill.autograd.Generator(3), 5, 7);
    Tensor labels = Tensor.of(new float[] {0, 6, 3, 3, 1});
    CrossEntropyOptions o = CrossEntropyOptions.defaults().weight(Tensor.arange(7).add(0.5f)).ignoreIndex(3);
    assertEquals(Loss.nllLoss(logits.logSoftmax(1), labels, o).item(), Loss.crossEntropy(logits, labels, o).item(), 1e-6f);
  }

  @Test
  void logitsOfTenThousandGiveFiniteCorrectLossesAndGradients() {
    Tensor logits = Tensor.of(new float[][] {{1e4f, -1e4f, 0f}, {-1e4f, -1e4f, -1e4f}}).requiresGrad(true);
    Tensor loss = Loss.crossEntropy(logits, Tensor.of(new float[] {1f, 2f}), Reduction.NONE);
    assertArrayEquals(new float[] {2e4f, (float) Math.log(3)}, loss.toArray(), 1e-6f);
    loss.sum().backward();
    for (float g : logits.grad().toArray()) assertTrue(Float.isFinite(g));
    Tensor z = Tensor.of(new float[] {1e4f, -1e4f, 1e4f, -1e4f});
    Tensor y = Tensor.of(new float[] {0f, 1f, 1f, 0f});
    assertArrayEquals(new float[] {1e4f, 1e4f, 0f, 0f},
        Loss.binaryCrossEntropyWithLogits(z, y, null, null, Reduction.NONE).toArray(), 1e-3f);
  }

  @Test
  void everyTargetIgnoredGivesZeroNotNaN() {
    Tensor logits = Tensor.of(new float[][] {{1f, 2f}}).requiresGrad(true);
    Tensor loss = Loss.crossEntropy(logits, Tensor.of(new float[] {-100f}));
    assertEquals(0f, loss.item());
    loss.backward();
    assertArrayEquals(new float[] {0f, 0f}, logits.grad().toArray());
  }

  @Test
  void meanWithAZeroDivisorGivesZeroAsDocumented() {
    assertEquals(0f, Loss.crossEntropy(Tensor.zeros(0, 3), Tensor.zeros(0)).item());
    assertEquals(0f, Loss.crossEntropy(Tensor.zeros(0, 3), Tensor.zeros(0, 3)).item());
    var zeroWeights = CrossEntropyOptions.defaults().weight(Tensor.of(new float[] {0f, 1f, 1f}));
    assertEquals(0f, Loss.nllLoss(Tensor.full(-1f, 2, 3), Tensor.of(new float[] {0f, 0f}), zeroWeights).item());
  }

  @Test
  void classIndexOutOfRangeNamesIndexPositionAndC() {
    Tensor logits = Tensor.zeros(2, 3, 4);
    Tensor target = Tensor.of(new float[] {0, 1, 2, 1, 3, 0, 2, 1}, 2, 4);
    var e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, target));
    assertEquals("crossEntropy: class index 3 at position [1, 0] is out of range for C = 3 classes"
        + " (expected 0 to 2, or ignoreIndex -100)", e.getMessage());
    var neg = assertThrows(IllegalArgumentException.class,
        () -> Loss.nllLoss(Tensor.zeros(2, 3), Tensor.of(new float[] {0f, -1f})));
    assertTrue(neg.getMessage().contains("class index -1 at position [1]"), neg.getMessage());
  }

  @Test
  void probabilityTargetsRefuseANonNegativeIgnoreIndex() {
    Tensor logits = Tensor.zeros(2, 3);
    Tensor probs = Tensor.full(1f / 3, 2, 3);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Loss.crossEntropy(logits, probs, CrossEntropyOptions.defaults().ignoreIndex(0)));
    assertEquals("crossEntropy: ignoreIndex 0 is not supported for probability targets"
        + " (PyTorch: only a negative ignore_index is allowed)", e.getMessage());
    float ln3 = (float) Math.log(3);
    assertEquals(ln3, Loss.crossEntropy(logits, probs).item(), 1e-6f);
    assertEquals(ln3, Loss.crossEntropy(logits, probs, CrossEntropyOptions.defaults().ignoreIndex(-1)).item(), 1e-6f);
  }

  @Test
  void regressionLossesDifferentiateTheTargetClassificationLossesDoNot() {
    Tensor x = Tensor.of(new float[] {1f, 4f}).requiresGrad(true);
    Tensor t = Tensor.of(new float[] {3f, 1f}).requiresGrad(true);
    Loss.mseLoss(x, t).backward();
    assertArrayEquals(new float[] {2f, -3f}, t.grad().toArray()); // −2·(x − t)/2
    Tensor p = Tensor.of(new float[] {0.5f, 0.5f}).requiresGrad(true);
    Loss.binaryCrossEntropy(Tensor.of(new float[] {0.3f, 0.6f}).requiresGrad(true), p).backward();
    assertEquals(null, p.grad());
  }

  @Test
  void nonIntegralTargetIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Loss.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new float[] {0f, 1.5f})));
    assertTrue(e.getMessage().startsWith("crossEntropy: target 1.5 at position [1] is not a whole number"), e.getMessage());
  }

  @Test
  void probabilityTargetOfTheWrongShapeNamesBothShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Loss.crossEntropy(Tensor.zeros(3, 4), Tensor.zeros(3, 5)));
    assertTrue(e.getMessage().startsWith("crossEntropy: probability target of shape [3, 5] does not match input of shape"
        + " [3, 4]"), e.getMessage());
    var idx = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(3, 4), Tensor.zeros(4)));
    assertTrue(idx.getMessage().contains("target of shape [4] does not fit input of shape [3, 4]: expected [3]"),
        idx.getMessage());
  }

  @Test
  void labelSmoothingOutsideZeroToOneIsRefusedWithTheValue() {
    for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
      var e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.defaults().labelSmoothing(bad));
      assertEquals("crossEntropy: labelSmoothing must be in [0, 1], got " + bad, e.getMessage());
    }
    CrossEntropyOptions.defaults().labelSmoothing(0f).labelSmoothing(1f);
  }

  @Test
  void otherBadInputs() {
    var w = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(2, 3),
        Tensor.zeros(2), CrossEntropyOptions.defaults().weight(Tensor.ones(4))));
    assertEquals("crossEntropy: weight of shape [4] does not fit C = 3 classes: expected [3]", w.getMessage());
    var s = assertThrows(IllegalArgumentException.class, () -> Loss.mseLoss(Tensor.zeros(3, 1), Tensor.zeros(3)));
    assertEquals("mseLoss: input of shape [3, 1] and target of shape [3] differ; they must have the same shape", s.getMessage());
    var p = assertThrows(IllegalArgumentException.class,
        () -> Loss.binaryCrossEntropy(Tensor.of(new float[] {0.5f, 1.25f}), Tensor.zeros(2)));
    assertEquals("binaryCrossEntropy: input must hold probabilities in [0, 1], found 1.25", p.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Loss.nllLoss(Tensor.zeros(2, 3), Tensor.zeros(2), CrossEntropyOptions.defaults().labelSmoothing(0.1f)));
    assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).softplus(0f, 20f));
  }

  @Test
  void noNaNForFiniteInputsAtTheEdges() {
    Tensor p = Tensor.of(new float[] {0f, 1f, 0f, 1f}).requiresGrad(true);
    Tensor y = Tensor.of(new float[] {1f, 0f, 0f, 1f});
    Tensor l = Loss.binaryCrossEntropy(p, y, null, Reduction.NONE);
    assertArrayEquals(new float[] {100f, 100f, 0f, 0f}, l.toArray(), 0f);
    l.sum().backward();
    for (float g : p.grad().toArray()) assertTrue(Float.isFinite(g), "gradient " + g);
  }
}
