package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.data.Batch;
import dev.downhill.data.DataLoader;
import dev.downhill.data.Dataset;
import dev.downhill.data.History;
import dev.downhill.data.Metrics;
import dev.downhill.data.Subset;
import dev.downhill.data.TensorDataset;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Figure;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Py;
import dev.downhill.examples.kit.Regions;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.ToyData;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Dropout;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.Optimizer;
import java.nio.file.Path;
import java.util.List;

/**
 * Chapter 8, homework 5, "show overfitting with little data and a big model; watch the gap between
 * training and validation accuracy": 8.5's setting (a 2-500-500-2 ReLU MLP, Adam lr 1e-3) on a
 * task that can be learned: 400 noisy two-moons points split at random into 80 for training and
 * 320 for validation ({@code Dataset.randomSplit}). Mini-batches of 16 from a shuffling
 * {@code DataLoader}; after each epoch both sets are scored in eval mode into a {@code History}. Then
 * the same run, from the same weights and batch order, with dropout 0.5 and AdamW's weight decay.
 */
public final class Ch8Hw5OverfitVal implements Demo {
  static final int EPOCHS = 150;
  static final int HIDDEN = 256;
  static final int BATCH = 16;
  static final int TRAIN = 80;
  static final double WEIGHT_DECAY = 1.0;
  static final double DROPOUT = 0.5;

  /** Per epoch: training and validation loss and accuracy, and the trained model. */
  record Run(double[] trainLoss, double[] valLoss, double[] trainAcc, double[] valAcc, Module model) {
    int bestEpoch() {
      int b = 0;
      for (int e = 0; e < valLoss.length; e++) {
        if (valLoss[e] < valLoss[b]) {
          b = e;
        }
      }
      return b;
    }

    int last() {
      return valLoss.length - 1;
    }
  }

  static Sequential model(double dropout, Generator gen) {
    return dropout == 0
        ? new Sequential(new Linear(2, HIDDEN, gen), new ReLU(), new Linear(HIDDEN, HIDDEN, gen), new ReLU(), new Linear(HIDDEN, 2, gen))
        : new Sequential(new Linear(2, HIDDEN, gen), new ReLU(), new Dropout(dropout, gen), new Linear(HIDDEN, HIDDEN, gen),
            new ReLU(), new Dropout(dropout, gen), new Linear(HIDDEN, 2, gen));
  }

