package dev.downhill.examples;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Figure;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.ToyData;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chapter 8, homework 3, "train with SGD, Adam and AdamW and compare how fast they converge": one
 * 2-64-64-3 ReLU classifier on a 3-arm spiral (300 points, full batch), four copies from the same
 * initial weights, each with its optimizer at a usual lr (SGD 0.1, SGD 0.1 with momentum 0.9,
 * Adam 1e-3, AdamW 1e-3 with weight decay 0.01). The four take their steps in turn (step k of
 * each before step k + 1 of any), so the JIT's warm-up and the machine's noise fall on all of them
 * alike; each one's clock counts only its own forward, backward and update.
 */
public final class Ch8Hw3OptimizerRace implements Demo {
  static final int STEPS = 800;
  static final double TARGET = 0.2;

  record Racer(String name, Function<List<Tensor>, Optimizer> make) {}

  static final List<Racer> RACERS = List.of(
      new Racer("SGD lr=0.1", p -> new SGD(p, SGD.options().lr(0.1))),
      new Racer("SGD+Momentum lr=0.1, 0.9", p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9))),
      new Racer("Adam lr=1e-3", p -> new Adam(p, Adam.options().lr(1e-3))),
      new Racer("AdamW lr=1e-3, wd=0.01", p -> new AdamW(p, AdamW.options().lr(1e-3).weightDecay(0.01))));

  static Sequential model(Generator gen) {
    return new Sequential(new Linear(2, 64, gen), new ReLU(), new Linear(64, 64, gen), new ReLU(), new Linear(64, 3, gen));
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    ToyData.Data data = ToyData.spiral(gen, 100, 3, 0.2);
    Map<String, Tensor> init = model(gen).stateDict();

    int n = RACERS.size();
    Sequential[] models = new Sequential[n];
    Optimizer[] optimizers = new Optimizer[n];
    for (int i = 0; i < n; i++) {
      models[i] = model(new Generator(1));
      models[i].loadStateDict(init); // the same initial weights for all four
      optimizers[i] = RACERS.get(i).make().apply(models[i].parameters());
    }
    warmUp(init, data); // so that no racer's clock pays for the JIT's first compilations
    double[][] loss = new double[n][STEPS];
    double[][] millis = new double[n][STEPS];
    long[] clock = new long[n];
    for (int step = 0; step < STEPS; step++) {
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        optimizers[i].zeroGrad();
        Tensor l = Loss.crossEntropy(models[i].forward(data.x()), data.y());
        l.backward();
        optimizers[i].step();
        clock[i] += System.nanoTime() - t0;
        loss[i][step] = l.item(); // the loss before this step's update
        millis[i][step] = clock[i] / 1e6;
      }
    }

    out.printf("%d steps each on the whole spiral (300 points), from the same weights; target loss %.1f:", STEPS, TARGET);
    int[] reached = new int[n];
    for (int i = 0; i < n; i++) {
      reached[i] = firstBelow(loss[i], TARGET);
      out.printf("  %-25s loss %.4f -> %.4f; %s; %.3f ms per step", RACERS.get(i).name(), loss[i][0], loss[i][STEPS - 1],
          reached[i] < 0 ? "target not reached" : String.format("target at step %d (%.0f ms)", reached[i],
              millis[i][reached[i]]), millis[i][STEPS - 1] / STEPS);
    }
    int winner = -1;
    for (int i = 0; i < n; i++) {
      if (reached[i] >= 0 && (winner < 0 || reached[i] < reached[winner])) {
        winner = i;
      }
    }
    if (winner < 0) {
      out.printf("No optimizer reached loss %.1f in %d steps.", TARGET, STEPS);
    } else {
      StringBuilder s = new StringBuilder(String.format("Fastest to %.1f: %s at step %d", TARGET, RACERS.get(winner).name(),
          reached[winner]));
      for (int i = 0; i < n; i++) {
        if (i != winner) {
          s.append(reached[i] < 0 ? String.format("; %s not within %d steps", RACERS.get(i).name(), STEPS)
              : String.format("; %s %.1f× as many steps", RACERS.get(i).name(), reached[i] / (double) reached[winner]));
        }
      }
      out.println(s + ".");
    }
    double gap = 0;
    for (int k = 0; k < STEPS; k++) {
      gap = Math.max(gap, Math.abs(loss[2][k] - loss[3][k]));
    }
    double normAdam = weightNorm(models[2]);
    double normAdamW = weightNorm(models[3]);
    out.printf("Adam and AdamW differ by at most %.4f in loss over the %d steps: AdamW shrinks each weight by lr·wd ="
        + " 1e-5 per step, and after %d steps its weights' norm is %.4f against Adam's %.4f (%.2f%% smaller), so weight"
        + " decay %s the speed of this race.", gap, STEPS, STEPS, normAdamW, normAdam, 100 * (1 - normAdamW / normAdam),
        gap < 0.01 ? "hardly changed" : "changed");
    double fastest = Double.MAX_VALUE;
    double slowest = 0;
    for (int i = 0; i < n; i++) {
      fastest = Math.min(fastest, millis[i][STEPS - 1]);
      slowest = Math.max(slowest, millis[i][STEPS - 1]);
    }
    boolean sameOrder = true;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (reached[i] >= 0 && reached[j] >= 0 && reached[i] < reached[j] && millis[i][reached[i]] > millis[j][reached[j]]) {
          sameOrder = false;
        }
      }
    }
    out.printf("Time per step differs by %.0f%% between the quickest and the slowest (the forward and backward are the"
        + " same for all; the update and this shared machine's noise make the rest), so ranked by time to the target"
        + " they finish %s.", 100 * (slowest / fastest - 1), sameOrder ? "in the same order as by steps"
            : "in another order than by steps");

    String lossLabel = Text.zh("交叉熵(对数坐标)", "cross-entropy (log scale)");
    Chart bySteps = Chart.of(Text.zh("Loss 与步数", "Loss against steps"), Text.zh("步数", "Step"), lossLabel).logY()
        .legendBelow();
    if (gap < 0.01) {
      bySteps.subtitle(Text.zh("Adam 与 AdamW 的曲线几乎重合", "Adam's and AdamW's curves nearly coincide"));
    }
    Chart byTime = Chart.of(Text.zh("Loss 与训练时间", "Loss against wall time"), Text.zh("训练时间 (ms)", "Training time (ms)"),
        lossLabel).logY().legendBelow();
    for (int i = 0; i < n; i++) {
      bySteps.line(RACERS.get(i).name(), Chart.indices(STEPS), loss[i]);
      byTime.line(RACERS.get(i).name(), millis[i], loss[i]);
    }
    String target = Text.zh("目标 loss ", "target ") + TARGET;
    bySteps.line(target, new double[] {0, STEPS}, new double[] {TARGET, TARGET}, Color.GRAY, true);
    byTime.line(target, new double[] {0, slowest}, new double[] {TARGET, TARGET}, Color.GRAY, true);
    Figure.row(out, "ch8-hw3-optimizer-race.png", bySteps.image(560, 460), byTime.image(560, 460));
    return out;
  }

  /** 50 untimed steps of every optimizer on throwaway copies. */
  private static void warmUp(Map<String, Tensor> init, ToyData.Data data) {
    for (Racer r : RACERS) {
      Sequential m = model(new Generator(1));
      m.loadStateDict(init);
      Optimizer o = r.make().apply(m.parameters());
      for (int k = 0; k < 50; k++) {
        o.zeroGrad();
        Loss.crossEntropy(m.forward(data.x()), data.y()).backward();
        o.step();
      }
    }
  }

  /** The 2-norm of all the model's parameters together. */
  static double weightNorm(Sequential model) {
    double sum = 0;
    try (var noGrad = dev.downhill.autograd.Autograd.noGrad()) {
      for (Tensor p : model.parameters()) {
        double n = p.norm().item();
        sum += n * n;
      }
    }
    return Math.sqrt(sum);
  }

  static int firstBelow(double[] losses, double level) {
    for (int k = 0; k < losses.length; k++) {
      if (losses[k] < level) {
        return k;
      }
    }
    return -1;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-hw3-optimizer-race", args);
  }
}
