package dev.downhill.examples;

import static dev.downhill.examples.DemoOutputTest.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.examples.kit.Out;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chapter 8's five homework demos, each run once (through {@link DemoRuns}, so DemoOutputTest's
 * picture checks reuse the run): the numbers asserted are those that follow from mathematics or
 * from the seeded data and the same initial weights, never the exact value of a long training run.
 */
class HomeworkTest {
  static final String NUM = "(-?[0-9]+(?:\\.[0-9]+)?(?:e[-+][0-9]+)?|NaN)";

  @Test
  void hw1HandWrittenLossesEqualTheEngineAndCrossEntropyLearnsFaster() {
    Out out = DemoRuns.run("ch8-hw1-mse-vs-ce");
    for (String loss : new String[] {"MSE", "CrossEntropy"}) {
      List<Double> d = numbers(out, "^" + loss + " on .*: mine " + NUM + ", Loss\\.\\w+ " + NUM
          + "; largest difference: value " + NUM + ", gradient " + NUM + " \\(of gradients up to " + NUM + "\\)");
      assertEquals(5, d.size(), loss + ": " + out.text());
      // Both are float32 compositions of a few dozen roundings: the bound is 1e-6 relative in value
      // and 1e-5 of the largest gradient entry (measured: 0 and 6e-8).
      assertTrue(d.get(2) <= 1e-6 * Math.abs(d.get(1)), loss + " value differs: " + d);
      assertTrue(d.get(3) <= 1e-5 * d.get(4), loss + " gradient differs: " + d);
    }

    // Logits [0, 0, 8], true class 0: ‖softmax − onehot‖ for cross-entropy, and MSE's gradient through
    // the softmax's Jacobian, (2/3)·Σ_c (p_c − t_c)·p_c·(δ_cj − p_j), computed here in double.
    double e8 = Math.exp(8);
    double[] p = {1 / (2 + e8), 1 / (2 + e8), e8 / (2 + e8)};
    double[] t = {1, 0, 0};
    double ce = Math.sqrt(Math.pow(p[0] - 1, 2) + p[1] * p[1] + p[2] * p[2]);
    double mse = 0;
    for (int j = 0; j < 3; j++) {
      double g = 0;
      for (int c = 0; c < 3; c++) {
        g += 2.0 / 3 * (p[c] - t[c]) * p[c] * ((c == j ? 1 : 0) - p[j]);
      }
      mse += g * g;
    }
    mse = Math.sqrt(mse);
    List<Double> g = numbers(out, "gradient norm on the logits is " + NUM + " with CrossEntropy and " + NUM + " with MSE");
    assertEquals(ce, g.get(0), 1e-4, "cross-entropy's gradient: " + g);
    assertEquals(mse, g.get(1), mse * 0.01, "MSE's gradient: " + g);

    List<Double> mseRun = numbers(out, "^MSE \\(softmax vs one-hot\\)\\s*: loss " + NUM + " -> " + NUM + ", train accuracy " + NUM);
    List<Double> ceRun = numbers(out, "^CrossEntropy\\s*: loss " + NUM + " -> " + NUM + ", train accuracy " + NUM);
    assertEquals(Math.log(3), ceRun.get(0), 0.1, "an untrained 3-class net starts near ln 3: " + ceRun);
    assertTrue(ceRun.get(2) > mseRun.get(2) + 0.1, "cross-entropy learns faster: " + ceRun + " " + mseRun);
    assertTrue(out.text().contains("Conclusion: with the same lr and start, cross-entropy learned faster"), out.text());
  }

  @Test
  void hw2StartsEveryLrFromTheSameLossAndSgdDivergesAtPointThree() {
    Out out = DemoRuns.run("ch8-hw2-lr-sweep");
    List<Double> starts = numbers(out, "^  LR=\\S+\\s+loss " + NUM + " -> ");
    assertEquals(10, starts.size(), out.text());
    assertTrue(starts.stream().distinct().count() == 1, "the same initial weights give the same first loss: " + starts);
    assertTrue(out.text().contains("At LR=0.3 SGD's loss overflowed: not a number from epoch"), out.text());
    List<Double> sgd = numbers(out, "^  LR=(1e-05|0\\.0001|0\\.001|0\\.01):\\s+loss " + NUM + " -> " + NUM);
    // SGD's four lrs (first four matches): a larger lr ends lower, none below the noise floor's 0.01
    for (int i = 1; i < 4; i++) {
      assertTrue(sgd.get(3 * i + 2) < sgd.get(3 * i - 1), "SGD: larger lr, lower loss: " + sgd);
    }
    List<Double> adamBest = numbers(out, "Best of the chapter's four for Adam: LR=" + NUM);
    assertEquals(1, adamBest.size(), out.text());
  }