  static Run train(boolean regularized, Dataset trainSet, Batch train, Batch val) {
    // Generator(1) draws the same weights for both (Dropout takes no draws at construction).
    Sequential model = model(regularized ? DROPOUT : 0, new Generator(1));
    Optimizer optimizer = regularized
        ? new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(WEIGHT_DECAY))
        : new Adam(model.parameters(), Adam.options().lr(1e-3));
    DataLoader loader = new DataLoader(trainSet, BATCH, true, false, new Generator(2)); // the same batch order for both
    History history = new History();
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      model.train();
      for (Batch b : loader) {
        optimizer.zeroGrad();
        Tensor loss = Loss.crossEntropy(model.forward(b.x()), b.y());
        loss.backward();
        optimizer.step();
      }
      model.eval();
      try (var noGrad = Autograd.noGrad()) {
        Tensor logits = model.forward(train.x());
        history.epochs().log(epoch, "trainLoss", Loss.crossEntropy(logits, train.y()).item())
            .log(epoch, "trainAccuracy", Metrics.accuracy(logits, train.y()));
        logits = model.forward(val.x());
        history.epochs().log(epoch, "valLoss", Loss.crossEntropy(logits, val.y()).item())
            .log(epoch, "valAccuracy", Metrics.accuracy(logits, val.y()));
      }
    }
    History.Table h = history.epochs();
    return new Run(h.series("trainLoss").values(), h.series("valLoss").values(), h.series("trainAccuracy").values(),
        h.series("valAccuracy").values(), model);
  }

  /** All of a dataset's samples as one batch, in order. */
  static Batch whole(Dataset d) {
    return new DataLoader(d, d.size()).iterator().next();
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    ToyData.Data moons = ToyData.moons(gen, 400, 0.35);
    // random_split: 80 samples to train on, 320 to validate
    List<Subset> split = Dataset.randomSplit(new TensorDataset(moons.x(), moons.y()), new int[] {TRAIN, 400 - TRAIN}, gen);
    Batch train = whole(split.get(0));
    Batch val = whole(split.get(1));

    Run plain = train(false, split.get(0), train, val);
    Run reg = train(true, split.get(0), train, val);
    out.printf("Two moons, noise 0.35: %d samples to train on, %d to validate; 2-%d-%d-2 MLP (%d parameters), %d epochs"
        + " of mini-batches of %d.", train.size(), val.size(), HIDDEN, HIDDEN, plain.model().parameters().stream().mapToInt(Tensor::numel).sum(),
        EPOCHS, BATCH);
    for (int e : new int[] {0, 9, 29, 59, 99, 149}) {
      out.printf("Epoch %d: train loss=%.4f, val loss=%.4f, train_acc=%.2f, val_acc=%.2f", e, plain.trainLoss()[e],
          plain.valLoss()[e], plain.trainAcc()[e], plain.valAcc()[e]);
    }
    int best = plain.bestEpoch();
    int last = plain.last();
    out.printf("Lowest validation loss %.4f at epoch %d (val_acc %.2f there); by epoch %d it has risen to %.4f (%.1f×)"
        + " while the training loss fell from %.4f to %.4f.", plain.valLoss()[best], best, plain.valAcc()[best], last,
        plain.valLoss()[last], plain.valLoss()[last] / plain.valLoss()[best], plain.trainLoss()[best], plain.trainLoss()[last]);
    double gap = plain.trainAcc()[last] - plain.valAcc()[last];
    out.printf("Adam, no regularisation: train_acc %.2f, val_acc %.2f (gap %.2f); train loss %.4f, val loss %.4f.",
        plain.trainAcc()[last], plain.valAcc()[last], gap, plain.trainLoss()[last], plain.valLoss()[last]);
    int rBest = reg.bestEpoch();
    double rGap = reg.trainAcc()[last] - reg.valAcc()[last];
    out.printf("AdamW weight decay %s + dropout %s: train_acc %.2f, val_acc %.2f (gap %.2f); train loss %.4f, val loss"
        + " %.4f (lowest %.4f at epoch %d).", Py.repr(WEIGHT_DECAY), Py.repr(DROPOUT), reg.trainAcc()[last], reg.valAcc()[last], rGap,
        reg.trainLoss()[last], reg.valLoss()[last], reg.valLoss()[rBest], rBest);
    out.printf("Conclusion: the accuracy gap %s from %.2f to %.2f and the final validation loss %s from %.4f to %.4f.",
        rGap < gap ? "shrinks" : "does not shrink", gap, rGap, reg.valLoss()[last] < plain.valLoss()[last] ? "falls" : "rises",
        plain.valLoss()[last], reg.valLoss()[last]);
    if (best < last) {
      out.printf("Early stopping at epoch %d would have kept val_acc %.2f and val loss %.4f.", best, plain.valAcc()[best],
          plain.valLoss()[best]);
    }

    String lossLabel = Text.zh("交叉熵", "cross-entropy");
    String t = Text.zh("训练", "train");
    String v = Text.zh("验证", "validation");
    String r = Text.zh("正则化", "regularised");
    java.awt.Color c0 = Chart.CYCLE[0];
    java.awt.Color c1 = Chart.CYCLE[1];
    java.awt.Color c3 = Chart.CYCLE[3];
    double[] epochs = Chart.indices(EPOCHS);
    Chart loss = Chart.of(Text.zh("Loss:训练与验证", "Loss: train and validation"), "Epoch", lossLabel).legendBelow()
        .line(t, epochs, plain.trainLoss(), c0, false).line(v, epochs, plain.valLoss(), c1, false)
        .line(t + " · " + r, epochs, reg.trainLoss(), c0, true).line(v + " · " + r, epochs, reg.valLoss(), c1, true)
        .vline(best, Text.zh("验证 loss 最低:第 " + best + " 轮", "lowest val loss: epoch " + best), c3);
    Chart acc = Chart.of(Text.zh("准确率:训练与验证", "Accuracy: train and validation"), "Epoch", Text.zh("准确率", "accuracy"))
        .yRange(0.4, 1.02).legendBelow()
        .line(t, epochs, plain.trainAcc(), c0, false).line(v, epochs, plain.valAcc(), c1, false)
        .line(t + " · " + r, epochs, reg.trainAcc(), c0, true).line(v + " · " + r, epochs, reg.valAcc(), c1, true)
        .vline(best, "", c3);
    Figure.row(out, "ch8-hw5-curves.png", loss.image(560, 460), acc.image(560, 460));
    String dots = Text.zh("实心:训练 · 空心:验证", "filled: train · hollow: validation");
    Figure.row(out, "ch8-hw5-regions.png",
        Regions.of(String.format(Text.zh("无正则化:验证准确率 %.2f", "No regularisation: val_acc %.2f"), plain.valAcc()[last]),
                plain.model()::forward, 2).range(-2, 3, -1.7, 2.2).points(null, val.x(), val.y(), true)
            .points(null, train.x(), train.y(), false).subtitle(dots).image(520, 500),
        Regions.of(String.format(Text.zh("weight decay + dropout:验证准确率 %.2f", "weight decay + dropout: val_acc %.2f"),
                reg.valAcc()[last]), reg.model()::forward, 2).range(-2, 3, -1.7, 2.2).points(null, val.x(), val.y(), true)
            .points(null, train.x(), train.y(), false).subtitle(dots).image(520, 500));
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-hw5-overfit-val", args);
  }
}
