package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.data.Batch;
import dev.downhill.data.DataLoader;
import dev.downhill.data.History;
import dev.downhill.data.TensorDataset;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Figure;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Py;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.ToyData;
import dev.downhill.examples.kit.Vals;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Sequential;
import dev.downhill.nn.Tanh;
import dev.downhill.optim.Adam;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chapter 8, homework 2, "train the same model with lr 1e-5, 1e-4, 1e-3, 1e-2 and draw the loss
 * curves": a 1-64-64-1 tanh MLP fits a noisy wave (256 points, y = sin 2x + 0.3x + 0.1·noise) in
 * shuffled mini-batches of 32 from a {@code DataLoader}, every run from the same initial weights and the same batch order, once with
 * plain SGD and once with Adam; one more lr, 0.3, shows what divergence looks like. The loss is
 * measured on all the data each epoch.
 */
public final class Ch8Hw2LrSweep implements Demo {
  static final int EPOCHS = 60;
  static final int BATCH = 32;
  static final double[] LRS = {1e-5, 1e-4, 1e-3, 1e-2, 0.3};

  static Sequential model(Generator gen) {
    return new Sequential(new Linear(1, 64, gen), new Tanh(), new Linear(64, 64, gen), new Tanh(), new Linear(64, 1, gen));
  }

  /** The full-data loss before training and after each epoch; the largest change of one weight in one step of epoch 0. */
  record Run(double[] losses, double largestStep) {}

