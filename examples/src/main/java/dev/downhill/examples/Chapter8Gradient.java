package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;

/**
 * Chapter 8.2, "Gradient — the fastest way downhill": plain gradient descent on
 * loss = (w − 5)², starting at w = 0 with learning rate 0.1, for 10 steps. Each step prints w, the
 * loss and the gradient autograd computed, then moves w against the gradient outside the graph.
 */
public final class Chapter8Gradient {
  private Chapter8Gradient() {}

  public static void main(String[] args) {
    Tensor w = Tensor.scalar(0f).requiresGrad(true);
    float learningRate = 0.1f;

    System.out.println("梯度下降过程 | Gradient descent process:");
    for (int step = 0; step < 10; step++) {
      Tensor loss = w.sub(5f).pow(2f);
      loss.backward();

      float grad = w.grad().item();
      System.out.printf("Step %d: w=%.3f, loss=%.3f, grad=%.3f%n", step, w.item(), loss.item(), grad);

      try (var noGrad = Autograd.noGrad()) { // w -= lr * w.grad
        w.subInPlace(w.grad().mul(learningRate));
      }
      w.grad().zero();
    }
    System.out.printf("%n最终 w: %.3f (目标: 5.0)%n", w.item());
  }
}
