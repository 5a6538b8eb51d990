package dev.downhill.autograd;

import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.Softmax;
import dev.downhill.kernels.Targets;
import java.util.Arrays;

/**
 * The per-row ops behind {@code dev.downhill.loss.Loss}'s cross-entropy and NLL: each takes a 2-D
 * tensor of rows (one row of C class scores per sample) and returns the unreduced loss of shape
 * [rows], with a backward fused into one pass per row. {@code Loss} is the friendly front end (it
 * handles [N, C, d...] inputs, float targets and the reduction); this class is public only because
 * it lives in another package, and it validates its own arguments all the same: shapes, every class
 * index in [0, C) or −1, and a weight of length C, each refused with an
 * {@link IllegalArgumentException} that names the offending value.
 *
 * <p>Targets are {@code int[rows]} class indices with −1 for an ignored row; {@code weight} is a
 * per-class weight of length C or null. Neither the targets nor the weights receive a gradient.
 */
public final class ClassLosses {
  private ClassLosses() {}

  /** Refuses what would index out of the kernels' arrays; the friendly checks are {@code Loss}'s. */
  private static void checkRows(String op, Tensor x, int targets, Tensor probs) {
    if (x.shape.length != 2 || (probs == null ? targets != x.shape[0] : !java.util.Arrays.equals(probs.shape, x.shape))) {
      throw new IllegalArgumentException(op + ": expected input [rows, C] with " + (probs == null ? "one target per row"
          : "probabilities of the same shape") + ", got input " + Shapes.str(x.shape) + " and "
          + (probs == null ? targets + " targets" : "probabilities " + Shapes.str(probs.shape)));
    }
  }

  /** Refuses a target index outside [0, C) other than −1, and a weight whose length is not C. */
  private static void checkTargets(String op, int[] target, float[] weight, int c) {
    for (int r = 0; r < target.length; r++) {
      int t = target[r];
      if (t != -1 && (t < 0 || t >= c)) {
        throw badClassIndex(op, t, new int[] {r}, c, -1);
      }
    }
    checkWeight(op, weight, c);
  }

  private static void checkWeight(String op, float[] weight, int c) {
    if (weight != null && weight.length != c) {
      throw badWeight(op, new int[] {weight.length}, c);
    }
  }

  /**
   * The class weights of a loss as an array (null for none): {@code weight} must be 1-D of length
   * C; otherwise IllegalArgumentException naming its shape and C. The one check of class weights,
   * for {@code Loss} and these row ops alike.
   */
  public static float[] classWeights(String op, Tensor weight, int c) {
    if (weight == null) {
      return null;
    }
    if (weight.shape.length != 1 || weight.shape[0] != c) {
      throw badWeight(op, weight.shape, c);
    }
    return weight.toArray();
  }

  private static IllegalArgumentException badWeight(String op, int[] shape, int c) {
    return new IllegalArgumentException(op + ": weight of shape " + Shapes.str(shape) + " does not fit C = " + c
        + " classes: expected [" + c + "]");
  }

  /**
   * The values of {@code target} (float class indices of any shape) as ints, with {@code ignoreIndex}
   * mapped to −1 — the form the row ops take; a value that is not a whole number, or lies outside
   * [0, C) and is not {@code ignoreIndex}, throws IllegalArgumentException naming it, its position and C.
   */
  public static int[] classIndices(String op, Tensor target, int c, int ignoreIndex) {
    float[] t = target.toArray();
    int[] idx = new int[t.length];
    int bad = Targets.toIndices(t, 0, t.length, c, ignoreIndex, idx);
    if (bad >= 0) {
      float v = t[bad];
      int[] position = Shapes.unflatten(bad, target.shape);
      if (v != Math.rint(v)) {
        throw new IllegalArgumentException(op + ": target " + v + " at position " + Arrays.toString(position)
            + " is not a whole number; class-index targets hold whole numbers (probability targets have the input's shape)");
      }
      throw badClassIndex(op, (long) v, position, c, ignoreIndex);
    }
    return idx;
  }

  /** The one wording for a class index that is out of range: names the index, its position and C. */
  private static IllegalArgumentException badClassIndex(String op, long index, int[] position, int c, int ignoreIndex) {
    return new IllegalArgumentException(op + ": class index " + index + " at position " + Arrays.toString(position)
        + " is out of range for C = " + c + " classes (expected 0 to " + (c - 1) + ", or ignoreIndex " + ignoreIndex + ")");
  }

