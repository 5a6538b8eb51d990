package dev.downhill.testing;

import dev.downhill.autograd.Tensor;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for properties over tensors, for this engine's tests and for users' own:
 *
 * <pre>{@code
 * @Provide Arbitrary<Tensor> inputs() {
 *   return TensorArbitraries.tensors(TensorArbitraries.shapes(3, 9), TensorArbitraries.values(-3, 3));
 * }
 * @Property void myGradient(@ForAll("inputs") Tensor x) {
 *   GradCheck.assertGradients(xs -> myFunction(xs[0]), x);
 * }
 * }</pre>
 *
 * Shapes favour the sizes where SIMD code breaks: 1, and lengths around the 8-lane vector width
 * (7, 8, 9). Values come from a chosen range, optionally kept away from a kink so finite
 * differences stay meaningful (see {@link dev.downhill.autograd.GradCheck}). All of it shrinks.
 */
public final class TensorArbitraries {
  private TensorArbitraries() {}

  /** Minimum distance from a kink for {@link #valuesAwayFrom}: a bit over twice GradCheck's largest step at |x| ≤ 4. */
  public static final float KINK_MARGIN = 0.15f;

  /** Dimension sizes from 1 to {@code maxDim}, with 1, 7, 8, 9 and the maximum as edge cases. */
  public static Arbitrary<Integer> dims(int maxDim) {
    return Arbitraries.integers().between(1, maxDim).edgeCases(c -> {
      for (int d : new int[] {1, 7, 8, 9, maxDim}) {
        if (d <= maxDim) {
          c.add(d);
        }
      }
    });
  }

  /** Shapes of rank 0 (a scalar) to {@code maxRank}, each dimension from 1 to {@code maxDim}. */
  public static Arbitrary<int[]> shapes(int maxRank, int maxDim) {
    return shapes(0, maxRank, maxDim);
  }

  /** Shapes of rank {@code minRank} to {@code maxRank}, each dimension from 1 to {@code maxDim}. */
  public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxDim) {
    return dims(maxDim).list().ofMinSize(minRank).ofMaxSize(maxRank)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Floats uniform-ish in [min, max], with the ends and 0 (when inside) as edge cases. */
  public static Arbitrary<Float> values(float min, float max) {
    return Arbitraries.floats().between(min, max).ofScale(4);
  }

  /** Floats in [min, max] at least {@link #KINK_MARGIN} away from {@code kink}. */
  public static Arbitrary<Float> valuesAwayFrom(float min, float max, float kink) {
    return values(min, max).filter(x -> Math.abs(x - kink) >= KINK_MARGIN);
  }

  /** Tensors of the given shapes, elements drawn from {@code values}. */
  public static Arbitrary<Tensor> tensors(Arbitrary<int[]> shapes, Arbitrary<Float> values) {
    return shapes.flatMap(s -> tensorsOfShape(s, values));
  }

  /** Tensors of one fixed shape, elements drawn from {@code values}. */
  public static Arbitrary<Tensor> tensorsOfShape(int[] shape, Arbitrary<Float> values) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int[] s = shape.clone();
    return values.list().ofSize(n).map(l -> {
      float[] d = new float[n];
      for (int i = 0; i < n; i++) {
        d[i] = l.get(i);
      }
      return Tensor.of(d, s);
    });
  }

  /**
   * Two shapes that broadcast together: a common shape of rank up to {@code maxRank}, from which
   * each operand drops some leading dimensions and sets some others to 1.
   */
  public static Arbitrary<int[][]> broadcastPair(int maxRank, int maxDim) {
    Arbitrary<int[]> full = shapes(maxRank, maxDim);
    return full.flatMap(s -> Combinators.combine(operandOf(s), operandOf(s)).as((a, b) -> new int[][] {a, b}));
  }

  /** A shape that broadcasts to {@code full}. */
  private static Arbitrary<int[]> operandOf(int[] full) {
    Arbitrary<Integer> drop = Arbitraries.integers().between(0, full.length);
    Arbitrary<Long> ones = Arbitraries.longs().between(0, (1L << full.length) - 1 + (full.length == 0 ? 1 : 0));
    return Combinators.combine(drop, ones).as((k, mask) -> {
      int[] s = Arrays.copyOfRange(full, k, full.length);
      for (int i = 0; i < s.length; i++) {
        if ((mask >> i & 1) == 1) {
          s[i] = 1;
        }
      }
      return s;
    });
  }
}