  @Test
  void hw3RacersStartTogetherAndAdamWTracksAdam() {
    Out out = DemoRuns.run("ch8-hw3-optimizer-race");
    List<Double> starts = numbers(out, "^  \\S.*? loss " + NUM + " -> " + NUM + ";");
    assertEquals(8, starts.size(), out.text());
    for (int i = 1; i < 4; i++) {
      assertEquals(starts.get(0), starts.get(2 * i), "the same initial weights: " + starts);
    }
    assertEquals(Math.log(3), starts.get(0), 0.1, "an untrained 3-class net starts near ln 3");
    assertTrue(starts.get(3) < starts.get(1), "momentum ends below plain SGD at the same lr: " + starts);
    double gap = numbers(out, "Adam and AdamW differ by at most " + NUM).get(0);
    assertTrue(gap < 0.01, "AdamW's decay of 1e-5 per step barely moves it from Adam: " + gap);
    assertTrue(out.text().contains("Fastest to 0.2: "), out.text());
  }

  @Test
  void hw4ClippingCutsTheFirstLayerByOrdersOfMagnitudeAndTheRemediesUnvanish() {
    Out out = DemoRuns.run("ch8-hw4-clipping");
    List<Double> clip = numbers(out, "total norm " + NUM + " before; layer 1 " + NUM + " before, " + NUM + " after");
    assertEquals(3, clip.size(), out.text());
    double total = clip.get(0);
    double before = clip.get(1);
    double after = clip.get(2);
    assertTrue(before > 1e3 * after, "unclipped first layer orders of magnitude above the clipped one: " + clip);
    // clip_grad_norm_ scales every gradient by max_norm / (total + 1e-6): exactly that ratio, and ≤ 1
    assertEquals(before / (total + 1e-6), after, after * 2e-3, "the clipping coefficient: " + clip);
    assertTrue(after <= 1.0, "no layer's norm exceeds the total max norm 1: " + clip);

    List<Double> tanh = numbers(out, "^tanh, default init: layer 1 " + NUM + ", layer 20 " + NUM);
    List<Double> sigmoid = numbers(out, "^sigmoid, default init: layer 1 " + NUM + ", layer 20 " + NUM);
    assertTrue(tanh.get(0) < 1e-3 * tanh.get(1), "tanh vanishes toward the input: " + tanh);
    assertTrue(sigmoid.get(0) < 1e-10 * sigmoid.get(1), "sigmoid' ≤ 1/4 per layer, 19 layers: " + sigmoid);
    List<Double> res = numbers(out, "^tanh \\+ Residual:\\s+layer 1 " + NUM + ", layer 20 " + NUM);
    List<Double> ln = numbers(out, "^tanh \\+ LayerNorm:\\s+layer 1 " + NUM + ", layer 20 " + NUM);
    assertTrue(res.get(0) > 1e3 * tanh.get(0) && ln.get(0) > 1e3 * tanh.get(0),
        "residual connections and LayerNorm bring the first layer's gradient back: " + res + " " + ln);
    assertTrue(out.text().contains("without clipping loss") && out.text().contains("not a number from step 1"), out.text());
  }

  @Test
  void hw5ValidationFallsBehindTrainingAndTheLowestValidationLossComesEarly() {
    Out out = DemoRuns.run("ch8-hw5-overfit-val");
    List<Double> plain = numbers(out, "^Adam, no regularisation: train_acc " + NUM + ", val_acc " + NUM + " \\(gap " + NUM
        + "\\); train loss " + NUM + ", val loss " + NUM);
    assertEquals(5, plain.size(), out.text());
    assertTrue(plain.get(1) < plain.get(0), "validation accuracy below training accuracy: " + plain);
    assertTrue(plain.get(4) > 3 * plain.get(3), "validation loss far above training loss: " + plain);
    List<Double> best = numbers(out, "Lowest validation loss " + NUM + " at epoch " + NUM);
    assertTrue(best.get(1) < 149 && best.get(0) < plain.get(4), "the lowest validation loss comes before the end: " + best);
    List<Double> reg = numbers(out, "dropout 0\\.5: train_acc " + NUM + ", val_acc " + NUM + " \\(gap " + NUM);
    assertEquals(3, reg.size(), out.text());
    assertTrue(out.text().contains("Conclusion: the accuracy gap "), out.text());
  }
}
