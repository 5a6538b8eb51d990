package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.Vals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent article, §5 and the notebook's part 1: f(x) = x² + 2x + 1 from x = 5 with
 * η = 0.2 for 15 steps, the gradient from autograd (the article writes f'(x) = 2x + 2 by hand), then
 * the loss curve with the steps as red points.
 */
public final class Gd1d implements Demo {

  /** 损失函数: f(x) = x^2 + 2x + 1. */
  static Tensor loss1d(Tensor x) {
    return x.pow(2f).add(x.mul(2f)).add(1f);
  }

  /** The article's loop: {@code x -= eta * grad(x)} 15 times from x = 5; the values x took, first to last. */
  static List<Float> steps() {
    Tensor x = Tensor.scalar(5.0f).requiresGrad(true); // x_init
    float eta = 0.2f; // 学习率
    List<Float> steps = new ArrayList<>(List.of(x.item()));
    for (int i = 0; i < 15; i++) {
      loss1d(x).backward();
      try (var noGrad = Autograd.noGrad()) {
        x.subInPlace(x.grad().mul(eta));
      }
      x.grad().zero();
      steps.add(x.item());
    }
    return steps;
  }

  /** The curve and the steps' losses, for this chart and the animation. */
  static Chart curve(String title, int points) {
    Tensor xs = Tensor.linspace(-4, 6, points);
    Tensor ys = loss1d(xs);
    return Chart.of(title, Text.zh("参数 x", "Parameter x"), Text.zh("损失 Loss", "Loss"))
        .line("Loss Curve", Vals.of(xs), Vals.of(ys));
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    List<Float> steps = steps();
    double[] losses = new double[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      losses[i] = loss1d(Tensor.scalar(steps.get(i))).item();
      out.printf("Step %d: x=%.4f, loss=%.4f", i, steps.get(i), losses[i]);
    }
    out.println("The minimum is x = -1 with loss 0: each step multiplies the distance to it by 1 - 2·eta = 0.6.");

    curve(Text.zh("1D 梯度下降路径", "Gradient Descent Optimization Path"), 200)
        .points("Steps", Vals.of(steps), losses, Chart.RED)
        .save(out, "gd-1d.png", 800, 400);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-1d", args);
  }
}
