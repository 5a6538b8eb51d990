package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent article, §3, its table made real: batch GD (all 512 samples per update), SGD
 * (one sample) and mini-batch GD (16 samples) fit y = 3x + 1 + 0.1·noise with {@code Linear(1, 1)},
 * plain SGD at lr 0.05, for the same 10 epochs from the same weights. After every update the loss on
 * all the data is measured (outside the clock), giving loss against updates and against wall time.
 */
public final class GdBatchModes implements Demo {
  static final int N = 512;
  static final int EPOCHS = 10;

  /** One mode's run: the full-data loss after each update and the training time up to it. */
  record Run(String name, int batchSize, List<Double> losses, List<Double> millis) {
    double finalLoss() {
      return losses.get(losses.size() - 1);
    }

    /** How much the loss jumps about over the last epoch's updates (its standard deviation). */
    double noise() {
      int n = Math.max(1, N / batchSize);
      List<Double> tail = losses.subList(losses.size() - n, losses.size());
      double mean = tail.stream().mapToDouble(d -> d).average().orElse(0);
      return Math.sqrt(tail.stream().mapToDouble(d -> (d - mean) * (d - mean)).average().orElse(0));
    }
  }

  private Tensor x;
  private Tensor y;

  Run train(String name, int batchSize, Generator shuffle) {
    Linear model = new Linear(1, 1, new Generator(1));
    SGD optimizer = new SGD(model.parameters(), SGD.options().lr(0.05));
    List<Double> losses = new ArrayList<>(List.of(fullLoss(model)));
    List<Double> millis = new ArrayList<>(List.of(0.0));
    long clock = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      Tensor perm = Tensor.randperm(shuffle, N);
      for (int start = 0; start < N; start += batchSize) {
        long t0 = System.nanoTime();
        Tensor idx = perm.narrow(0, start, Math.min(batchSize, N - start));
        Tensor xb = x.indexSelect(0, idx);
        Tensor yb = y.indexSelect(0, idx);
        optimizer.zeroGrad();
        Tensor loss = Loss.mseLoss(model.forward(xb), yb);
        loss.backward();
        optimizer.step();
        clock += System.nanoTime() - t0;
        losses.add(fullLoss(model));
        millis.add(clock / 1e6);
      }
    }
    return new Run(name, batchSize, losses, millis);
  }

  /**
   * The same run repeated (same shuffles, so the same losses), at least 3 times and 1000 updates in
   * all, keeping the fastest clock: until the JIT has compiled the loop (a few hundred updates) an
   * update of the 512-sample batch takes milliseconds instead of about 0.2 ms, and timings jitter.
   */
  Run fastest(String name, int batchSize) {
    Run best = null;
    int updates = EPOCHS * ((N + batchSize - 1) / batchSize);
    for (int i = 0; i < Math.max(3, 1000 / updates); i++) {
      Run r = train(name, batchSize, new Generator(2));
      if (best == null || r.millis().get(r.millis().size() - 1) < best.millis().get(best.millis().size() - 1)) {
        best = r;
      }
    }
    return best;
  }

  /** Training time per sample seen, in µs. */
  private static double perSample(Run r) {
    return 1000 * r.millis().get(r.millis().size() - 1) / (EPOCHS * N);
  }

  private double fullLoss(Linear model) {
    try (var noGrad = Autograd.noGrad()) {
      return Loss.mseLoss(model.forward(x), y).item();
    }
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(0);
    x = Tensor.randn(gen, N, 1);
    y = x.mul(3f).add(1f).add(Tensor.randn(gen, N, 1).mul(0.1f));
    List<Run> runs = List.of(
        fastest("Batch GD", N),
        fastest("SGD", 1),
        fastest("Mini-Batch GD", 16));
    String[][] table = {
        {"使用全量数据,稳定但计算量大", "小数据集"},
        {"每次用一个样本,更新快但噪声大", "深度学习初期"},
        {"折中方案,批量样本", "大模型训练首选"}};
    out.printf("%d samples, %d epochs each, SGD lr 0.05, the same initial weights; loss on all the data:", N, EPOCHS);
    out.println("算法 | 特点 | 适用场景 | batch | updates | time (ms) | ms/update | final loss | noise (last epoch)");
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      int updates = r.losses().size() - 1;
      double ms = r.millis().get(updates);
      out.printf("%s | %s | %s | %d | %d | %.1f | %.4f | %.4f | %.4f", r.name(), table[i][0], table[i][1],
          r.batchSize(), updates, ms, ms / updates, r.finalLoss(), r.noise());
    }
    Run batch = runs.get(0);
    Run sgd = runs.get(1);
    Run mini = runs.get(2);
    out.printf("In the same %d epochs batch GD made %d updates and is still at loss %.4f; SGD and mini-batch reached"
        + " the noise floor (0.1² = 0.01), SGD jittering most (%.4f against %.4f) and paying the most time per"
        + " sample (%.2f µs against %.2f µs for mini-batch, %.2f µs for batch GD).", EPOCHS, batch.losses().size() - 1,
        batch.finalLoss(), sgd.noise(), mini.noise(), perSample(sgd), perSample(mini), perSample(batch));

    String loss = Text.zh("损失 Loss(全部数据)", "Loss (all data)");
    Chart byUpdates = Chart.of(Text.zh("损失与更新次数", "Loss against updates"),
            Text.zh("更新次数(对数坐标)", "Updates (log scale)"), loss)
        .logX().logY();
    Chart byTime = Chart.of(Text.zh("损失与训练时间", "Loss against wall time"),
        Text.zh("训练时间 (ms,对数坐标)", "Training time (ms, log scale)"), loss).logX().logY();
    for (Run r : runs) {
      double[] l = r.losses().stream().mapToDouble(d -> d).toArray();
      double[] u = new double[l.length];
      for (int k = 0; k < u.length; k++) {
        u[k] = k; // updates done; the log axis leaves out k = 0, the initial loss
      }
      String label = r.name() + " (batch " + r.batchSize() + ")";
      byUpdates.line(label, u, l);
      byTime.line(label, r.millis().stream().mapToDouble(d -> d).toArray(), l);
    }
    byUpdates.save(out, "gd-batch-modes-updates.png", 800, 420);
    byTime.save(out, "gd-batch-modes-time.png", 800, 420);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-batch-modes", args);
  }
}
