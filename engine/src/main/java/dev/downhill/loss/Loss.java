package dev.downhill.loss;

import dev.downhill.autograd.ClassLosses;
import dev.downhill.autograd.Function;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Reductions;
import dev.downhill.kernels.Targets;
import java.util.Arrays;

/**
 * Loss functions as in {@code torch.nn.functional}: same names (in Java case), same formulas, same
 * defaults ({@link Reduction#MEAN}). Each returns a tensor that {@code backward()} differentiates with
 * respect to the input. The regression losses ({@link #mseLoss}, {@link #l1Loss},
 * {@link #smoothL1Loss}, {@link #huberLoss}) differentiate with respect to the target too, as PyTorch
 * does; the classification and binary losses give the target, the class weights and posWeight no
 * gradient.
 *
 * <pre>{@code
 * Tensor loss = Loss.crossEntropy(model.forward(x), labels);          // logits [N, C], labels [N]
 * Tensor mse = Loss.mseLoss(prediction, target, Reduction.SUM);
 * }</pre>
 *
 * <p>Class-index targets are float tensors holding whole numbers (the engine has one dtype); a value
 * that is not a whole number, or lies outside [0, C) and is not the ignore index, is refused with its
 * position. Element-wise losses need input and target of the same shape (PyTorch broadcasts them with
 * a warning; here a mismatch, the source of silent [N, 1]-vs-[N] bugs, is an error).
 */
public final class Loss {
  private Loss() {}

  // ------------------------------------------------------------------ regression

