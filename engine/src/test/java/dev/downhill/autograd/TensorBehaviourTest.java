package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Tensor as a user meets it: factories with torch's values, seeded randomness that must not drift,
 * element access, error messages a user can act on, and printing that matches a PyTorch session.
 */
class TensorBehaviourTest {

  private static float[] f(float... v) {
    return v;
  }

  /** The exception's message must be exactly {@code message}: it is part of the user interface. */
  private static void assertMessage(Class<? extends Throwable> type, String message, Executable e) {
    Throwable t = assertThrows(type, e);
    assertEquals(message, t.getMessage());
  }

  // ---------------------------------------------------------------- factories

  @Nested
  class Factories {
    @Test
    void zerosOnesAndFull() {
      Tensor z = Tensor.zeros(2, 3);
      assertArrayEquals(new int[] {2, 3}, z.shape());
      assertEquals(6, z.numel());
      assertEquals(2, z.dim());
      assertArrayEquals(new float[6], z.toArray());
      assertArrayEquals(f(1, 1, 1, 1), Tensor.ones(4).toArray());
      assertArrayEquals(f(2.5f, 2.5f, 2.5f, 2.5f), Tensor.full(2.5f, 2, 2).toArray());
      assertArrayEquals(new int[0], Tensor.zeros().shape(), "no sizes: a 0-d tensor, as torch.zeros(())");
      assertEquals(1, Tensor.zeros().numel());
      assertEquals(0, Tensor.zeros(3, 0).numel());
      assertArrayEquals(f(0, 0), Tensor.ones(2).zerosLike().toArray());
      assertArrayEquals(f(1, 1), Tensor.zeros(2).onesLike().toArray());
    }

    @Test
    void ofCopiesItsInput() {
      float[] data = {1, 2, 3, 4, 5, 6};
      Tensor t = Tensor.of(data, 2, 3);
      data[0] = 99;
      assertEquals(1f, t.get(0, 0));
      assertArrayEquals(new int[] {6}, Tensor.of(data).shape(), "no shape: 1-D");
      Tensor rows = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
      assertArrayEquals(new int[] {2, 3}, rows.shape());
      assertArrayEquals(f(1, 2, 3, 4, 5, 6), rows.toArray());
      float[] out = rows.toArray();
      out[0] = 42;
      assertEquals(1f, rows.get(0, 0), "toArray is a copy");
    }

    @Test
    void scalar() {
      Tensor s = Tensor.scalar(3f);
      assertEquals(0, s.dim());
      assertArrayEquals(new int[0], s.shape());
      assertEquals(1, s.numel());
      assertEquals(3f, s.item());
      assertEquals(3f, s.get());
    }

    @Test
    void arangeAsTorch() {
      assertArrayEquals(f(0, 1, 2, 3, 4), Tensor.arange(5).toArray());
      assertArrayEquals(f(5, 3.5f, 2, 0.5f), Tensor.arange(5, 0, -1.5f).toArray(), "negative step");
      assertArrayEquals(f(1, 1.5f), Tensor.arange(1, 2, 0.5f).toArray(), "end excluded");
      // ceil((1 − 0) / 0.3) = 4 elements, the last below the end.
      Tensor t = Tensor.arange(0, 1, 0.3f);
      assertArrayEquals(new int[] {4}, t.shape());
      assertArrayEquals(f(0, 0.3f, 0.6f, 0.9f), t.toArray(), 1e-7f);
      assertEquals(0, Tensor.arange(2, 2, 1).numel(), "start == end: empty");
      assertArrayEquals(f(-3, -2, -1), Tensor.arange(-3, 0, 1).toArray());
    }

