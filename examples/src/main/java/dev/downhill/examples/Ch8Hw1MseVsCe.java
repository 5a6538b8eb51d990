package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Figure;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Regions;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.ToyData;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.SGD;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Chapter 8, homework 1, "implement MSE and CrossEntropy and compare them on the same data": both
 * losses written from tensor primitives, checked against the engine's {@code Loss.mseLoss} and
 * {@code Loss.crossEntropy} in value and gradient; then one classifier (2-64-64-3, ReLU) trained
 * from the same weights on a 3-arm spiral, once with MSE between softmax probabilities and one-hot
 * targets, once with cross-entropy on the logits (plain SGD, the same lr, full batch); and the
 * gradient each loss gives the logits of a confidently wrong prediction.
 */
public final class Ch8Hw1MseVsCe implements Demo {
  static final int EPOCHS = 300;
  static final float LR = 0.5f;

  /** MSE: the mean of the squared differences. */
  static Tensor mse(Tensor pred, Tensor target) {
    return pred.sub(target).pow(2f).mean();
  }

  /** CrossEntropy: log Σ exp(z) − z[y] per row (log-sum-exp shifted by the row's max), averaged. */
  static Tensor crossEntropy(Tensor logits, Tensor labels) {
    Tensor m = logits.max(1, true).values().detach();
    Tensor logSumExp = logits.sub(m).exp().sum(1, true).log().add(m); // [N, 1]
    Tensor target = logits.gather(1, labels.unsqueeze(1)); //            [N, 1]: z[y]
    return logSumExp.sub(target).mean();
  }

  static Tensor oneHot(Tensor labels, int classes) {
    return Tensor.arange(classes).eq(labels.unsqueeze(1)); // [N, 1] == [C] → [N, C]
  }

  /** The largest |difference| between two losses of (a, b) in value and in the gradient wrt a. */
  static double[] compare(BinaryOperator<Tensor> mine, BinaryOperator<Tensor> engine, Tensor a, Tensor b) {
    Tensor a1 = a.detach().requiresGrad(true);
    Tensor a2 = a.detach().requiresGrad(true);
    Tensor l1 = mine.apply(a1, b);
    Tensor l2 = engine.apply(a2, b);
    l1.backward();
    l2.backward();
    double grad = a1.grad().sub(a2.grad()).abs().max().item();
    double scale = a2.grad().abs().max().item();
    return new double[] {l1.item(), l2.item(), Math.abs(l1.item() - l2.item()), grad, scale};
  }

  record Run(double[] loss, double[] acc, Sequential model) {}