  /** Mean squared error, {@code (input − target)²}, reduced by the mean. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, Reduction.MEAN);
  }

  /** Squared error {@code (input − target)²}, reduced as asked. */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    sameShape("mseLoss", input, target);
    return reduce(input.sub(target).pow(2f), reduction);
  }

  /** Mean absolute error {@code |input − target|} (gradient 0 where they are equal, as PyTorch). */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, Reduction.MEAN);
  }

  /** Absolute error, reduced as asked. */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    sameShape("l1Loss", input, target);
    return reduce(input.sub(target).abs(), reduction);
  }

  /** Smooth L1 with beta = 1. */
  public static Tensor smoothL1Loss(Tensor input, Tensor target) {
    return smoothL1Loss(input, target, 1f, Reduction.MEAN);
  }

  /**
   * Smooth L1: with {@code d = |input − target|}, {@code 0.5·d²/beta} where {@code d < beta}, else
   * {@code d − 0.5·beta}; beta = 0 is L1. It is {@link #huberLoss} divided by beta.
   */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, float beta, Reduction reduction) {
    if (!(beta >= 0f) || Float.isInfinite(beta)) {
      throw new IllegalArgumentException("smoothL1Loss: beta must be finite and >= 0, got " + beta);
    }
    sameShape("smoothL1Loss", input, target);
    if (beta == 0f) {
      return l1Loss(input, target, reduction);
    }
    return reduce(huber(input.sub(target).abs(), beta).div(beta), reduction);
  }

  /** Huber loss with delta = 1. */
  public static Tensor huberLoss(Tensor input, Tensor target) {
    return huberLoss(input, target, 1f, Reduction.MEAN);
  }

  /**
   * Huber: with {@code d = |input − target|}, {@code 0.5·d²} where {@code d < delta}, else
   * {@code delta·(d − 0.5·delta)}; delta > 0.
   */
  public static Tensor huberLoss(Tensor input, Tensor target, float delta, Reduction reduction) {
    if (!(delta > 0f) || Float.isInfinite(delta)) {
      throw new IllegalArgumentException("huberLoss: delta must be finite and > 0, got " + delta);
    }
    sameShape("huberLoss", input, target);
    return reduce(huber(input.sub(target).abs(), delta), reduction);
  }

  /**
   * {@code 0.5·m² + delta·(d − m)} with {@code m = min(d, delta)}: both branches of Huber in one
   * expression whose gradient (d below delta, delta above) is continuous at the seam.
   */
  private static Tensor huber(Tensor d, float delta) {
    Tensor m = d.clampMax(delta);
    return m.pow(2f).mul(0.5f).add(d.sub(m).mul(delta));
  }

  // ------------------------------------------------------------------ classification

  /** Cross-entropy with PyTorch's defaults; see {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}. */
  public static Tensor crossEntropy(Tensor logits, Tensor target) {
    return crossEntropy(logits, target, CrossEntropyOptions.defaults());
  }

  /** Cross-entropy with PyTorch's defaults and the given reduction. */
  public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
    return crossEntropy(logits, target, CrossEntropyOptions.defaults().reduction(reduction));
  }

  /**
   * {@code torch.nn.functional.cross_entropy}: log-softmax of {@code logits} over the class dimension
   * (dimension 1, or 0 for an unbatched [C] input) and the negative log-likelihood of the target,
   * through log-sum-exp so logits of ±1e4 give finite, correct results.
   *
   * <ul>
   *   <li>Class indices: logits [N, C] with target [N], logits [N, C, d1, ...] with target
   *       [N, d1, ...], or logits [C] with a scalar target.</li>
   *   <li>Class probabilities: a target of the logits' own shape.</li>
   * </ul>
   * Options: {@code weight} [C], {@code ignoreIndex} (class indices only), {@code labelSmoothing},
   * {@code reduction}. 'mean' over class indices divides by the summed weight of the targets not
   * ignored (their count without weights); over probabilities, by the number of samples. When that
   * divisor is 0 — every target ignored, an empty batch, or target weights summing to 0 — 'mean' gives
   * 0 with a zero gradient (PyTorch: NaN). {@code ignoreIndex} applies to class indices only; with
   * probability targets a non-negative one is refused, as PyTorch does. The backward is
   * {@code (softmax − target)·scale} in one pass per row.
   */
  public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions options) {
    return classLoss("crossEntropy", logits, target, options, false);
  }

  /** Negative log-likelihood with PyTorch's defaults; input holds log-probabilities. */
  public static Tensor nllLoss(Tensor logProbs, Tensor target) {
    return nllLoss(logProbs, target, CrossEntropyOptions.defaults());
  }

  /**
   * {@code torch.nn.functional.nll_loss}: {@code −w_t·input[t]} per sample for log-probabilities
   * [N, C] (or [N, C, d...], or [C]) and class indices; {@code weight}, {@code ignoreIndex} and
   * {@code reduction} as for cross-entropy ('mean' with a zero divisor gives 0, PyTorch NaN). Label
   * smoothing is refused: PyTorch's nll_loss has none.
   */
  public static Tensor nllLoss(Tensor logProbs, Tensor target, CrossEntropyOptions options) {
    if (options.labelSmoothing != 0f) {
      throw new IllegalArgumentException("nllLoss: labelSmoothing is a crossEntropy option, got " + options.labelSmoothing);
    }
    return classLoss("nllLoss", logProbs, target, options, true);
  }

  private static Tensor classLoss(String op, Tensor input, Tensor target, CrossEntropyOptions o, boolean nll) {
    int rank = input.dim();
    if (rank == 0) {
      throw new IllegalArgumentException(op + ": input must have a class dimension, got a scalar");
    }
    int[] shape = input.shape();
    int classDim = rank == 1 ? 0 : 1;
    int c = shape[classDim];
    float[] weight = ClassLosses.classWeights(op, o.weight, c);
    int[] targetShape = target.shape();
    boolean probabilities = !nll && targetShape.length == rank;
    int[] sampleShape = without(shape, classDim);
    if (probabilities && !Arrays.equals(targetShape, shape)) {
      throw new IllegalArgumentException(op + ": probability target of shape " + Arrays.toString(targetShape)
          + " does not match input of shape " + Arrays.toString(shape) + " (class-index targets have shape "
          + Arrays.toString(sampleShape) + ")");
    }
    if (probabilities && o.ignoreIndex >= 0) {
      throw new IllegalArgumentException(op + ": ignoreIndex " + o.ignoreIndex
          + " is not supported for probability targets (PyTorch: only a negative ignore_index is allowed)");
    }
    if (!probabilities && !Arrays.equals(targetShape, sampleShape)) {
      throw new IllegalArgumentException(op + ": class-index target of shape " + Arrays.toString(targetShape)
          + " does not fit input of shape " + Arrays.toString(shape) + ": expected " + Arrays.toString(sampleShape)
          + (nll ? "" : " (or the input's shape for probabilities)"));
    }
    if (c == 0) {
      throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(shape) + " has no classes");
    }
    Tensor rows = toRows(input, c);
    Tensor perSample;
    double divisor;
    if (probabilities) {
      perSample = ClassLosses.crossEntropyProbRows(rows, toRows(target.detach(), c), weight, o.labelSmoothing);
      divisor = rows.size(0);
    } else {
      int[] idx = ClassLosses.classIndices(op, target, c, o.ignoreIndex);
      perSample = nll ? ClassLosses.nllRows(rows, idx, weight)
          : ClassLosses.crossEntropyRows(rows, idx, weight, o.labelSmoothing);
      divisor = Targets.weightOfTargets(idx, weight);
    }
    return switch (o.reduction) {
      case NONE -> perSample.reshape(sampleShape);
      case SUM -> perSample.sum();
      case MEAN -> divisor == 0 ? perSample.sum().mul(0f) : perSample.sum().div((float) divisor);
    };
  }

  /** [N, C, d...] → [N·d..., C] (a copy that moves the class dimension last); [C] → [1, C]. */
  private static Tensor toRows(Tensor t, int c) {
    int rank = t.dim();
    if (rank == 1) {
      return t.reshape(1, c);
    }
    if (rank == 2) {
      return t;
    }
    return t.movedim(1, rank - 1).reshape(-1, c);
  }

  // ------------------------------------------------------------------ binary

  /**
   * Refuses a target outside [0, 1] (or NaN), naming the first such value and its position: PyTorch
   * accepts them and returns a loss that is no cross-entropy (it can be negative).
   */
  private static void checkProbabilityTargets(String op, Tensor target) {
    Tensor outside = target.lt(0f).add(target.gt(1f)).add(target.ne(target));
    if (outside.numel() > 0 && outside.max().item() > 0f) {
      int at = (int) outside.argmax().item();
      int[] position = new int[target.dim()];
      for (int d = target.dim() - 1, rest = at; d >= 0; d--) {
        position[d] = rest % target.size(d);
        rest /= target.size(d);
      }
      throw new IllegalArgumentException(op + ": target " + target.toArray()[at] + " at position "
          + Arrays.toString(position) + " is not a probability in [0, 1]");
    }
  }

  /** Binary cross-entropy of probabilities, mean; see the full overload. */
  public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
    return binaryCrossEntropy(input, target, null, Reduction.MEAN);
  }

  /**
   * {@code torch.nn.functional.binary_cross_entropy}: {@code −w·(y·log p + (1−y)·log(1−p))} with each
   * log clamped at −100 (as PyTorch, so p = 0 or 1 stays finite). {@code input} must lie in [0, 1];
   * {@code weight} (null for none) broadcasts to the input. The gradient is PyTorch's
   * {@code w·(p − y)/max(p·(1−p), 1e-12)}.
   */
  public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    sameShape("binaryCrossEntropy", input, target);
    if (input.numel() > 0) {
      float[] p = input.detach().toArray();
      float lo = Reductions.min(p, 0, p.length), hi = Reductions.max(p, 0, p.length);
      if (!(lo >= 0f && hi <= 1f)) {
        throw new IllegalArgumentException("binaryCrossEntropy: input must hold probabilities in [0, 1], found "
            + (lo >= 0f ? hi : lo));
      }
    }
    Tensor y = target.detach();
    checkProbabilityTargets("binaryCrossEntropy", y);
    Tensor w = weight == null ? null : weight.detach();
    Function bce = new Function("binaryCrossEntropy") {
      protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        Tensor p = in[0];
        Tensor l = y.mul(p.log().clampMin(-100f)).add(y.rsub(1f).mul(p.rsub(1f).log().clampMin(-100f))).neg();
        return w == null ? l : l.mul(w);
      }

      protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor p = ctx.saved(0);
        Tensor d = p.sub(y).div(p.mul(p.rsub(1f)).clampMin(1e-12f)).mul(g);
        return new Tensor[] {w == null ? d : d.mul(w)};
      }
    };
    return reduce(bce.apply(input), reduction);
  }

  /** Binary cross-entropy on logits, mean; see the full overload. */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
    return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
  }

  /**
   * {@code torch.nn.functional.binary_cross_entropy_with_logits} in its stable form:
   * {@code w·((1−y)·x + (1 + (pw−1)·y)·softplus(−x))}, which never evaluates {@code log(0)}.
   * {@code weight} broadcasts to the input; {@code posWeight} (the positive-class weight, broadcast
   * along the last dimension) may be null for 1.
   */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
      Reduction reduction) {
    sameShape("binaryCrossEntropyWithLogits", input, target);
    Tensor y = target.detach();
    Tensor sp = input.neg().softplus();
    Tensor l;
    if (posWeight == null) {
      l = y.rsub(1f).mul(input).add(sp);
    } else {
      Tensor scale = y.mul(posWeight.detach().sub(1f)).add(1f);
      l = y.rsub(1f).mul(input).add(scale.mul(sp));
    }
    if (weight != null) {
      l = l.mul(weight.detach());
    }
    return reduce(l, reduction);
  }

  // ------------------------------------------------------------------ shared

  private static Tensor reduce(Tensor perElement, Reduction reduction) {
    return switch (reduction) {
      case MEAN -> perElement.mean();
      case SUM -> perElement.sum();
      case NONE -> perElement;
    };
  }

  private static void sameShape(String op, Tensor input, Tensor target) {
    if (!Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(input.shape())
          + " and target of shape " + Arrays.toString(target.shape()) + " differ; they must have the same shape");
    }
  }

  private static int[] without(int[] shape, int dim) {
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != dim) {
        out[j++] = shape[i];
      }
    }
    return out;
  }
}