    @Test
    void linspaceAsTorch() {
      assertArrayEquals(f(-4, -1.5f, 1, 3.5f, 6), Tensor.linspace(-4, 6, 5).toArray(), 0f);
      assertEquals(0, Tensor.linspace(0, 1, 0).numel());
      assertArrayEquals(f(2), Tensor.linspace(2, 7, 1).toArray(), "one step: the start, as torch");
      assertArrayEquals(f(1, 0.5f, 0), Tensor.linspace(1, 0, 3).toArray(), 0f);
      // torch.linspace(0, 1, 7) and (-1, 1, 10) in float32, value for value: both ends exact.
      assertArrayEquals(f(0f, 0.16666667f, 0.33333334f, 0.5f, 0.6666666f, 0.8333333f, 1f),
          Tensor.linspace(0, 1, 7).toArray(), 0f);
      assertArrayEquals(f(-1f, -0.7777778f, -0.5555556f, -0.3333333f, -0.111111104f, 0.111111104f, 0.3333333f,
          0.5555556f, 0.7777778f, 1f), Tensor.linspace(-1, 1, 10).toArray(), 0f);
      float[] odd = Tensor.linspace(0.1f, 0.7f, 13).toArray();
      assertEquals(0.1f, odd[0]);
      assertEquals(0.7f, odd[12]);
    }
  }

  // ---------------------------------------------------------------- randomness

  @Nested
  class Randomness {
    @Test
    void sameSeedSameNumbers() {
      assertArrayEquals(Tensor.rand(new Generator(7), 3, 4).toArray(), Tensor.rand(new Generator(7), 3, 4).toArray());
      assertArrayEquals(Tensor.randn(new Generator(7), 50).toArray(), Tensor.randn(new Generator(7), 50).toArray());
      assertArrayEquals(Tensor.randint(new Generator(7), -5, 5, 50).toArray(),
          Tensor.randint(new Generator(7), -5, 5, 50).toArray());
      assertEquals(7L, new Generator(7).seed());
    }

    @Test
    void differentSeedsDiffer() {
      assertFalse(Arrays.equals(Tensor.rand(new Generator(1), 8).toArray(), Tensor.rand(new Generator(2), 8).toArray()));
      assertFalse(Arrays.equals(Tensor.randn(new Generator(1), 8).toArray(), Tensor.randn(new Generator(2), 8).toArray()));
    }

    @Test
    void drawsContinueInRowMajorOrder() {
      Generator g = new Generator(3);
      Tensor a = Tensor.rand(g, 2, 3);
      Tensor b = Tensor.rand(g, 4);
      float[] both = Tensor.rand(new Generator(3), 10).toArray();
      assertArrayEquals(Arrays.copyOfRange(both, 0, 6), a.toArray());
      assertArrayEquals(Arrays.copyOfRange(both, 6, 10), b.toArray());
      assertArrayEquals(new int[] {2, 3}, a.shape());
    }

    /**
     * Golden values for seed 42. A change here means every seeded experiment in the book changes:
     * a different JDK's L64X128MixRandom, or a changed float conversion, must fail loudly.
     */
    @Test
    void seed42IsPinned() {
      assertArrayEquals(f(0.6964138f, 0.6709997f, 0.7075243f, 0.8153564f, 0.53191066f),
          Tensor.rand(new Generator(42), 5).toArray(), 0f);
      assertArrayEquals(f(-0.73535186f, 0.6259644f, 0.94570905f, 0.98864895f, 0.5932841f),
          Tensor.randn(new Generator(42), 5).toArray(), 0f);
      assertArrayEquals(f(5, 8, 0, 2, 1, 7, 9, 7, 8, 8), Tensor.randint(new Generator(42), 0, 10, 10).toArray(), 0f);
    }

    @Test
    void randIsInTheUnitIntervalWithMeanOneHalf() {
      float[] u = Tensor.rand(new Generator(11), 100_000).toArray();
      double sum = 0;
      for (float x : u) {
        assertTrue(x >= 0f && x < 1f, "rand gave " + x);
        sum += x;
      }
      assertEquals(0.5, sum / u.length, 0.01);
    }

    @Test
    void randnHasMeanZeroAndStandardDeviationOne() {
      float[] z = Tensor.randn(new Generator(12), 100_000).toArray();
      double sum = 0;
      double sq = 0;
      for (float x : z) {
        assertTrue(Float.isFinite(x));
        sum += x;
        sq += (double) x * x;
      }
      double mean = sum / z.length;
      assertEquals(0, mean, 0.02);
      assertEquals(1, Math.sqrt(sq / z.length - mean * mean), 0.02);
    }