  /** Rows per parallel task: about {@link Activation#GRAIN} elements. */
  private static int grain(int c) {
    return Math.max(1, Unary.GRAIN / Math.max(1, c));
  }

  /**
   * Cross-entropy per row through log-sum-exp: {@code (1−ε)·w_t·(lse − x_t) + (ε/C)·Σ_c w_c·(lse − x_c)}
   * for logits [rows, C]; 0 for an ignored row. Backward: {@code g_r·(W·softmax − q·w)} per row.
   */
  public static Tensor crossEntropyRows(Tensor logits, int[] target, float[] weight, float smoothing) {
    checkRows("crossEntropy", logits, target.length, null);
    int rows = logits.shape[0], c = logits.shape[1];
    checkTargets("crossEntropy", target, weight, c);
    float[] x = logits.array();
    int xo = logits.offset;
    float[] loss = new float[rows];
    float[] stats = new float[2 * rows];
    long t0 = OpTrace.start();
    Parallel.forRange(rows, grain(c), (from, to) -> Softmax.crossEntropyRows(x, xo, c, from, to, target, weight,
        smoothing, loss, stats));
    OpTrace.stop("crossEntropy", t0, 0, 4.0 * rows * c);
    Tensor y = Tensor.wrap(loss, new int[] {rows});
    if (!Autograd.recording(logits)) {
      return y;
    }
    Node node = new Node("crossEntropy", y.shape, logits) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] gx = new float[rows * c];
        Parallel.forRange(rows, grain(c), (from, to) -> Softmax.crossEntropyBackwardRows(sx.array(), sx.offset, c,
            from, to, target, weight, smoothing, stats, g, gx, 0));
        grads.add(0, gx);
      }
    };
    node.save(logits);
    node.cost(0, 8.0 * rows * c);
    return y.madeBy(node);
  }

  /**
   * Cross-entropy per row against class probabilities {@code probs} [rows, C] (not differentiated):
   * {@code Σ_c w_c·q'_c·(lse − x_c)} with {@code q' = (1−ε)·q + ε/C}.
   */
  public static Tensor crossEntropyProbRows(Tensor logits, Tensor probs, float[] weight, float smoothing) {
    checkRows("crossEntropy", logits, 0, probs);
    int rows = logits.shape[0], c = logits.shape[1];
    checkWeight("crossEntropy", weight, c);
    float[] x = logits.array(), q = probs.array();
    int xo = logits.offset, qo = probs.offset;
    float[] loss = new float[rows];
    float[] stats = new float[2 * rows];
    long t0 = OpTrace.start();
    Parallel.forRange(rows, grain(c), (from, to) -> Softmax.crossEntropyProbRows(x, xo, c, from, to, q, qo, weight,
        smoothing, loss, stats));
    OpTrace.stop("crossEntropy", t0, 0, 4.0 * rows * c);
    Tensor y = Tensor.wrap(loss, new int[] {rows});
    if (!Autograd.recording(logits)) {
      return y;
    }
    Node node = new Node("crossEntropy", y.shape, logits) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        Tensor sq = saved(1);
        float[] gx = new float[rows * c];
        Parallel.forRange(rows, grain(c), (from, to) -> Softmax.crossEntropyProbBackwardRows(sx.array(), sx.offset,
            c, from, to, sq.array(), sq.offset, weight, smoothing, stats, g, gx, 0));
        grads.add(0, gx);
      }
    };
    node.save(logits, probs);
    return y.madeBy(node);
  }

  /** Negative log-likelihood per row of log-probabilities [rows, C]: {@code −w_t·x_t}, 0 when ignored. */
  public static Tensor nllRows(Tensor logProbs, int[] target, float[] weight) {
    checkRows("nllLoss", logProbs, target.length, null);
    int rows = logProbs.shape[0], c = logProbs.shape[1];
    checkTargets("nllLoss", target, weight, c);
    float[] loss = new float[rows];
    Softmax.nllRows(logProbs.array(), logProbs.offset, rows, c, target, weight, loss);
    Tensor y = Tensor.wrap(loss, new int[] {rows});
    if (!Autograd.recording(logProbs)) {
      return y;
    }
    return y.madeBy(new Node("nllLoss", y.shape, logProbs) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[rows * c];
        Softmax.nllBackwardRows(rows, c, target, weight, g, gx, 0);
        grads.add(0, gx);
      }
    });
  }
}
