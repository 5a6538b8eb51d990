package dev.downhill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @Test
  void accuracyCountsTheArgmaxHits() {
    Tensor logits = Tensor.of(new float[][] {{1, 2, 0}, {3, 1, 1}, {0, 0, 5}, {2, 2, 1}});
    Tensor target = Tensor.of(new float[] {1, 0, 1, 0}); // hit, hit, miss, hit (tie: first)
    assertEquals(0.75, Metrics.accuracy(logits, target));
    assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(logits, Tensor.zeros(3)));
  }

  @Test
  void gradNormIsTheNormOfAllGradientsTogether() {
    Tensor a = Tensor.of(new float[] {1, 2}).requiresGrad(true);
    Tensor b = Tensor.of(new float[] {3}).requiresGrad(true);
    a.mul(Tensor.of(new float[] {3, 4})).sum().add(b.mul(12f).sum()).backward();
    assertEquals(13.0, Metrics.gradNorm(List.of(a, b)), 1e-6);
  }

  @Test
  void runningMeanWeightsByCount() {
    RunningMean m = new RunningMean();
    assertTrue(Double.isNaN(m.mean()));
    m.add(1.0, 3).add(Tensor.scalar(3f), 1);
    assertEquals(1.5, m.mean());
    m.reset();
    assertEquals(0, m.count());
  }

  @Test
  void divergenceGuardNamesTheStepAndTheParameter() {
    DivergenceGuard guard = new DivergenceGuard();
    guard.checkLoss(3, 1.5);
    var e = assertThrows(TrainingDivergedException.class, () -> guard.checkLoss(17, Double.NaN));
    assertEquals("training diverged at step 17: the loss is NaN (try a smaller learning rate, or Autograd.detectAnomaly() to find the op)",
        e.getMessage());
    assertEquals(17, e.step());
    Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
    Tensor v = Tensor.of(new float[] {0, 1}).requiresGrad(true);
    w.mul(Tensor.of(new float[] {1, 1})).sum().add(v.log().sum()).backward(); // d/dv log v at 0: inf
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("layers.0.weight", w);
    params.put("layers.0.bias", v);
    var g = assertThrows(TrainingDivergedException.class, () -> guard.checkGradients(8, params));
    assertEquals("training diverged at step 8: the gradient of layers.0.bias is infinite (in some element)", g.getMessage());
  }

  @Test
  void earlyStoppingWaitsPatienceEpochs() {
    EarlyStopping es = new EarlyStopping(2);
    assertFalse(es.update(0, 1.0));
    assertTrue(es.improved());
    assertFalse(es.update(1, 0.8));
    assertFalse(es.update(2, 0.9));
    assertFalse(es.improved());
    assertTrue(es.update(3, 0.85));
    assertEquals(0.8, es.best());
    assertEquals(1, es.bestEpoch());
    assertEquals("no improvement in valLoss for 2 epochs (best 0.8 at epoch 1)", es.reason("valLoss"));
    EarlyStopping acc = new EarlyStopping(1, 0.01, EarlyStopping.Mode.MAX);
    assertFalse(acc.update(0, 0.5));
    assertTrue(acc.update(1, 0.505), "less than minDelta better is no improvement");
  }

  @Test
  void historyWritesCsv(@TempDir Path dir) throws Exception {
    History h = new History();
    h.steps().log(0, "loss", 0.5f).log(0, "lr", 1e-3).log(1, "loss", 0.25f);
    h.epochs().log(0, "trainLoss", 0.375).log(0, "valAccuracy", 0.9f);
    assertEquals("step,loss,lr\n0,0.5,0.001\n1,0.25,\n", h.steps().toCsv());
    assertArrayEquals(new long[] {0, 1}, h.steps().series("loss").index());
    assertArrayEquals(new double[] {0.5, 0.25}, h.steps().series("loss").values());
    h.writeCsv(dir);
    assertEquals("epoch,trainLoss,valAccuracy\n0,0.375,0.9\n", Files.readString(dir.resolve("epochs.csv")));
    assertEquals(h.steps().toCsv(), Files.readString(dir.resolve("steps.csv")));
  }
}