    @Test
    void randintStaysInItsHalfOpenRangeAndHitsEveryValue() {
      float[] r = Tensor.randint(new Generator(13), -3, 4, 10_000).toArray();
      int[] counts = new int[7];
      for (float x : r) {
        assertEquals(Math.rint(x), x, 0f, "whole numbers");
        assertTrue(x >= -3 && x < 4, "randint(-3, 4) gave " + x);
        counts[(int) x + 3]++;
      }
      for (int c : counts) {
        assertTrue(c > 1200, "each of 7 values should appear about 1429 times: " + Arrays.toString(counts));
      }
      assertMessage(IllegalArgumentException.class, "randint: high 2 must be greater than low 2",
          () -> Tensor.randint(new Generator(1), 2, 2, 3));
    }
  }

  // ---------------------------------------------------------------- element access

  @Nested
  class ElementAccess {
    @Test
    void getCountsNegativeIndicesFromTheEnd() {
      Tensor t = Tensor.arange(6).reshape(2, 3);
      assertEquals(5f, t.get(1, 2));
      assertEquals(5f, t.get(-1, -1));
      assertEquals(3f, t.get(-1, 0));
      assertEquals(2f, t.get(0, -1));
      assertEquals(0f, t.get(-2, -3));
      assertEquals(3, t.size(-1));
      assertEquals(2, t.size(0));
    }

    @Test
    void setWritesInPlaceAndIsSeenThroughViews() {
      Tensor t = Tensor.zeros(2, 3);
      assertSame(t, t.set(7f, -1, 0));
      assertEquals(7f, t.get(1, 0));
      Tensor row = t.select(0, 1);
      row.set(8f, 2);
      assertEquals(8f, t.get(1, 2), "select is a view");
      t.reshape(6).set(9f, 0);
      assertEquals(9f, t.get(0, 0), "reshape is a view");
    }

    @Test
    void itemOfAnyOneElementTensor() {
      assertEquals(4f, Tensor.full(4f, 1, 1, 1).item());
      assertEquals(2f, Tensor.arange(3).select(0, 2).item());
    }
  }

  // ---------------------------------------------------------------- error messages

  @Nested
  class Errors {
    @Test
    void shapesThatDoNotBroadcast() {
      Tensor a = Tensor.zeros(3, 4);
      Tensor b = Tensor.zeros(5);
      assertMessage(IllegalArgumentException.class, "add: shapes [3, 4] and [5] do not broadcast", () -> a.add(b));
      assertMessage(IllegalArgumentException.class, "sub: shapes [3, 4] and [5] do not broadcast", () -> a.sub(b));
      assertMessage(IllegalArgumentException.class, "mul: shapes [5] and [3, 4] do not broadcast", () -> b.mul(a));
      assertMessage(IllegalArgumentException.class, "div: shapes [3, 4] and [5] do not broadcast", () -> a.div(b));
      assertMessage(IllegalArgumentException.class, "maximum: shapes [3, 4] and [5] do not broadcast",
          () -> a.maximum(b));
      assertMessage(IllegalArgumentException.class, "minimum: shapes [3, 4] and [5] do not broadcast",
          () -> a.minimum(b));
    }

    @Test
    void indexOutOfRange() {
      Tensor t = Tensor.zeros(2, 3);
      assertMessage(IndexOutOfBoundsException.class,
          "get: index 3 is out of range for dimension 1 of size 3 (shape [2, 3])", () -> t.get(0, 3));
      assertMessage(IndexOutOfBoundsException.class,
          "get: index -3 is out of range for dimension 0 of size 2 (shape [2, 3])", () -> t.get(-3, 0));
      assertMessage(IndexOutOfBoundsException.class,
          "set: index 2 is out of range for dimension 0 of size 2 (shape [2, 3])", () -> t.set(1f, 2, 0));
      assertMessage(IllegalArgumentException.class, "get: 1 indices for a tensor of shape [2, 3]", () -> t.get(0));
    }

