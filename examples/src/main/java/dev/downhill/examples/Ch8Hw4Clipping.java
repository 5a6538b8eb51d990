package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Figure;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Py;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.ToyData;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Init;
import dev.downhill.nn.LayerNorm;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Residual;
import dev.downhill.nn.Sequential;
import dev.downhill.nn.Sigmoid;
import dev.downhill.nn.Tanh;
import dev.downhill.nn.Utils;
import dev.downhill.optim.Adam;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import dev.downhill.optim.lr.LinearLR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chapter 8, homework 4, "build a deep network, watch the gradient explode, then fix it with
 * clip_grad_norm_", and 8.6's remedy table measured: a plain MLP of 20 Linear layers (width 32)
 * fits the noisy wave (256 points, full batch). With ReLU and weights drawn 2× wider than Kaiming's
 * the gradient grows about 2× per layer going back (explodes); with tanh or sigmoid and PyTorch's
 * default init it shrinks (vanishes). The exploding net is trained by SGD (lr 0.01) without and
 * with {@code clipGradNorm(1.0)}, and once more drawn at Kaiming's own scale; the vanishing tanh net
 * is then given residual connections, LayerNorm, and LayerNorm with a warm-up of the lr, each
 * trained by Adam at lr 1e-2 from the same weights.
 */
public final class Ch8Hw4Clipping implements Demo {
  static final int DEPTH = 20;
  static final int WIDTH = 32;
  static final int STEPS = 150;
  static final double GAIN = 1.25;
  static final double SGD_LR = 0.01;
  static final double ADAM_LR = 1e-2;
  static final int WARM_UP = 100;

  /** A net and its 20 Linear layers, first to last. */
  record Net(Module model, List<Linear> layers) {}

  /**
   * 20 Linear layers: 1 → 32, 18 × (32 → 32), 32 → 1, {@code act} after all but the last; a hidden
   * layer is {@code act(LN(W·x))}, or {@code x + act(LN(W·x))} with a residual connection. A
   * {@code gain} above 0 draws every weight from N(0, gain²·2/fan_in) (Kaiming's normal init times
   * gain) and zeroes the biases; 0 keeps PyTorch's default.
   */
  static Net net(Supplier<Module> act, boolean residual, boolean layerNorm, double gain, Generator gen) {
    List<Linear> layers = new ArrayList<>();
    Sequential model = new Sequential();
    for (int i = 0; i < DEPTH; i++) {
      Linear l = new Linear(i == 0 ? 1 : WIDTH, i == DEPTH - 1 ? 1 : WIDTH, gen);
      if (gain > 0) {
        Init.normal(l.weight, 0, gain * Math.sqrt(2.0 / Init.fanIn(l.weight)), gen);
        Init.zeros(l.bias);
      }
      layers.add(l);
      if (i == DEPTH - 1) {
        model.add(l);
      } else {
        Sequential block = layerNorm ? new Sequential(l, new LayerNorm(WIDTH), act.get()) : new Sequential(l, act.get());
        model.add(residual && i > 0 ? new Residual(block) : block);
      }
    }
    return new Net(model, layers);
  }

  /** ‖∂loss/∂W‖ of each of the 20 layers, first to last. */
  static double[] layerNorms(Net net) {
    double[] n = new double[DEPTH];
    try (var noGrad = Autograd.noGrad()) {
      for (int i = 0; i < DEPTH; i++) {
        Tensor g = net.layers().get(i).weight.grad();
        n[i] = g == null ? 0 : g.norm().item();
      }
    }
    return n;
  }

  /** One training run: the loss at each step, the per-layer norms at the first step (before and after clipping). */
  record Run(double[] loss, double[] firstNorms, double[] clippedNorms, double firstTotal) {}

  static Run train(Net net, ToyData.Data data, Optimizer opt, LinearLR warmUp, double clip, int steps) {
    double[] loss = new double[steps];
    double[] first = null;
    double[] clipped = null;
    double total = 0;
    for (int step = 0; step < steps; step++) {
      opt.zeroGrad();
      Tensor l = Loss.mseLoss(net.model().forward(data.x()), data.y());
      l.backward();
      if (step == 0) {
        first = layerNorms(net);
      }
      if (clip > 0) {
        float norm = Utils.clipGradNorm(net.model().parameters(), clip);
        if (step == 0) {
          total = norm;
        }
      }
      if (step == 0) {
        clipped = layerNorms(net);
      }
      opt.step();
      if (warmUp != null) {
        warmUp.step();
      }
      loss[step] = l.item();
      if (!Double.isFinite(loss[step])) {
        java.util.Arrays.fill(loss, step, steps, Double.NaN); // nothing comes back from NaN weights
        break;
      }
    }
    return new Run(loss, first, clipped, total);
  }

