package dev.downhill.examples;

import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.loss.Loss;
import java.nio.file.Path;

/**
 * Chapter 8.1, "Loss — how wrong is the model?": MSE on four predictions, cross-entropy on one
 * 3-class example, and cross-entropy checked by hand as −log(softmax(logits)[true class]).
 */
public final class Ch8Loss implements Demo {

  @Override
  public Out run(Path dir) {
    Out out = new Out(dir);
    // MSE Loss — 回归 | MSE Loss — Regression
    Tensor predictions = Tensor.of(new float[] {2.5f, 0.0f, 2.1f, 1.6f});
    Tensor targets = Tensor.of(new float[] {3.0f, -0.5f, 2.0f, 1.5f});

    Tensor mseLoss = Loss.mseLoss(predictions, targets);
    out.printf("MSE: %.4f", mseLoss.item());
    out.println("(The chapter's comment says 0.0775, but its own terms are 0.25 + 0.25 + 0.01 + 0.01 = 0.52, and"
        + " 0.52 / 4 = 0.13; 0.0775 = 0.31 / 4 would need (0-(-0.5))^2 to be 0.04.)");

    // Cross Entropy Loss — 分类 | Cross Entropy Loss — Classification
    Tensor logits = Tensor.of(new float[][] {{2.0f, 1.0f, 0.1f}}); // 3 类分类 | 3-class classification
    Tensor labels = Tensor.of(new float[] {0}); // 真实标签是第0类 | True label is class 0

    Tensor ceLoss = Loss.crossEntropy(logits, labels);
    out.printf("CrossEntropy: %.4f", ceLoss.item());

    // 手动验证 CrossEntropy | CE = -log(softmax(logits)[true_class])
    Tensor probs = logits.softmax(-1);
    out.println("Probabilities: " + probs);
    out.printf("-log(p[0]): %.4f", probs.select(0, 0).select(0, 0).log().neg().item());
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("ch8-loss", args);
  }
}