    @Test
    void invalidReshape() {
      Tensor t = Tensor.zeros(3, 3);
      assertMessage(IllegalArgumentException.class, "reshape: shape [4, 2] is invalid for [3, 3] (9 elements)",
          () -> t.reshape(4, 2));
      assertMessage(IllegalArgumentException.class, "reshape: shape [-1, 2] is invalid for [3, 3] (9 elements)",
          () -> t.reshape(-1, 2));
      assertMessage(IllegalArgumentException.class, "view: only one dimension can be -1, got [-1, -1]",
          () -> t.view(-1, -1));
      assertMessage(IllegalArgumentException.class, "reshape: invalid dimension -2 in [-2, -1]",
          () -> t.reshape(-2, -1));
    }

    @Test
    void itemOfManyElements() {
      assertMessage(IllegalStateException.class,
          "item: a tensor of shape [2] has 2 elements; item() needs exactly one", () -> Tensor.zeros(2).item());
    }

    @Test
    void dimensionOutOfRange() {
      Tensor t = Tensor.zeros(2, 3);
      assertMessage(IndexOutOfBoundsException.class,
          "sum: dimension 2 is out of range for a tensor of rank 2 (expected -2 to 1)", () -> t.sum(2));
      assertMessage(IndexOutOfBoundsException.class,
          "argmax: dimension -3 is out of range for a tensor of rank 2 (expected -2 to 1)", () -> t.argmax(-3, false));
      assertMessage(IndexOutOfBoundsException.class,
          "mean: dimension 5 is out of range for a tensor of rank 2 (expected -2 to 1)", () -> t.mean(5));
      assertMessage(IndexOutOfBoundsException.class,
          "transpose: dimension 2 is out of range for a tensor of rank 2 (expected -2 to 1)", () -> t.transpose(0, 2));
      assertMessage(IndexOutOfBoundsException.class,
          "unsqueeze: dimension 3 is out of range for a tensor of rank 1 (expected -2 to 1)",
          () -> Tensor.zeros(4).unsqueeze(3));
      assertMessage(IndexOutOfBoundsException.class,
          "sum: dimension 1 is out of range for a tensor of rank 0 (expected -1 to 0)", () -> Tensor.scalar(1).sum(1));
    }

    @Test
    void catOfMismatchedShapes() {
      assertMessage(IllegalArgumentException.class, "cat: shapes [2, 3] and [2, 4] differ outside dimension 0",
          () -> Tensor.cat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
      assertMessage(IllegalArgumentException.class, "cat: shapes [2, 3] and [3] differ outside dimension 1",
          () -> Tensor.cat(-1, Tensor.zeros(2, 3), Tensor.zeros(3)));
      assertMessage(IllegalArgumentException.class, "cat: needs at least one tensor", () -> Tensor.cat(0));
    }

    @Test
    void permuteWithARepeatedOrMissingDimension() {
      Tensor t = Tensor.zeros(2, 3);
      assertMessage(IllegalArgumentException.class, "permute: dimension 0 repeats in [0, 0]", () -> t.permute(0, 0));
      assertMessage(IllegalArgumentException.class, "permute: dimension -2 repeats in [0, -2]", () -> t.permute(0, -2));
      assertMessage(IllegalArgumentException.class, "permute: 1 dimensions given for a tensor of shape [2, 3]",
          () -> t.permute(0));
    }

    @Test
    void movedimMovesOneDimensionAndKeepsTheOthersInOrder() {
      Tensor t = Tensor.arange(24).reshape(2, 3, 4);
      assertArrayEquals(new int[] {2, 4, 3}, t.movedim(1, -1).shape());
      assertArrayEquals(t.permute(0, 2, 1).toArray(), t.movedim(1, 2).toArray());
      assertArrayEquals(t.permute(2, 0, 1).toArray(), t.movedim(2, 0).toArray());
      assertArrayEquals(t.permute(1, 2, 0).toArray(), t.movedim(0, 2).toArray());
      assertArrayEquals(t.toArray(), t.movedim(1, 1).toArray());
      assertMessage(IndexOutOfBoundsException.class,
          "movedim: dimension 3 is out of range for a tensor of rank 3 (expected -3 to 2)", () -> t.movedim(3, 0));
    }

    @Test
    void ofWithTheWrongNumberOfValues() {
      assertMessage(IllegalArgumentException.class, "of: 5 values do not fill shape [2, 3] of 6 elements",
          () -> Tensor.of(new float[5], 2, 3));
      assertMessage(IllegalArgumentException.class, "of: row 1 has 2 values, row 0 has 3",
          () -> Tensor.of(new float[][] {{1, 2, 3}, {4, 5}}));
      assertMessage(IllegalArgumentException.class, "zeros: negative dimension in shape [2, -1]",
          () -> Tensor.zeros(2, -1));
    }

    @Test
    void narrowAndSelectOutOfRange() {
      Tensor t = Tensor.zeros(3, 2);
      assertMessage(IndexOutOfBoundsException.class,
          "narrow: start 1 + length 3 exceeds dimension 0 of size 3 (shape [3, 2])", () -> t.narrow(0, 1, 3));
      assertMessage(IndexOutOfBoundsException.class,
          "narrow: start 4 is out of range for dimension 0 of size 3 (shape [3, 2])", () -> t.narrow(0, 4, 0));
      assertMessage(IndexOutOfBoundsException.class,
          "narrow: start 2 + length -1 exceeds dimension 0 of size 3 (shape [3, 2])", () -> t.narrow(0, 2, -1));
      assertMessage(IndexOutOfBoundsException.class,
          "select: index 3 is out of range for dimension 0 of size 3 (shape [3, 2])", () -> t.select(0, 3));
      assertMessage(IndexOutOfBoundsException.class,
          "select: index -3 is out of range for dimension 1 of size 2 (shape [3, 2])", () -> t.select(1, -3));
      assertMessage(IllegalArgumentException.class, "narrow: cannot narrow a 0-dimensional tensor",
          () -> Tensor.scalar(1).narrow(0, 0, 1));
    }

    @Test
    void factoryArguments() {
      assertMessage(IllegalArgumentException.class, "arange: step -1.0 goes away from end 5.0 (start 0.0)",
          () -> Tensor.arange(0, 5, -1));
      assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0));
      assertMessage(IllegalArgumentException.class, "linspace: number of steps must be non-negative, got -1",
          () -> Tensor.linspace(0, 1, -1));
    }

