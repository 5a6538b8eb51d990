package dev.downhill.examples;

import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.nn.Utils;
import java.nio.file.Path;
import java.util.List;

/**
 * Chapter 8.6, "Gradient explosion and vanishing": 50 "layers" that each double their input give
 * dh/dx = 2^50 ≈ 1.13e15; {@code clipGradNorm} with max norm 1.0 (torch's {@code clip_grad_norm_})
 * returns that norm and scales the gradient down to 1.
 */
public final class Ch8Explode implements Demo {

  @Override
  public Out run(Path dir) {
    Out out = new Out(dir);
    Tensor x = Tensor.of(new float[] {1.0f}).requiresGrad(true);

    // 模拟 50 层,每层乘以 2 | Simulate 50 layers, multiply by 2 each
    Tensor h = x;
    for (int i = 0; i < 50; i++) {
      h = h.mul(2f);
    }
    h.backward();
    out.printf("梯度 | Gradient: %.2e", x.grad().item());

    // 解决方法:梯度裁剪 | Solution: gradient clipping
    float totalNorm = Utils.clipGradNorm(List.of(x), 1.0);
    out.printf("clipGradNorm(max 1.0): total norm before clipping = %.2e, gradient after = %.4f", totalNorm,
        x.grad().item());
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-explode", args);
  }
}