  static double[] layerIndex() {
    double[] x = new double[DEPTH];
    for (int i = 0; i < DEPTH; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  /** The per-layer gradient norms of one forward and backward on the data (no update). */
  static double[] firstNorms(Net net, ToyData.Data data) {
    Loss.mseLoss(net.model().forward(data.x()), data.y()).backward();
    return layerNorms(net);
  }

  static int firstNaN(double[] loss) {
    for (int k = 0; k < loss.length; k++) {
      if (!Double.isFinite(loss[k])) {
        return k;
      }
    }
    return -1;
  }

  static double max(double[] v) {
    return java.util.Arrays.stream(v).filter(Double::isFinite).max().orElse(Double.NaN);
  }

  static double min(double[] v) {
    return java.util.Arrays.stream(v).filter(Double::isFinite).min().orElse(Double.NaN);
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    ToyData.Data data = ToyData.wave(gen, 128, 0.1);

    // 1. 梯度爆炸 | explosion: ReLU with weights 1.25× Kaiming's, SGD lr 0.01 without and with clipping.
    Net a = net(ReLU::new, false, false, GAIN, new Generator(1));
    Run raw = train(a, data, new SGD(a.model().parameters(), SGD.options().lr(SGD_LR)), null, 0, STEPS);
    Net b = net(ReLU::new, false, false, GAIN, new Generator(1)); // the same weights again
    Run clipped = train(b, data, new SGD(b.model().parameters(), SGD.options().lr(SGD_LR)), null, 1.0, STEPS);
    Net c = net(ReLU::new, false, false, 1.0, new Generator(1)); // Kaiming's own scale: the same draws × 1/1.25
    Run kaiming = train(c, data, new SGD(c.model().parameters(), SGD.options().lr(SGD_LR)), null, 0, STEPS);
    double[] up = raw.firstNorms();
    out.printf("ReLU, weights %.2f× Kaiming's: loss %.4g at the start; the gradient norm of every layer lies between"
        + " %.2e and %.2e (layer 1: %.3e, layer 20: %.3e): it explodes everywhere, as the signal grows %.2f× per layer"
        + " forward and its gradient as much going back.", GAIN, raw.loss()[0], min(up), max(up), up[0], up[DEPTH - 1], GAIN);
    out.printf("clipGradNorm(max 1.0) at step 0: total norm %.3e before; layer 1 %.3e before, %.3e after (%.1e× smaller).",
        clipped.firstTotal(), clipped.firstNorms()[0], clipped.clippedNorms()[0], clipped.firstNorms()[0]
            / clipped.clippedNorms()[0]);
    int nan = firstNaN(raw.loss());
    out.printf("SGD lr=%s from the same weights: without clipping loss %.4g at step 0, %s; with clipping %.4g -> %.4g"
        + " after %d steps.", Py.repr(SGD_LR), raw.loss()[0], nan < 0 ? String.format("%.4g at the end", raw.loss()[STEPS - 1])
            : "not a number from step " + nan, clipped.loss()[0], clipped.loss()[STEPS - 1], STEPS);

    out.printf("Clipping bounds the step, not the start: the same net drawn at Kaiming's scale (gain 1) trains unclipped"
        + " from loss %.4g to %.4g (largest layer gradient %.2e at step 0)%s.", kaiming.loss()[0], kaiming.loss()[STEPS - 1],
        max(kaiming.firstNorms()), kaiming.loss()[STEPS - 1] < clipped.loss()[STEPS - 1]
            ? String.format(", below the clipped run's %.4g", clipped.loss()[STEPS - 1])
            : String.format(", not below the clipped run's %.4g", clipped.loss()[STEPS - 1]));

    // 2. 梯度消失 | vanishing: tanh and sigmoid with PyTorch's default init; one backward each.
    double[] tanh = firstNorms(net(Tanh::new, false, false, 0, new Generator(1)), data);
    double[] sigmoid = firstNorms(net(Sigmoid::new, false, false, 0, new Generator(1)), data);
    out.printf("tanh, default init: layer 1 %.3e, layer 20 %.3e (%.1e× smaller at the input end: vanishes).", tanh[0],
        tanh[DEPTH - 1], tanh[DEPTH - 1] / tanh[0]);
    out.printf("sigmoid, default init: layer 1 %.3e, layer 20 %.3e (%.1e× smaller; sigmoid' ≤ 1/4 at every layer).",
        sigmoid[0], sigmoid[DEPTH - 1], sigmoid[DEPTH - 1] / sigmoid[0]);

    // 3. 8.6 的解决方案表 | the remedy table on the tanh net, Adam lr 1e-2, from the same weights.
    String[] names = {"tanh", "tanh + Residual", "tanh + LayerNorm", "tanh + LayerNorm + warm-up"};
    Run[] runs = new Run[names.length];
    for (int k = 0; k < names.length; k++) {
      Net n = net(Tanh::new, k == 1, k >= 2, 0, new Generator(1));
      Adam opt = new Adam(n.model().parameters(), Adam.options().lr(ADAM_LR));
      LinearLR warmUp = k == 3 ? new LinearLR(opt, 0.01, 1.0, WARM_UP) : null; // lr from 1e-4 up to 1e-2
      runs[k] = train(n, data, opt, warmUp, 0, STEPS);
      double[] g = runs[k].firstNorms();
      out.printf("%-27s layer 1 %.3e, layer 20 %.3e (ratio %.1e); loss %.4f -> %.4f (lowest %.4f)", names[k] + ":", g[0],
          g[DEPTH - 1], g[0] / g[DEPTH - 1], runs[k].loss()[0], runs[k].loss()[STEPS - 1], min(runs[k].loss()));
    }
    double plain = runs[0].loss()[STEPS - 1];
    StringBuilder verdict = new StringBuilder("After " + STEPS + " steps of Adam lr=" + Py.repr(ADAM_LR) + ":");
    for (int k = 1; k < names.length; k++) {
      double l = runs[k].loss()[STEPS - 1];
      verdict.append(String.format(" %s ends at %.4f, %s;", names[k], l, l < plain / 2 ? String.format("%.0f× below plain tanh", plain / l)
          : l > plain ? "above plain tanh" : "about where plain tanh ends"));
    }
    out.println(verdict.substring(0, verdict.length() - 1) + String.format(" (plain tanh: %.4f; the noise floor is 0.01).",
        plain));

    double ln = runs[2].loss()[STEPS - 1];
    double lnWarm = runs[3].loss()[STEPS - 1];
    if (ln > runs[2].loss()[0] / 2 && lnWarm < ln / 10) {
      out.printf("The LayerNorm net does not learn at lr=%s from the first step (its lowest loss is %.4f); started at"
          + " lr=1e-4 and raised over %d steps, the same net reaches %.4f.", Py.repr(ADAM_LR), min(runs[2].loss()), WARM_UP,
          lnWarm);
    }

    double[] layers = layerIndex();
    Chart norms = Chart.of(Text.zh("第一步时每层的梯度范数", "Gradient norm of every layer at the first step"),
            Text.zh("层(1 = 输入端,20 = 输出端)", "layer (1 = input end, 20 = output end)"),
            Text.zh("‖∂loss/∂W‖(对数坐标)", "‖∂loss/∂W‖ (log scale)"))
        .logY().legendBelow()
        .line(String.format("ReLU, %.2f× Kaiming", GAIN), layers, up)
        .line("tanh", layers, tanh)
        .line("sigmoid", layers, sigmoid)
        .line("tanh + Residual", layers, runs[1].firstNorms())
        .line("tanh + LayerNorm", layers, runs[2].firstNorms())
        .line(String.format("ReLU, %.2f× Kaiming, clipGradNorm(1)", GAIN), layers, clipped.clippedNorms(), Chart.CYCLE[0],
            true);
    norms.save(out, "ch8-hw4-norms.png", 900, 520);

    String lossLabel = Text.zh("MSE(对数坐标)", "MSE (log scale)");
    Chart clip = Chart.of(Text.zh("梯度裁剪:SGD lr " + Py.repr(SGD_LR), "Clipping: SGD lr " + Py.repr(SGD_LR)), Text.zh("步数", "Step"), lossLabel)
        .logY().legendBelow()
        .lineWithDots(Text.zh("不裁剪", "no clipping"), Chart.indices(STEPS), raw.loss())
        .line("clipGradNorm(1.0)", clipped.loss())
        .line(Text.zh("Kaiming 初始化,不裁剪", "Kaiming init, no clipping"), kaiming.loss());
    if (nan >= 0) {
      clip.subtitle(Text.zh("不裁剪:第 " + nan + " 步起 loss 为 NaN", "no clipping: the loss is NaN from step " + nan));
    }
    Chart remedies = Chart.of(Text.zh("8.6 的解决方案:Adam lr 1e-2", "8.6's remedies: Adam lr 1e-2"), Text.zh("步数", "Step"),
        lossLabel).logY().legendBelow();
    for (int k = 0; k < names.length; k++) {
      remedies.line(names[k], runs[k].loss());
    }
    remedies.subtitle(Text.zh("warm-up:前 " + WARM_UP + " 步 lr 从 1e-4 线性升到 1e-2",
        "warm-up: lr rises linearly from 1e-4 to 1e-2 over the first " + WARM_UP + " steps"));
    Figure.row(out, "ch8-hw4-training.png", clip.image(560, 460), remedies.image(560, 460));
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-hw4-clipping", args);
  }
}
