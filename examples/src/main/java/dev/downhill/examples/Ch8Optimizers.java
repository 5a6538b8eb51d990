package dev.downhill.examples;

import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.optim.Adam;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Chapter 8.4, "Optimizer — how to go downhill": the chapter's four optimizers on loss = (w − 5)²
 * from w = 0: SGD lr 0.1, SGD + momentum 0.9, Adam lr 1e-3, AdamW lr 1e-4 with weight decay 0.01.
 * Prints the first 10 steps of each (SGD's as the chapter's loop does) and the chapter's table, and
 * charts w over 100 steps.
 */
public final class Ch8Optimizers implements Demo {
  static final int STEPS = 100;

  /** The chapter's training loop; w after each step. */
  static double[] trajectory(Function<List<Tensor>, Optimizer> make) {
    Tensor w = Tensor.of(new float[] {0.0f}).requiresGrad(true);
    Optimizer optimizer = make.apply(List.of(w));
    double[] ws = new double[STEPS];
    for (int step = 0; step < STEPS; step++) {
      optimizer.zeroGrad();
      Tensor loss = w.sub(5f).pow(2f);
      loss.backward();
      optimizer.step(); // w = w - lr * grad (for SGD)
      ws[step] = w.item();
    }
    return ws;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    double[] sgd = trajectory(p -> new SGD(p, SGD.options().lr(0.1)));
    double[] momentum = trajectory(p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9)));
    double[] adam = trajectory(p -> new Adam(p, Adam.options().lr(1e-3)));
    double[] adamw = trajectory(p -> new AdamW(p, AdamW.options().lr(1e-4).weightDecay(0.01)));

    print(out, "SGD(lr=0.1)", sgd, "%.3f");
    print(out, "SGD(lr=0.1, momentum=0.9)", momentum, "%.3f");
    print(out, "Adam(lr=1e-3), 5 decimals: its steps are too small for 3", adam, "%.5f");
    print(out, "AdamW(lr=1e-4, weight_decay=0.01), 5 decimals", adamw, "%.5f");
    out.printf("Adam moves about lr per step whatever the gradient: its step is lr·m̂/(√v̂ + ε), and while the"
        + " gradient keeps its sign m̂ ≈ g and √v̂ ≈ |g|, so the step ≈ lr. Here grad ≈ -10, yet after 10 steps w ="
        + " %.5f ≈ 10 × 0.001 (SGD's first step alone is 1.0).", adam[9]);
    out.printf("After %d steps: SGD w=%.3f, momentum w=%.3f, Adam w=%.4f, AdamW w=%.5f.", STEPS, sgd[STEPS - 1],
        momentum[STEPS - 1], adam[STEPS - 1], adamw[STEPS - 1]);
    out.println();
    out.println("Optimizer | 优点 | 缺点 | 适用场景");
    out.println("SGD | 简单,泛化好 | 收敛慢,需调 LR | 大规模数据");
    out.println("SGD+Momentum | 收敛快 | 需调超参 | 计算机视觉");
    out.println("Adam | 自适应,易用 | 可能泛化差 | 默认选择");
    out.println("AdamW | 正确衰减,效果好 | 略复杂 | Transformer");
    out.println("Optimizer | Pros | Cons | Use Case");
    out.println("SGD | Simple, good generalization | Slow convergence, needs LR tuning | Large-scale data");
    out.println("SGD+Momentum | Faster convergence | Needs hyperparameter tuning | Computer vision");
    out.println("Adam | Adaptive, easy to use | May generalize poorly | Default choice");
    out.println("AdamW | Correct decay, good results | Slightly complex | Transformers");

    Chart.of(Text.zh("四种优化器:w 随步数变化", "Four optimizers: w against steps"), "Step", "w")
        .line("SGD lr=0.1", steps(), sgd)
        .line("SGD+Momentum 0.9", steps(), momentum)
        .line("Adam lr=1e-3", steps(), adam)
        .line("AdamW lr=1e-4, wd=0.01", steps(), adamw)
        .subtitle(Text.zh("loss = (w - 5)^2,目标 w = 5", "loss = (w - 5)^2, target w = 5"))
        .save(out, "ch8-optimizers.png", 800, 450);
    return out;
  }

  private static void print(Out out, String name, double[] ws, String format) {
    out.println(name + ":");
    for (int step = 0; step < 10; step++) {
      out.printf("Step %d: w=" + format, step, ws[step]);
    }
  }

  private static double[] steps() {
    double[] s = new double[STEPS];
    for (int i = 0; i < STEPS; i++) {
      s[i] = i + 1;
    }
    return s;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-optimizers", args);
  }
}