    @Test
    void otherOps() {
      assertMessage(IllegalArgumentException.class, "t: needs a 2-D tensor, got shape [3]", () -> Tensor.zeros(3).t());
      assertMessage(IllegalArgumentException.class,
          "max: the tensor of shape [0] is empty; specify a dimension or use a non-empty tensor",
          () -> Tensor.zeros(0).max());
      assertMessage(IllegalArgumentException.class, "norm: p must be at least 1 or infinite, got 0.5",
          () -> Tensor.ones(2).norm(0.5f));
    }
  }

  // ---------------------------------------------------------------- printing

  /**
   * Every expected string here is what PyTorch 1.13 printed for the same tensor, with
   * {@code requires_grad=True} spelled {@code requiresGrad=true} and {@code grad_fn=<MulBackward0>}
   * spelled {@code gradFn=<mul>}.
   */
  @Nested
  class Printing {
    @Test
    void wholeNumbersGetATrailingDot() {
      assertEquals("tensor([1., 2., 3.])", Tensor.of(f(1, 2, 3)).toString());
      assertEquals("tensor(3.)", Tensor.scalar(3).toString());
      assertEquals("tensor([0., 0.])", Tensor.zeros(2).toString());
      assertEquals("tensor([1000.,    1.])", Tensor.of(f(1000, 1)).toString());
    }

    @Test
    void fourDecimalsOtherwise() {
      assertEquals("tensor([0.6590, 0.2424, 0.0986])", Tensor.of(f(0.6590f, 0.2424f, 0.0986f)).toString());
      assertEquals("tensor(4.4630)", Tensor.scalar(4.4630f).toString());
      assertEquals("tensor([-1.5000,  2.2500])", Tensor.of(f(-1.5f, 2.25f)).toString());
      assertEquals("tensor([0.3333, 0.6667, 1.0000])", Tensor.of(f(1, 2, 3)).div(3).toString());
      // Python rounds the exact binary value half to even; Java's %.4f would print 1.0313.
      assertEquals("tensor([1.0312, 2.0000])", Tensor.of(f(1.03125f, 2)).toString());
    }

    @Test
    void twoDimensionsIndentContinuationRowsByEightSpaces() {
      assertEquals("tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])",
          Tensor.of(new float[][] {{1.5f, 2}, {3, 4}}).toString());
      assertEquals("tensor([[0.6590, 0.2424, 0.0986],\n        [1.0000, 2.0000, 3.0000]])",
          Tensor.of(new float[][] {{0.6590f, 0.2424f, 0.0986f}, {1, 2, 3}}).toString());
    }

    @Test
    void threeDimensionsSeparateBlocksByABlankLine() {
      assertEquals("tensor([[[ 0.,  1.,  2.,  3.],\n"
          + "         [ 4.,  5.,  6.,  7.],\n"
          + "         [ 8.,  9., 10., 11.]],\n"
          + "\n"
          + "        [[12., 13., 14., 15.],\n"
          + "         [16., 17., 18., 19.],\n"
          + "         [20., 21., 22., 23.]]])", Tensor.arange(24).reshape(2, 3, 4).toString());
      assertEquals("tensor([[[0.]]])", Tensor.zeros(1, 1, 1).toString());
    }

    @Test
    void gradSuffixes() {
      Tensor x = Tensor.of(f(1, 2)).requiresGrad(true);
      assertEquals("tensor([1., 2.], requiresGrad=true)", x.toString());
      assertEquals("tensor([2., 4.], gradFn=<mul>)", x.mul(2f).toString());
      assertEquals("tensor(6., gradFn=<sum>)", x.mul(2f).sum().toString());
      assertEquals("tensor([[1., 2.],\n        [3., 4.]], requiresGrad=true)",
          Tensor.of(new float[][] {{1, 2}, {3, 4}}).requiresGrad(true).toString());
      assertEquals("tensor([1., 2.])", x.detach().toString());
    }

    @Test
    void scientificWhenMagnitudesSpanMoreThanAThousandfoldOrLeaveTheRange() {
      assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.of(f(1e-5f, 1)).toString());
      assertEquals("tensor([-1.0000e-05,  1.0000e+00])", Tensor.of(f(-1e-5f, 1)).toString());
      assertEquals("tensor([1.0000e-05])", Tensor.of(f(1e-5f)).toString());
      assertEquals("tensor([0.0000e+00, 1.0000e-05])", Tensor.of(f(0, 1e-5f)).toString());
      assertEquals("tensor([1.2346e+08, 1.0000e+00])", Tensor.of(f(123456789f, 1)).toString());
      assertEquals("tensor([1.0000e+05, 1.0000e+00])", Tensor.of(f(100000f, 1)).toString());
      assertEquals("tensor([1.0010e+03, 1.0000e+00])", Tensor.of(f(1001, 1)).toString());
      assertEquals("tensor([1001.0000,    1.5000])", Tensor.of(f(1001, 1.5f)).toString());
      assertEquals("tensor([1.5000e-10, 2.5000e+10])", Tensor.of(f(1.5e-10f, 2.5e10f)).toString());
      assertEquals("tensor([3.4000e+38, 1.0000e+00])", Tensor.of(f(3.4e38f, 1)).toString());
      assertEquals("tensor([1.0000e+06, 1.5000e-03])", Tensor.of(f(9.99995e5f, 1.5e-3f)).toString());
    }

    @Test
    void nanInfinityAndNegativeZeroDoNotWidenColumns() {
      assertEquals("tensor([nan, 1., inf, -inf])",
          Tensor.of(f(Float.NaN, 1, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)).toString());
      assertEquals("tensor([   nan, 1.5000,    inf])", Tensor.of(f(Float.NaN, 1.5f, Float.POSITIVE_INFINITY)).toString());
      assertEquals("tensor([nan, nan])", Tensor.of(f(Float.NaN, Float.NaN)).toString());
      assertEquals("tensor(nan)", Tensor.scalar(Float.NaN).toString());
      assertEquals("tensor([inf, 0.])", Tensor.of(f(Float.POSITIVE_INFINITY, 0)).toString());
      assertEquals("tensor(-0.)", Tensor.scalar(-0f).toString());
      assertEquals("tensor([-0., 1.])", Tensor.of(f(-0f, 1)).toString());
      assertEquals("tensor([-0.0000, 1.5000])", Tensor.of(f(-0f, 1.5f)).toString());
    }

    @Test
    void emptyTensors() {
      assertEquals("tensor([])", Tensor.zeros(0).toString());
      assertEquals("tensor([], size=(2, 0))", Tensor.zeros(2, 0).toString());
      assertEquals("tensor([], size=(3, 0, 2))", Tensor.zeros(3, 0, 2).toString());
      assertEquals("tensor([], requiresGrad=true)", Tensor.zeros(0).requiresGrad(true).toString());
      assertEquals("tensor([], size=(2, 0), requiresGrad=true)", Tensor.zeros(2, 0).requiresGrad(true).toString());
    }

    @Test
    void longRowsWrapAtEightyColumns() {
      assertEquals("tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n"
          + "        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n"
          + "        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n"
          + "        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])", Tensor.arange(30).mul(1.5f).toString());
      // Nested rows have one column less room, but (80 − 8) / 9 still fits eight 7-wide values.
      assertEquals("tensor([[10.0000, 11.5000, 13.0000, 14.5000, 16.0000, 17.5000, 19.0000, 20.5000],\n"
          + "        [22.0000, 23.5000, 25.0000, 26.5000, 28.0000, 29.5000, 31.0000, 32.5000]])",
          Tensor.arange(16).reshape(2, 8).mul(1.5f).add(10f).toString());
      assertEquals("tensor([[ 10.,  20.,  30.,  40.,  50.,  60.,  70.,  80.,  90., 100., 110., 120.,\n"
          + "         130., 140., 150., 160., 170., 180., 190., 200., 210., 220., 230., 240.]])",
          Tensor.arange(1, 25, 1).reshape(1, 24).mul(10f).toString());
    }

    @Test
    void moreThanAThousandElementsAreSummarised() {
      assertEquals("tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])", Tensor.arange(1001).toString());
      String thousand = Tensor.arange(1000).toString();
      assertFalse(thousand.contains("..."), "exactly 1000 elements are printed in full");
      assertTrue(thousand.endsWith(" 996., 997., 998., 999.])"), thousand);
      assertEquals("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n"
          + "         9.9900e+02],\n"
          + "        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n"
          + "         1.9990e+03]])", Tensor.arange(2000).reshape(2, 1000).toString());
      assertEquals("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00],\n"
          + "        [3.0000e+00, 4.0000e+00, 5.0000e+00],\n"
          + "        [6.0000e+00, 7.0000e+00, 8.0000e+00],\n"
          + "        ...,\n"
          + "        [1.1910e+03, 1.1920e+03, 1.1930e+03],\n"
          + "        [1.1940e+03, 1.1950e+03, 1.1960e+03],\n"
          + "        [1.1970e+03, 1.1980e+03, 1.1990e+03]])", Tensor.arange(1200).reshape(400, 3).toString());
    }

    @Test
    void aSummaryTakesItsFormatFromThePrintedEdgesOnly() {
      Tensor t = Tensor.full(1.5f, 1001);
      t.set(1e-5f, 500); // hidden in the "...": PyTorch does not switch to scientific for it
      assertEquals("tensor([1.5000, 1.5000, 1.5000,  ..., 1.5000, 1.5000, 1.5000])", t.toString());
    }

    @Test
    void allZeroRowsKeepPytorchsNarrowColumnCount() {
      // With no nonzero value PyTorch sizes columns as 1 wide, so 24 "0." fit on one 80-column line.
      String row = "[" + String.join(", ", java.util.Collections.nCopies(24, "0.")) + "]";
      assertEquals("tensor([" + row + ",\n        " + row + "])", Tensor.zeros(2, 24).toString());
    }

    @Test
    void printingAViewPrintsItsOwnElements() {
      Tensor t = Tensor.arange(6).reshape(3, 2);
      assertEquals("tensor([[2., 3.],\n        [4., 5.]])", t.narrow(0, 1, 2).toString());
      assertEquals("tensor([4., 5.])", t.select(0, -1).toString());
      assertNotEquals(t.toString(), t.narrow(0, 1, 2).toString());
    }
  }
}
