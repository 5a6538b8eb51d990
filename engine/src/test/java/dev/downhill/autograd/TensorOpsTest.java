package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.kernels.Parallel;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Utils;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the ops added for demos, data loading and a small transformer compute, and how they refuse
 * bad input (gradients: {@link EveryOpGradientTest}; PyTorch's values: {@code KinkGoldenTest}).
 */
class TensorOpsTest {
  private static void assertMessage(Class<? extends Throwable> type, String message, Executable e) {
    assertEquals(message, assertThrows(type, e).getMessage());
  }

  private static Tensor t(float... v) {
    return Tensor.of(v);
  }

  // ---------------------------------------------------------------- comparisons

  @Test
  void comparisonsAreZeroOneAndFollowIeee() {
    float nan = Float.NaN;
    Tensor a = t(1, 2, 3, nan, -0f);
    Tensor b = t(2, 2, 2, nan, 0f);
    assertArrayEquals(new float[] {0, 1, 0, 0, 1}, a.eq(b).toArray());
    assertArrayEquals(new float[] {1, 0, 1, 1, 0}, a.ne(b).toArray());
    assertArrayEquals(new float[] {1, 0, 0, 0, 0}, a.lt(b).toArray());
    assertArrayEquals(new float[] {1, 1, 0, 0, 1}, a.le(b).toArray());
    assertArrayEquals(new float[] {0, 0, 1, 0, 0}, a.gt(b).toArray());
    assertArrayEquals(new float[] {0, 1, 1, 0, 1}, a.ge(b).toArray());
    assertArrayEquals(new float[] {0, 0, 1, 0, 0}, a.gt(2f).toArray());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1}, a.ne(nan).toArray());
  }

  @Test
  void comparisonsBroadcastBothWaysAndNeverRequireGrad() {
    Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1).requiresGrad(true);
    Tensor row = Tensor.of(new float[] {2, 3}, 1, 2);
    Tensor lt = col.lt(row);
    assertArrayEquals(new int[] {3, 2}, lt.shape());
    assertArrayEquals(new float[] {1, 1, 0, 1, 0, 0}, lt.toArray());
    assertArrayEquals(new float[] {0, 0, 1, 0, 1, 1}, row.le(col).toArray()); // the repeated operand on the left
    assertFalse(lt.requiresGrad());
    assertNull(lt.gradFn());
    assertMessage(IllegalArgumentException.class, "eq: shapes [3, 1] and [2, 4] do not broadcast", () -> col.eq(Tensor.zeros(2, 4)));
  }

  @Test
  void accuracyAsTheChapterWritesIt() {
    Tensor logits = Tensor.of(new float[] {2, 1, 0, 3, 5, 4}, 3, 2);
    Tensor y = t(0, 1, 1);
    Tensor acc = logits.argmax(1, false).eq(y).mean(); // (pred == y).float().mean()
    assertEquals(2f / 3f, acc.item());
  }

  // ---------------------------------------------------------------- where, maskedFill, tril, triu

  @Test
  void whereBroadcastsAndSendsTheGradientToTheTakenBranch() {
    Tensor a = t(1, 2, 3).requiresGrad(true);
    Tensor b = Tensor.scalar(-1f).requiresGrad(true);
    Tensor c = t(1, 0, Float.NaN); // NaN is nonzero: true, as bool(nan) in PyTorch
    Tensor y = Tensor.where(c, a, b);
    assertArrayEquals(new float[] {1, -1, 3}, y.toArray());
    y.mul(t(10, 20, 30)).sum().backward();
    assertArrayEquals(new float[] {10, 0, 30}, a.grad().toArray());
    assertEquals(20f, b.grad().item());
    assertEquals("where", y.gradFn() == null ? null : "where");
  }

  @Test
  void maskedFillFillsWhereTheMaskIsSetAndBlocksTheGradientThere() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
    Tensor causal = Tensor.ones(2, 2).triu(1); // [[0, 1], [0, 0]]: the future
    Tensor y = x.maskedFill(causal, Float.NEGATIVE_INFINITY);
    assertArrayEquals(new float[] {1, Float.NEGATIVE_INFINITY, 3, 4}, y.toArray());
    Tensor p = y.softmax(-1);
    assertArrayEquals(new float[] {1, 0}, p.select(0, 0).toArray());
    x.maskedFill(causal, 0f).sum().backward();
    assertArrayEquals(new float[] {1, 0, 1, 1}, x.grad().toArray());
    assertMessage(IllegalArgumentException.class,
        "maskedFill: shapes [2, 2] and [3] do not broadcast", () -> x.maskedFill(t(1, 0, 1), 0f));
    assertMessage(IllegalArgumentException.class,
        "maskedFill: mask of shape [2, 1, 2] does not broadcast to the tensor's shape [2, 2]",
        () -> x.maskedFill(Tensor.zeros(2, 1, 2), 0f));
  }

  @Test
  void trilAndTriuKeepTheirDiagonalsOnBatchesOfRectangles() {
    Tensor x = Tensor.arange(1, 13, 1).reshape(2, 2, 3);
    assertArrayEquals(new float[] {1, 0, 0, 4, 5, 0, 7, 0, 0, 10, 11, 0}, x.tril(0).toArray());
    assertArrayEquals(new float[] {0, 2, 3, 0, 0, 6, 0, 8, 9, 0, 0, 12}, x.triu(1).toArray());
    assertArrayEquals(new float[] {0, 0, 0, 4, 0, 0, 0, 0, 0, 10, 0, 0}, x.tril(-1).toArray());
    assertArrayEquals(x.toArray(), x.tril(5).toArray());
    assertArrayEquals(new float[12], x.triu(3).toArray());
    assertMessage(IllegalArgumentException.class, "tril: needs a tensor of at least 2 dimensions, got shape [3]",
        () -> t(1, 2, 3).tril(0));
  }

  // ---------------------------------------------------------------- indexing

  @Test
  void indexSelectPicksAndRepeatsAlongAnyDimension() {
    Tensor x = Tensor.arange(6).reshape(2, 3).requiresGrad(true);
    Tensor y = x.indexSelect(1, t(2, 0, 2));
    assertArrayEquals(new int[] {2, 3}, y.shape());
    assertArrayEquals(new float[] {2, 0, 2, 5, 3, 5}, y.toArray());
    y.sum().backward();
    assertArrayEquals(new float[] {1, 0, 2, 1, 0, 2}, x.grad().toArray(), "a repeated index sums its gradient");
    assertArrayEquals(new float[] {3, 4, 5}, x.indexSelect(0, Tensor.scalar(1)).flatten().toArray());
    assertMessage(IndexOutOfBoundsException.class, "indexSelect: index 7 at position 1 is out of range for dimension 0 of size 2",
        () -> x.indexSelect(0, t(0, 7)));
    assertMessage(IllegalArgumentException.class, "indexSelect: index 0.5 at position 0 is not a whole number",
        () -> x.indexSelect(1, t(0.5f)));
    assertMessage(IllegalArgumentException.class, "indexSelect: index must be 0-D or 1-D, got shape [1, 1]",
        () -> x.indexSelect(1, Tensor.zeros(1, 1)));
    assertMessage(IndexOutOfBoundsException.class, "indexSelect: dimension 2 is out of range for a tensor of rank 2 (expected -2 to 1)",
        () -> x.indexSelect(2, t(0)));
    assertMessage(IllegalArgumentException.class,
        "indexSelect: the index of shape [1] requires grad; indices are not differentiable (detach them)",
        () -> x.indexSelect(0, t(0).requiresGrad(true)));
  }

  @Test
  void gatherFollowsTorchAndRefusesShapesThatDoNotFit() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor idx = Tensor.of(new float[] {0, 0, 1, 0}, 2, 2); // torch.gather(t, 1, [[0, 0], [1, 0]])
    assertArrayEquals(new float[] {1, 1, 4, 3}, x.gather(1, idx).toArray());
    assertArrayEquals(new float[] {1, 2, 3, 2}, x.gather(0, idx).toArray());
    assertArrayEquals(new float[] {3}, x.gather(0, Tensor.of(new float[] {1}, 1, 1)).toArray(), "a smaller index");
    assertMessage(IllegalArgumentException.class, "gather: index of shape [4] must have as many dimensions as the input [2, 2]",
        () -> x.gather(1, t(0, 1, 0, 1)));
    assertMessage(IllegalArgumentException.class,
        "gather: index of shape [3, 1] is larger than the input [2, 2] in dimension 0 (3 > 2)",
        () -> x.gather(1, Tensor.zeros(3, 1)));
    assertMessage(IndexOutOfBoundsException.class, "gather: index 2 at position 3 is out of range for dimension 1 of size 2",
        () -> x.gather(1, Tensor.of(new float[] {0, 0, 1, 2}, 2, 2)));
  }

  @Test
  void narrowAndSelectAreViewsWhereContiguousAndCopiesElsewhere() {
    Tensor x = Tensor.arange(12).reshape(3, 4);
    Tensor rows = x.narrow(0, 1, 2);
    Tensor cols = x.narrow(1, 1, 2);
    Tensor col = x.select(1, -1);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, rows.toArray());
    assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, cols.toArray());
    assertArrayEquals(new float[] {3, 7, 11}, col.toArray());
    x.set(-1f, 1, 1);
    assertEquals(-1f, rows.get(0, 1), "narrow along dimension 0 shares storage");
    assertEquals(5f, cols.get(1, 0), "narrow along dimension 1 copied");
    Tensor leading = Tensor.arange(8).reshape(1, 2, 4).narrow(1, 1, 1);
    assertArrayEquals(new float[] {4, 5, 6, 7}, leading.toArray(), "leading size-1 dimensions keep it a view");
  }

  @Test
  void stackSplitAndChunk() {
    Tensor a = t(1, 2), b = t(3, 4);
    assertArrayEquals(new int[] {2, 2}, Tensor.stack(0, a, b).shape());
    assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.stack(1, a, b).toArray());
    assertArrayEquals(new int[] {2, 2}, Tensor.stack(-1, a, b).shape());
    assertMessage(IllegalArgumentException.class, "stack: tensor 1 has shape [3], tensor 0 has [2]; all must be equal",
        () -> Tensor.stack(0, a, t(1, 2, 3)));
    Tensor x = Tensor.arange(10);
    assertEquals(List.of(3, 3, 3, 1), Arrays.stream(x.split(3, 0)).map(p -> p.size(0)).toList());
    assertEquals(List.of(4, 4, 2), Arrays.stream(x.chunk(3, 0)).map(p -> p.size(0)).toList());
    assertEquals(List.of(2, 2), Arrays.stream(Tensor.arange(4).chunk(3, 0)).map(p -> p.size(0)).toList(), "torch.chunk may return fewer");
    assertArrayEquals(new float[] {7, 8, 9}, x.split(new int[] {7, 3}, 0)[1].toArray());
    assertMessage(IllegalArgumentException.class, "split: sizes [7, 2] add up to 9, but dimension 0 has size 10",
        () -> x.split(new int[] {7, 2}, 0));
    assertMessage(IllegalArgumentException.class, "chunk: chunks must be positive, got 0", () -> x.chunk(0, 0));
  }

  @Test
  void expandBroadcastsSizeOneDimensionsOnly() {
    Tensor x = Tensor.of(new float[] {1, 2}, 2, 1).requiresGrad(true);
    Tensor y = x.expand(3, -1, 2);
    assertArrayEquals(new int[] {3, 2, 2}, y.shape());
    assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}, y.toArray());
    y.sum().backward();
    assertArrayEquals(new float[] {6, 6}, x.grad().toArray());
    assertMessage(IllegalArgumentException.class,
        "expand: shape [2, 1] cannot expand to [3, 4] (dimension 0: 2 to 3; only size-1 dimensions expand)", () -> x.expand(3, 4));
  }

  // ---------------------------------------------------------------- reductions with indices

  @Test
  void maxAndMinOverADimensionGiveValuesAndIndices() {
    Tensor x = Tensor.of(new float[] {1, 5, 5, 7, 0, 2}, 2, 3);
    Tensor.ValuesIndices m = x.max(1);
    assertArrayEquals(new float[] {5, 7}, m.values().toArray());
    assertArrayEquals(new float[] {1, 0}, m.indices().toArray(), "the first of a tie");
    Tensor.ValuesIndices n = x.min(0, true);
    assertArrayEquals(new int[] {1, 3}, n.indices().shape());
    assertArrayEquals(new float[] {1, 0, 2}, n.values().toArray());
    assertArrayEquals(new float[] {0, 1, 1}, n.indices().toArray());
    assertFalse(m.indices().requiresGrad());
  }

  @Test
  void topkSortsAndBreaksTiesByPosition() {
    Tensor x = Tensor.of(new float[] {3, 1, Float.NaN, 3, -0f, 0f}, 1, 6);
    Tensor.ValuesIndices top = x.topk(3, 1);
    assertArrayEquals(new float[] {Float.NaN, 3, 3}, top.values().toArray(), "NaN is the largest, as torch.topk");
    assertArrayEquals(new float[] {2, 0, 3}, top.indices().toArray());
    Tensor.ValuesIndices low = x.topk(3, 1, false);
    assertArrayEquals(new float[] {-0f, 0f, 1}, low.values().toArray());
    assertArrayEquals(new float[] {4, 5, 1}, low.indices().toArray(), "−0 equals +0: positions decide");
    Tensor cols = Tensor.of(new float[] {1, 6, 4, 2, 3, 5}, 3, 2).topk(2, 0).indices();
    assertArrayEquals(new float[] {1, 0, 2, 2}, cols.toArray(), "over dimension 0");
    assertMessage(IllegalArgumentException.class, "topk: k = 7 is out of range for dimension 1 of size 6 (shape [1, 6])",
        () -> x.topk(7, 1));
  }

  @Test
  void varAndStdMatchTheTextbook() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, 2, 4);
    assertArrayEquals(new float[] {5f / 3f, 20f / 3f}, x.var(1, 1, false).toArray(), 1e-6f);
    assertArrayEquals(new float[] {1.25f, 5f}, x.var(1, 0, false).toArray(), 1e-6f);
    assertArrayEquals(new int[] {2, 1}, x.std(1, 1, true).shape());
    assertEquals((float) Math.sqrt(1.25), x.std(1, 0, false).toArray()[0], 1e-6f);
    assertTrue(Float.isNaN(t(3).var(1).item()), "one element, correction 1: 0/0, NaN as PyTorch");
    assertEquals(Float.POSITIVE_INFINITY, t(3, 5).var(2).item(), "n − correction = 0 with a spread: a positive sum over 0, inf as PyTorch");
  }

  @Test
  void sinAndCos() {
    assertArrayEquals(new float[] {0, 1, 0}, t(0, (float) (Math.PI / 2), 0).sin().toArray(), 1e-7f);
    assertArrayEquals(new float[] {1, -1}, t(0, (float) Math.PI).cos().toArray(), 1e-7f);
  }

  // ---------------------------------------------------------------- random

  @Property(tries = 50)
  void randpermIsAPermutationAndTheSameForTheSameSeed(@ForAll @IntRange(min = 0, max = 300) int n,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    float[] p = Tensor.randperm(new Generator(seed), n).toArray();
    float[] sorted = p.clone();
    Arrays.sort(sorted);
    assertArrayEquals(Tensor.arange(n).toArray(), sorted);
    assertArrayEquals(p, Tensor.randperm(new Generator(seed), n).toArray());
  }

  @Test
  void randpermAndMultinomialDoNotDependOnTheThreadCount() {
    Tensor probs = Tensor.rand(new Generator(3), 4, 50);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      float[] p1 = Tensor.randperm(new Generator(9), 1000).toArray();
      float[] m1 = Tensor.multinomial(new Generator(9), probs, 20, false).toArray();
      Parallel.setThreads(2);
      assertArrayEquals(p1, Tensor.randperm(new Generator(9), 1000).toArray());
      assertArrayEquals(m1, Tensor.multinomial(new Generator(9), probs, 20, false).toArray());
    } finally {
      Parallel.setThreads(before);
    }
    // the sequence is fixed by the algorithm (Fisher–Yates on L64X128MixRandom): a change would show here
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sortedCopy(Tensor.randperm(new Generator(0), 10).toArray()));
  }

  private static float[] sortedCopy(float[] v) {
    float[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  @Test
  void multinomialFollowsTheWeights() {
    Tensor probs = t(0.1f, 0f, 0.6f, 0.3f);
    float[] draws = Tensor.multinomial(new Generator(1), probs, 20000, true).toArray();
    int[] count = new int[4];
    for (float d : draws) {
      count[(int) d]++;
    }
    assertEquals(0, count[1], "a zero weight is never drawn");
    assertEquals(0.1, count[0] / 20000.0, 0.01);
    assertEquals(0.6, count[2] / 20000.0, 0.01);
    assertEquals(0.3, count[3] / 20000.0, 0.01);
    float[] unique = Tensor.multinomial(new Generator(2), Tensor.ones(2, 5), 5, false).toArray();
    for (int r = 0; r < 2; r++) {
      assertArrayEquals(new float[] {0, 1, 2, 3, 4}, sortedCopy(Arrays.copyOfRange(unique, 5 * r, 5 * r + 5)));
    }
    Tensor weights = t(2f, 6f); // need not sum to 1
    float ones = Tensor.multinomial(new Generator(5), weights, 8000, true).sum().item();
    assertEquals(0.75, ones / 8000.0, 0.02);
  }

  @Test
  void multinomialRefusesWhatIsNoDistribution() {
    Generator g = new Generator(0);
    assertMessage(IllegalArgumentException.class, "multinomial: probability -0.5 at [1] is not a finite non-negative number",
        () -> Tensor.multinomial(g, t(1, -0.5f), 1, true));
    assertMessage(IllegalArgumentException.class, "multinomial: probability NaN at [1, 0] is not a finite non-negative number",
        () -> Tensor.multinomial(g, Tensor.of(new float[] {1, 1, Float.NaN, 1}, 2, 2), 1, true));
    assertMessage(IllegalArgumentException.class, "multinomial: row 0 has 0 categories of positive weight; at least one is needed",
        () -> Tensor.multinomial(g, t(0, 0), 1, true));
    assertMessage(IllegalArgumentException.class,
        "multinomial: row 0 has 2 categories of positive weight; sampling 3 without replacement needs that many",
        () -> Tensor.multinomial(g, t(1, 0, 1), 3, false));
    assertMessage(IllegalArgumentException.class, "multinomial: probs must be 1-D or 2-D, got shape []",
        () -> Tensor.multinomial(g, Tensor.scalar(1), 1, true));
  }

  // ---------------------------------------------------------------- meshgrid

  @Test
  void meshgridIndexesAsTorchAndNumPy() {
    Tensor x = t(1, 2, 3), y = t(10, 20);
    Tensor[] ij = Tensor.meshgrid("ij", x, y);
    assertArrayEquals(new int[] {3, 2}, ij[0].shape());
    assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, ij[0].toArray());
    assertArrayEquals(new float[] {10, 20, 10, 20, 10, 20}, ij[1].toArray());
    Tensor[] xy = Tensor.meshgrid("xy", x, y);
    assertArrayEquals(new int[] {2, 3}, xy[0].shape());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, xy[0].toArray());
    assertArrayEquals(new float[] {10, 10, 10, 20, 20, 20}, xy[1].toArray());
    assertMessage(IllegalArgumentException.class, "meshgrid: indexing must be \"ij\" or \"xy\", got \"yx\"",
        () -> Tensor.meshgrid("yx", x, y));
    assertMessage(IllegalArgumentException.class, "meshgrid: tensor 1 has shape [1, 2]; every input must be 0-D or 1-D",
        () -> Tensor.meshgrid("ij", x, y.reshape(1, 2)));
  }

  // ---------------------------------------------------------------- refusals the issue named

  @Test
  void clipGradNormRefusesANegativeOrNaNMaxNorm() {
    Tensor p = t(3, 4).requiresGrad(true);
    p.mul(p).sum().backward();
    assertMessage(IllegalArgumentException.class,
        "clipGradNorm: maxNorm must be 0 or more, got -1.0 (a negative or NaN maxNorm would flip or poison every gradient)",
        () -> Utils.clipGradNorm(List.of(p), -1.0));
    assertThrows(IllegalArgumentException.class, () -> Utils.clipGradNorm(List.of(p), Double.NaN));
    assertArrayEquals(new float[] {6, 8}, p.grad().toArray(), "a refused call leaves the gradients alone");
  }

  @Test
  void binaryCrossEntropyRefusesTargetsThatAreNoProbabilities() {
    Tensor p = Tensor.full(0.5f, 2, 2);
    assertMessage(IllegalArgumentException.class, "binaryCrossEntropy: target 1.5 at position [1, 0] is not a probability in [0, 1]",
        () -> Loss.binaryCrossEntropy(p, Tensor.of(new float[] {0, 1, 1.5f, 0}, 2, 2)));
    assertMessage(IllegalArgumentException.class, "binaryCrossEntropy: target NaN at position [0, 1] is not a probability in [0, 1]",
        () -> Loss.binaryCrossEntropy(p, Tensor.of(new float[] {0, Float.NaN, 1, 0}, 2, 2)));
    assertNotEquals(0f, Loss.binaryCrossEntropy(p, Tensor.of(new float[] {0, 1, 0.25f, 1}, 2, 2)).item());
  }

  @Test
  void theSameArrayHandedToTwoInputsIsNotShared() {
    Tensor a = t(1, 2).requiresGrad(true);
    Tensor b = t(3, 4).requiresGrad(true);
    a.add(b).sum().backward(); // add hands its upstream gradient to both inputs
    a.grad().addInPlace(t(100, 100));
    assertArrayEquals(new float[] {1, 1}, b.grad().toArray(), "b's gradient is its own array");
    assertTrue(a.grad().get(0) > 100f);
  }
}
