package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import java.nio.file.Path;

/**
 * Chapter 8.5, "Why can low loss also cause collapse?": a 100-500-500-2 MLP (about 300 000
 * parameters) trained by Adam on 10 samples of 100 random features with random labels, 100 epochs.
 * The chapter only says the model "will perform poorly on test data"; here it is measured on 1000
 * fresh samples from the same distribution, every epoch.
 */
public final class Ch8Overfit implements Demo {

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    // 少量数据 | Small dataset
    Tensor xTrain = Tensor.randn(gen, 10, 100);
    Tensor yTrain = Tensor.randint(gen, 0, 2, 10);
    // 同分布的新数据 | fresh samples from the same distribution
    Tensor xVal = Tensor.randn(gen, 1000, 100);
    Tensor yVal = Tensor.randint(gen, 0, 2, 1000);

    // 巨大模型 | Huge model
    Sequential model = new Sequential(
        new Linear(100, 500, gen),
        new ReLU(),
        new Linear(500, 500, gen),
        new ReLU(),
        new Linear(500, 2, gen));

    Adam optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
    double[] trainLoss = new double[100];
    double[] valLoss = new double[100];
    double valAcc = 0;
    for (int epoch = 0; epoch < 100; epoch++) {
      optimizer.zeroGrad();
      Tensor logits = model.forward(xTrain);
      Tensor loss = Loss.crossEntropy(logits, yTrain); // criterion = CrossEntropyLoss()
      loss.backward();
      optimizer.step();
      trainLoss[epoch] = loss.item();

      if (epoch % 20 == 0) {
        // 训练准确率 | Training accuracy
        Tensor pred = logits.argmax(-1, false);
        Tensor acc = pred.eq(yTrain).mean(); // (pred == y_train).float().mean()
        out.printf("Epoch %d: loss=%.4f, train_acc=%.2f", epoch, loss.item(), acc.item());
      }
      try (var noGrad = Autograd.noGrad()) {
        Tensor valLogits = model.forward(xVal);
        valLoss[epoch] = Loss.crossEntropy(valLogits, yVal).item();
        valAcc = valLogits.argmax(-1, false).eq(yVal).mean().item();
      }
    }
    try (var noGrad = Autograd.noGrad()) {
      Tensor trainAcc = model.forward(xTrain).argmax(-1, false).eq(yTrain).mean();
      out.printf("After 100 epochs: train loss=%.4f, train_acc=%.2f", trainLoss[99], trainAcc.item());
    }
    out.printf("Validation on 1000 fresh samples: loss=%.4f, val_acc=%.2f", valLoss[99], valAcc);
    out.println("The labels are coin flips, so nothing can generalize: the model memorised the 10 training samples"
        + " (train loss -> 0, train_acc 1.00) while validation accuracy stays near chance (0.5) and validation loss"
        + " grows.");

    Chart.of(Text.zh("过拟合:训练 loss 与验证 loss", "Overfitting: training vs validation loss"), "Epoch",
            Text.zh("交叉熵(对数坐标)", "Cross-entropy (log scale)"))
        .logY()
        .line(Text.zh("训练 (10 个样本)", "train (10 samples)"), trainLoss)
        .line(Text.zh("验证 (1000 个新样本)", "validation (1000 fresh samples)"), valLoss)
        .save(out, "ch8-overfit.png", 800, 420);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-overfit", args);
  }
}