  static Run trainWithLr(double lr, boolean adam, Map<String, Tensor> init, ToyData.Data data, Sequential model) {
    model.loadStateDict(init);
    Optimizer optimizer = adam ? new Adam(model.parameters(), Adam.options().lr(lr)) : new SGD(model.parameters(), SGD.options().lr(lr));
    // the same batch order for every lr: a fresh generator with the same seed
    DataLoader loader = new DataLoader(new TensorDataset(data.x(), data.y()), BATCH, true, false, new Generator(1));
    History history = new History();
    history.epochs().log(0, "loss", fullLoss(model, data));
    double largestStep = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (Batch b : loader) {
        Map<String, Tensor> before = epoch == 0 ? model.stateDict() : null;
        optimizer.zeroGrad();
        Tensor loss = Loss.mseLoss(model.forward(b.x()), b.y());
        loss.backward();
        optimizer.step();
        if (before != null) {
          largestStep = Math.max(largestStep, largestChange(model, before));
        }
      }
      history.epochs().log(epoch + 1, "loss", fullLoss(model, data));
    }
    return new Run(history.epochs().series("loss").values(), largestStep);
  }

  /** max |w − w₀| over every weight of the model. */
  static double largestChange(Sequential model, Map<String, Tensor> init) {
    double m = 0;
    try (var noGrad = Autograd.noGrad()) {
      for (var e : model.namedParameters().entrySet()) {
        m = Math.max(m, e.getValue().sub(init.get(e.getKey())).abs().max().item());
      }
    }
    return m;
  }

  static double fullLoss(Sequential model, ToyData.Data data) {
    try (var noGrad = Autograd.noGrad()) {
      return Loss.mseLoss(model.forward(data.x()), data.y()).item();
    }
  }

  /** The first epoch whose loss is not finite or 10× the start, or −1. */
  static int blewUpAt(double[] losses) {
    for (int e = 0; e < losses.length; e++) {
      if (!Double.isFinite(losses[e]) || losses[e] > 10 * losses[0]) {
        return e;
      }
    }
    return -1;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    ToyData.Data data = ToyData.wave(gen, 256, 0.1);
    Sequential model = model(gen);
    Map<String, Tensor> init = model.stateDict();
    Tensor grid = Tensor.linspace(-2f, 2f, 200).unsqueeze(1);
    List<BufferedImage> curves = new ArrayList<>();
    List<BufferedImage> fits = new ArrayList<>();
    double[] bestLr = new double[2];
    double[][] diverging = new double[2][];
    double[] firstSteps = new double[2];
    for (boolean adam : new boolean[] {false, true}) {
      String opt = adam ? "Adam" : "SGD";
      Chart curve = Chart.of(opt + Text.zh(":不同学习率的 loss 曲线", ": loss for each learning rate"), "Epoch",
              Text.zh("MSE(全部数据,对数坐标)", "MSE on all the data (log scale)")).logY()
          .legendBelow().yRange(5e-3, 100)
          .subtitle(Text.zh("同一初始权重与批次顺序;噪声下限 0.01", "same initial weights and batch order; noise floor 0.01")
              + (adam ? "" : Text.zh(";LR=0.3 冲出图外", "; LR=0.3 leaves the chart")));
      Chart fit = Chart.of(opt + Text.zh(":训练后的拟合曲线", ": the fitted curves"), "x", "y")
          .legendBelow().smallDots().yRange(-1.8, 1.8)
          .points(Text.zh("数据", "data"), Vals.of(data.x()), Vals.of(data.y()), new Color(0xaaaaaa));
      double[][] all = new double[LRS.length][];
      int best = -1;
      out.printf("%s, %d epochs of mini-batches of %d:", opt, EPOCHS, BATCH);
      for (int i = 0; i < LRS.length; i++) {
        Run run = trainWithLr(LRS[i], adam, init, data, model);
        double[] losses = run.losses();
        if (i == 4) {
          firstSteps[adam ? 1 : 0] = run.largestStep();
        }
        all[i] = losses;
        String name = "LR=" + Py.repr(LRS[i]);
        int blew = blewUpAt(losses);
        int near = epochBelow(losses, NEAR_FLOOR);
        out.printf("  %-10s loss %.4f -> %.4f, %s%s", name + ":", losses[0], losses[EPOCHS],
            near < 0 ? "never below " + NEAR_FLOOR : "below " + NEAR_FLOOR + " from epoch " + near,
            blew < 0 ? "" : String.format("; blew up to %.2g× its start (epoch %d)%s", peak(losses) / losses[0],
                peakAt(losses), nanAt(losses) < 0 ? "" : ", then not a number from epoch " + nanAt(losses)));
        curve.line(name, Chart.indices(EPOCHS + 1), losses);
        try (var noGrad = Autograd.noGrad()) {
          fit.line(name, Vals.of(grid), Vals.of(model.forward(grid)));
        }
        if (i < 4 && better(losses, best < 0 ? null : all[best])) {
          best = i;
        }
      }
      diverging[adam ? 1 : 0] = all[4];
      bestLr[adam ? 1 : 0] = LRS[best];
      out.printf("  Best of the chapter's four for %s: LR=%s (%s).", opt, Py.repr(LRS[best]),
          epochBelow(all[best], NEAR_FLOOR) >= 0 ? "first below " + NEAR_FLOOR : "lowest final loss");
      curves.add(curve.image(560, 440));
      fits.add(fit.image(560, 440));
    }
    out.println(bestLr[0] == bestLr[1] ? "LR=" + Py.repr(bestLr[0]) + " is the best of the four for both optimizers here."
        : "The best lr depends on the optimizer: " + Py.repr(bestLr[0]) + " for SGD, " + Py.repr(bestLr[1]) + " for Adam.");
    int sgdNan = nanAt(diverging[0]);
    out.printf("At LR=0.3 SGD's loss %s; Adam's peaked at %.0f× its start (epoch %d) and ended at %.4f%s. In the first"
        + " epoch the largest change of one weight in one step was %.3g with SGD (lr × gradient) and %.3g with Adam: %s",
        sgdNan >= 0 ? "overflowed: not a number from epoch " + sgdNan : String.format("ended at %.4f", diverging[0][EPOCHS]),
        peak(diverging[1]) / diverging[1][0], peakAt(diverging[1]), diverging[1][EPOCHS],
        Double.isFinite(diverging[1][EPOCHS]) ? ", finite" : "", firstSteps[0], firstSteps[1],
        (firstSteps[1] <= 1.5 * 0.3 ? "Adam's step stays about lr whatever the gradient" : "Adam's step, too, went well"
            + " beyond lr") + (firstSteps[0] > 10 * firstSteps[1] ? ", SGD's grew with the gradient." : "."));

    Figure.row(out, "ch8-hw2-lr-sweep.png", curves.toArray(new BufferedImage[0]));
    Figure.row(out, "ch8-hw2-fits.png", fits.toArray(new BufferedImage[0]));
    return out;
  }

  static final double NEAR_FLOOR = 0.02;

  /** The first epoch whose loss is below {@code level}, or −1. */
  static int epochBelow(double[] losses, double level) {
    for (int e = 0; e < losses.length; e++) {
      if (losses[e] < level) {
        return e;
      }
    }
    return -1;
  }

  /** Whether run a beats run b (null: no run yet): it gets below 0.02 sooner, else ends lower. */
  private static boolean better(double[] a, double[] b) {
    if (!Double.isFinite(a[a.length - 1])) {
      return false;
    }
    if (b == null) {
      return true;
    }
    int ea = epochBelow(a, NEAR_FLOOR);
    int eb = epochBelow(b, NEAR_FLOOR);
    if (ea >= 0 || eb >= 0) {
      return ea >= 0 && (eb < 0 || ea < eb);
    }
    return a[a.length - 1] < b[b.length - 1];
  }

  /** The first epoch whose loss is not a finite number, or −1. */
  static int nanAt(double[] losses) {
    for (int e = 0; e < losses.length; e++) {
      if (!Double.isFinite(losses[e])) {
        return e;
      }
    }
    return -1;
  }

  private static double peak(double[] losses) {
    return losses[peakAt(losses)];
  }

  private static int peakAt(double[] losses) {
    int k = 0;
    for (int e = 0; e < losses.length; e++) {
      if (Double.isFinite(losses[e]) && losses[e] > losses[k]) {
        k = e;
      }
    }
    return k;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-hw2-lr-sweep", args);
  }
}
