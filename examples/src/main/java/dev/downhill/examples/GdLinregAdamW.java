package dev.downhill.examples;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.optim.AdamW;
import java.nio.file.Path;

/**
 * Gradient descent article, §7 "PyTorch training loop": the model y = wx + b ({@code Linear(1, 1)}),
 * MSE, AdamW with lr 0.01, 100 samples of y = 3x + 1 + 0.1·noise, 100 full-batch epochs. The engine's
 * generator is not torch's, so the numbers differ from a PyTorch run; what the loop shows does not.
 */
public final class GdLinregAdamW implements Demo {

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    Linear model = new Linear(1, 1, gen); // 简单线性模型 y = wx + b
    float w0 = model.weight.item();
    float b0 = model.bias.item();
    AdamW optimizer = new AdamW(model.parameters(), AdamW.options().lr(0.01));

    Tensor x = Tensor.randn(gen, 100, 1);
    Tensor y = x.mul(3f).add(1f).add(Tensor.randn(gen, 100, 1).mul(0.1f));
    double[] losses = new double[100];
    for (int epoch = 0; epoch < 100; epoch++) {
      optimizer.zeroGrad();
      Tensor yPred = model.forward(x);
      Tensor loss = Loss.mseLoss(yPred, y); // criterion = nn.MSELoss()
      loss.backward();
      optimizer.step();
      losses[epoch] = loss.item();
      if (epoch % 10 == 0) {
        out.printf("Epoch %d: Loss = %.4f", epoch, loss.item());
      }
    }
    float w = model.weight.item();
    float b = model.bias.item();
    out.printf("Learned w = %.4f, b = %.4f (true: 3, 1; initial w = %.4f, b = %.4f)", w, b, w0, b0);
    out.printf("Why not 3 and 1 yet: AdamW moves each parameter by about lr = 0.01 per step while its gradient keeps"
        + " its sign (the step is lr·m̂/(√v̂ + ε), and m̂/√v̂ ≈ ±1), so 100 steps move w by at most about 1.0;"
        + " it moved %.4f and needs %.4f in all.", w - w0, 3 - w0);

    Chart.of(Text.zh("AdamW + MSE 训练 Loss", "AdamW + MSE training loss"), "Epoch", "Loss")
        .line("AdamW lr=0.01", losses)
        .save(out, "gd-linreg-adamw.png", 800, 400);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-linreg-adamw", args);
  }
}
