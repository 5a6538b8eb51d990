package dev.downhill.examples;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.optim.Adam;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Gradient descent article, notebook part 3: 200 samples of y = 3x + 1 + 0.1·noise, a fresh
 * {@code Linear(1, 1)} trained for 50 full-batch epochs by SGD (lr 0.05) and by Adam (lr 0.01), both
 * loss curves on one chart. Unlike the article (whose two {@code build_model()} calls draw different
 * weights), both models start from the same weights, so the curves differ only by the optimizer.
 */
public final class GdSgdVsAdam implements Demo {
  private Tensor X;
  private Tensor y;

  static Linear buildModel() {
    return new Linear(1, 1, new Generator(1)); // the same initial weights every time
  }

  double[] train(BiFunction<List<Tensor>, Double, Optimizer> optimizerType, double lr) {
    Linear model = buildModel();
    Optimizer optimizer = optimizerType.apply(model.parameters(), lr);
    double[] losses = new double[50];
    for (int epoch = 0; epoch < 50; epoch++) {
      optimizer.zeroGrad();
      Tensor yPred = model.forward(X);
      Tensor loss = Loss.mseLoss(yPred, y);
      loss.backward();
      optimizer.step();
      losses[epoch] = loss.item();
    }
    return losses;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0); // torch.manual_seed(0)
    X = Tensor.randn(gen, 200, 1);
    y = X.mul(3f).add(1f).add(Tensor.randn(gen, 200, 1).mul(0.1f));

    double[] lossSgd = train((params, lr) -> new SGD(params, SGD.options().lr(lr)), 0.05);
    double[] lossAdam = train((params, lr) -> new Adam(params, Adam.options().lr(lr)), 0.01);
    out.println("Both models start from the same weights (the article's two build_model() calls draw different ones).");
    out.printf("SGD  lr=0.05: loss %.4f at epoch 0, %.4f at epoch 49", lossSgd[0], lossSgd[49]);
    out.printf("Adam lr=0.01: loss %.4f at epoch 0, %.4f at epoch 49", lossAdam[0], lossAdam[49]);
    boolean sgdWins = lossSgd[49] < lossAdam[49];
    out.println((sgdWins ? "SGD" : "Adam") + " ends lower here."
        + (sgdWins ? " Adam's steps are about lr = 0.01 each whatever the gradient, so in 50 epochs w can move about"
            + " 0.5 of the way to 3; SGD's steps are lr times the gradient, large while the loss is." : ""));

    Chart.of(Text.zh("优化器收敛速度对比:SGD vs Adam", "Optimizer convergence: SGD vs Adam"), "Epoch", "Loss")
        .line("SGD", lossSgd)
        .line("Adam", lossAdam)
        .save(out, "gd-sgd-vs-adam.png", 800, 400);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-sgd-vs-adam", args);
  }
}
