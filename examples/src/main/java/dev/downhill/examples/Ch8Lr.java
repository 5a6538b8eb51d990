package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Py;
import dev.downhill.examples.kit.Text;
import java.nio.file.Path;

/**
 * Chapter 8.3, "Learning rate — how big is the step?": (w − 5)² from w = 0 for 20 steps at each of
 * the chapter's learning rates 0.01, 0.1, 0.5, 1.0, and 1.5 to show where divergence really starts.
 * On this quadratic a step maps w − 5 to (1 − 2·lr)(w − 5), which decides everything.
 */
public final class Ch8Lr implements Demo {

  /** 用指定 LR 训练,返回 loss 历史 | Train with specified LR, return loss history. */
  static double[] trainWithLr(float lr, int steps) {
    Tensor w = Tensor.scalar(0.0f).requiresGrad(true);
    double[] losses = new double[steps];
    for (int i = 0; i < steps; i++) {
      Tensor loss = w.sub(5f).pow(2f);
      loss.backward();
      try (var noGrad = Autograd.noGrad()) {
        w.subInPlace(w.grad().mul(lr));
      }
      w.grad().zero();
      losses[i] = loss.item();
    }
    return losses;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    float[] lrs = {0.01f, 0.1f, 0.5f, 1.0f, 1.5f};
    Chart chart = Chart.of(Text.zh("不同学习率的 Loss 曲线", "Loss curves for each learning rate"), "Step",
        Text.zh("Loss(对数坐标)", "Loss (log scale)")).logY()
        .subtitle(Text.zh("LR=0.5 第 1 步后 loss 为 0,对数坐标上画不出", "LR=0.5 reaches loss 0 after step 0; 0 cannot be drawn on a log scale"));
    double[][] all = new double[lrs.length][];
    for (int i = 0; i < lrs.length; i++) {
      float lr = lrs[i];
      double[] losses = trainWithLr(lr, 20);
      all[i] = losses;
      out.printf("LR=%s: final loss=%.4f, losses=%s", Py.repr(lr), losses[losses.length - 1], Py.list(Py.head(losses, 5)));
      chart.lineWithDots("LR=" + Py.repr(lr), Chart.indices(losses.length), losses);
    }
    out.println("What really happens (each step multiplies w - 5 by 1 - 2·lr):");
    out.printf("LR=0.01: factor 0.98, slow convergence: the 20th loss is still %.0f%% of the first (as the comment"
        + " says).", 100 * all[0][19] / all[0][0]);
    out.printf("LR=0.1:  factor 0.8, fast convergence: loss %.4f after 20 steps (as the comment says).", all[1][19]);
    out.println("LR=0.5:  factor 0, no oscillation: one step lands exactly on w = 5 and the loss stays 0 (the comment"
        + " says 'oscillation').");
    out.println("LR=1.0:  factor -1, no divergence: w jumps between 0 and 10 and the loss stays 25 (the comment says"
        + " 'divergence'; this is the oscillation).");
    out.printf("LR=1.5:  factor -2, divergence: the loss grows 4x per step, to %.3g. Divergence starts above"
        + " lr = 1.0.", all[4][19]);
    chart.save(out, "ch8-lr.png", 800, 450);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-lr", args);
  }
}