  static Run train(Map<String, Tensor> init, ToyData.Data data, boolean useMse) {
    Sequential model = new Sequential(new Linear(2, 64, new Generator(0)), new ReLU(), new Linear(64, 64, new Generator(0)),
        new ReLU(), new Linear(64, 3, new Generator(0)));
    model.loadStateDict(init); // the same initial weights for both losses
    SGD optimizer = new SGD(model.parameters(), SGD.options().lr(LR));
    Tensor target = oneHot(data.y(), 3);
    double[] losses = new double[EPOCHS];
    double[] accs = new double[EPOCHS];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      optimizer.zeroGrad();
      Tensor logits = model.forward(data.x());
      Tensor loss = useMse ? mse(logits.softmax(1), target) : crossEntropy(logits, data.y());
      loss.backward();
      optimizer.step();
      losses[epoch] = loss.item();
      accs[epoch] = logits.argmax(1, false).eq(data.y()).mean().item();
    }
    return new Run(losses, accs, model);
  }

  /** The first epoch whose accuracy reaches {@code level}, or −1. */
  static int epochTo(double[] acc, double level) {
    for (int i = 0; i < acc.length; i++) {
      if (acc[i] >= level) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);

    // 1. The hand-written losses against the engine's, on the same random data.
    Tensor pred = Tensor.randn(gen, 64, 3);
    Tensor target = Tensor.randn(gen, 64, 3);
    Tensor logits = Tensor.randn(gen, 64, 3).mul(3f);
    Tensor labels = Tensor.randint(gen, 0, 3, 64);
    double[] m = compare(Ch8Hw1MseVsCe::mse, Loss::mseLoss, pred, target);
    double[] c = compare(Ch8Hw1MseVsCe::crossEntropy, Loss::crossEntropy, logits, labels);
    out.printf("MSE on 64×3 random numbers: mine %.7f, Loss.mseLoss %.7f; largest difference: value %.2e,"
        + " gradient %.2e (of gradients up to %.2e)", m[0], m[1], m[2], m[3], m[4]);
    out.printf("CrossEntropy on 64×3 logits: mine %.7f, Loss.crossEntropy %.7f; largest difference: value %.2e,"
        + " gradient %.2e (of gradients up to %.2e)", c[0], c[1], c[2], c[3], c[4]);
    double worst = Math.max(Math.max(m[2] / Math.abs(m[1]), c[2] / Math.abs(c[1])), Math.max(m[3] / m[4], c[3] / c[4]));
    out.printf("Largest relative difference %.1e: %s float32 rounding (6e-8 per operation, a few dozen operations).",
        worst, worst < 1e-5 ? "within" : "NOT within");

    // 2. The same classifier trained with each loss.
    ToyData.Data spiral = ToyData.spiral(gen, 100, 3, 0.2);
    Map<String, Tensor> init = new Sequential(new Linear(2, 64, gen), new ReLU(), new Linear(64, 64, gen), new ReLU(),
        new Linear(64, 3, gen)).stateDict();
    Run withMse = train(init, spiral, true);
    Run withCe = train(init, spiral, false);
    for (var r : new Object[][] {{"MSE (softmax vs one-hot)", withMse}, {"CrossEntropy", withCe}}) {
      Run run = (Run) r[1];
      int e90 = epochTo(run.acc(), 0.9);
      out.printf("%-24s: loss %.4f -> %.4f, train accuracy %.2f after %d epochs; 90%% accuracy %s", r[0], run.loss()[0],
          run.loss()[EPOCHS - 1], run.acc()[EPOCHS - 1], EPOCHS, e90 < 0 ? "never reached" : "at epoch " + e90);
    }

    // 3. A confidently wrong prediction: the true class is 0, the model puts logit d on class 2.
    double[] ds = new double[57];
    double[] gCe = new double[ds.length];
    double[] gMse = new double[ds.length];
    Tensor y0 = Tensor.of(new float[] {0});
    for (int i = 0; i < ds.length; i++) {
      ds[i] = -4 + 0.25 * i;
      double[] g = wrongGradients((float) ds[i], y0);
      gCe[i] = g[0];
      gMse[i] = g[1];
    }
    double[] at8 = wrongGradients(8f, y0);
    out.printf("Logits [0, 0, 8] for true class 0 (p = %.4f on the true class): the gradient norm on the logits is %.4f"
        + " with CrossEntropy and %.2e with MSE, %.0f× smaller.", probTrue(8f), at8[0], at8[1], at8[0] / at8[1]);
    Tensor z = Tensor.of(new float[] {0, 0, 8}, 1, 3).requiresGrad(true);
    crossEntropy(z, y0).backward();
    float[] ceGrad = z.grad().toArray();
    float[] p = z.detach().softmax(1).toArray();
    out.printf("Why: CrossEntropy's gradient is softmax − one-hot = [%.4f, %.4f, %.4f], about 1 on the true and the"
        + " wrong class however wrong the model is; MSE's goes through the softmax's slope, p(1 − p) = %.1e on the true"
        + " class and %.1e on the wrong one, so the more confident the mistake, the less it is corrected.", ceGrad[0],
        ceGrad[1], ceGrad[2], p[0] * (1 - p[0]), p[2] * (1 - p[2]));
    double ceAcc = withCe.acc()[EPOCHS - 1];
    double mseAcc = withMse.acc()[EPOCHS - 1];
    out.printf("Conclusion: with the same lr and start, %s after %d epochs (accuracy %.2f against %.2f).",
        ceAcc > mseAcc + 0.02 ? "cross-entropy learned faster" : mseAcc > ceAcc + 0.02 ? "MSE learned faster"
            : "both reached about the same accuracy", EPOCHS, ceAcc, mseAcc);

    // Charts: loss and accuracy curves, the gradient against confidence, the two decision regions.
    String mseName = "MSE";
    String ceName = "CrossEntropy";
    var loss = Chart.of(Text.zh("训练 loss", "Training loss"), "Epoch", Text.zh("loss(对数坐标)", "loss (log scale)"))
        .logY().line(mseName, withMse.loss()).line(ceName, withCe.loss())
        .subtitle(Text.zh("SGD lr 0.5,全批量,相同初始权重;两种 loss 的刻度不同", "SGD lr 0.5, full batch, same initial weights; the two losses have different scales"));
    var acc = Chart.of(Text.zh("训练准确率", "Training accuracy"), "Epoch", Text.zh("准确率", "accuracy")).yRange(0, 1.02)
        .line(mseName, withMse.acc()).line(ceName, withCe.acc());
    Figure.row(out, "ch8-hw1-curves.png", loss.image(560, 420), acc.image(560, 420));
    Chart.of(Text.zh("自信地错了:loss 对 logits 的梯度", "Confidently wrong: the gradient on the logits"),
            Text.zh("错误类别的 logit d(logits = [0, 0, d],真实类别 0)", "wrong class logit d (logits [0, 0, d], true class 0)"),
            Text.zh("‖∂loss/∂logits‖(对数坐标)", "‖∂loss/∂logits‖ (log scale)"))
        .logY().line(ceName, ds, gCe).line(mseName + " (softmax vs one-hot)", ds, gMse)
        .save(out, "ch8-hw1-gradient.png", 800, 420);
    Figure.row(out, "ch8-hw1-regions.png",
        Regions.of(String.format("MSE: acc %.2f", mseAcc), withMse.model()::forward, 3).range(-1.2, 1.2, -1.2, 1.2)
            .points(null, spiral.x(), spiral.y(), false).image(520, 500),
        Regions.of(String.format("CrossEntropy: acc %.2f", ceAcc), withCe.model()::forward, 3).range(-1.2, 1.2, -1.2, 1.2)
            .points(null, spiral.x(), spiral.y(), false).image(520, 500));
    return out;
  }

  private static double probTrue(float d) {
    return 1 / (2 + Math.exp(d));
  }

  /** ‖∂loss/∂logits‖ for logits [0, 0, d] and true class 0: cross-entropy, then MSE of the softmax. */
  private static double[] wrongGradients(float d, Tensor y) {
    double[] g = new double[2];
    for (int k = 0; k < 2; k++) {
      Tensor z = Tensor.of(new float[] {0, 0, d}, 1, 3).requiresGrad(true);
      Tensor loss = k == 0 ? crossEntropy(z, y) : mse(z.softmax(1), oneHot(y, 3));
      loss.backward();
      try (var noGrad = Autograd.noGrad()) {
        g[k] = z.grad().norm().item();
      }
    }
    return g;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-hw1-mse-vs-ce", args);
  }
}
