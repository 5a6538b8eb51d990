package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import java.nio.file.Path;

/**
 * Chapter 8.2, "Gradient — the fastest way downhill": plain gradient descent on
 * loss = (w − 5)², starting at w = 0 with learning rate 0.1, for 10 steps. Each step prints w, the
 * loss and the gradient autograd computed, then moves w against the gradient outside the graph.
 */
public final class Ch8Gradient implements Demo {

  @Override
  public Out run(Path dir) {
    Out out = new Out(dir);
    Tensor w = Tensor.scalar(0.0f).requiresGrad(true); // 初始在 w=0
    float learningRate = 0.1f;

    out.println("梯度下降过程 | Gradient descent process:");
    for (int step = 0; step < 10; step++) {
      Tensor loss = w.sub(5f).pow(2f);
      loss.backward();

      float grad = w.grad().item();
      out.printf("Step %d: w=%.3f, loss=%.3f, grad=%.3f", step, w.item(), loss.item(), grad);

      try (var noGrad = Autograd.noGrad()) { // w -= learning_rate * w.grad
        w.subInPlace(w.grad().mul(learningRate));
      }
      w.grad().zero();
    }
    out.println();
    out.printf("最终 w: %.3f (目标: 5.0)", w.item());
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-gradient", args);
  }
}
