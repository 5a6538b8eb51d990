package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code matmul} and {@code linear}: forward against index loops in double, gradients against finite
 * differences, for every operand-rank case of torch.matmul and broadcast batches.
 */
class MatMulTest {

  /** Operand shapes for every case of torch.matmul, dims drawn from 1 to 9 (batches 1 to 3). */
  @Provide
  Arbitrary<int[][]> shapePairs() {
    Arbitrary<Integer> d = Arbitraries.integers().between(1, 9).edgeCases(c -> c.add(1, 8, 9));
    Arbitrary<Integer> batch = Arbitraries.integers().between(1, 3);
    return Combinators.combine(d, d, d, batch, batch, Arbitraries.integers().between(0, 7))
        .as((m, k, n, b1, b2, kind) -> switch (kind) {
          case 0 -> new int[][] {{k}, {k}};
          case 1 -> new int[][] {{k}, {k, n}};
          case 2 -> new int[][] {{m, k}, {k}};
          case 3 -> new int[][] {{m, k}, {k, n}};
          case 4 -> new int[][] {{b1, m, k}, {b1, k, n}};
          case 5 -> new int[][] {{b1, m, k}, {k, n}};
          case 6 -> new int[][] {{m, k}, {b1, k, n}};
          default -> new int[][] {{b1, 1, m, k}, {b2, k, n}};
        });
  }

  @Provide
  Arbitrary<Tensor[]> operands() {
    return shapePairs().flatMap(s -> Combinators.combine(tensorsOfShape(s[0], values(-2, 2)),
        tensorsOfShape(s[1], values(-2, 2))).as((a, b) -> new Tensor[] {a, b}));
  }

  @Property(tries = 80)
  void matmulGradients(@ForAll("operands") Tensor[] ab) {
    GradCheck.assertGradients(x -> x[0].matmul(x[1]), ab);
  }

  @Property(tries = 80)
  void matmulMatchesADoubleReference(@ForAll("operands") Tensor[] ab) {
    Tensor a = ab[0];
    Tensor b = ab[1];
    Tensor y = a.matmul(b);
    double[] expected = reference(a.toArray(), a.shape(), b.toArray(), b.shape());
    assertArrayEquals(expectedShape(a.shape(), b.shape()), y.shape());
    float[] got = y.toArray();
    int k = a.shape()[a.dim() - 1];
    for (int i = 0; i < got.length; i++) {
      // |a|, |b| ≤ 2: each product is at most 4, so k·4·γ(k) bounds the rounding.
      assertEquals(expected[i], got[i], 4.0 * k * k * 0x1p-24 + 1e-7, "element " + i);
    }
  }

  /** torch.matmul by index loops in double, independent of MatMul's own batching. */
  static double[] reference(float[] a, int[] as, float[] b, int[] bs) {
    int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
    int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
    int m = a2[a2.length - 2];
    int k = a2[a2.length - 1];
    int n = b2[b2.length - 1];
    int[] ab = Arrays.copyOf(a2, a2.length - 2);
    int[] bb = Arrays.copyOf(b2, b2.length - 2);
    int rank = Math.max(ab.length, bb.length);
    int[] batch = new int[rank];
    for (int d = 0; d < rank; d++) {
      int x = d - (rank - ab.length) >= 0 ? ab[d - (rank - ab.length)] : 1;
      int y = d - (rank - bb.length) >= 0 ? bb[d - (rank - bb.length)] : 1;
      batch[d] = Math.max(x, y);
    }
    int count = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
    double[] out = new double[count * m * n];
    int[] idx = new int[rank];
    for (int t = 0; t < count; t++) {
      int ai = 0;
      int bi = 0;
      for (int d = 0; d < rank; d++) {
        int da = d - (rank - ab.length);
        int db = d - (rank - bb.length);
        if (da >= 0) ai = ai * ab[da] + (ab[da] == 1 ? 0 : idx[d]);
        if (db >= 0) bi = bi * bb[db] + (bb[db] == 1 ? 0 : idx[d]);
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) s += (double) a[ai * m * k + i * k + p] * b[bi * k * n + p * n + j];
          out[t * m * n + i * n + j] = s;
        }
      }
      for (int d = rank - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
    }
    return out;
  }

  static int[] expectedShape(int[] as, int[] bs) {
    int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
    int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
    int rank = Math.max(a2.length, b2.length) - 2;
    int[] s = new int[rank + 2];
    for (int d = 0; d < rank; d++) {
      int ia = d - (rank - (a2.length - 2));
      int ib = d - (rank - (b2.length - 2));
      s[d] = Math.max(ia >= 0 ? a2[ia] : 1, ib >= 0 ? b2[ib] : 1);
    }
    s[rank] = a2[a2.length - 2];
    s[rank + 1] = b2[b2.length - 1];
    int[] r = Arrays.copyOf(s, rank);
    if (as.length > 1) r = append(r, s[rank]);
    if (bs.length > 1) r = append(r, s[rank + 1]);
    return r;
  }

  private static int[] append(int[] s, int x) {
    int[] r = Arrays.copyOf(s, s.length + 1);
    r[s.length] = x;
    return r;
  }

  /** Input [..., in] (1 to 3 dims), weight [out, in], bias [out] or none. */
  @Provide
  Arbitrary<Tensor[]> linearOperands() {
    Arbitrary<Integer> d = Arbitraries.integers().between(1, 9).edgeCases(c -> c.add(1, 8, 9));
    return Combinators.combine(d, d, d, Arbitraries.integers().between(1, 3), Arbitraries.of(true, false))
        .flatAs((rows, in, out, rank, bias) -> {
          int[] xs = switch (rank) {
            case 1 -> new int[] {in};
            case 2 -> new int[] {rows, in};
            default -> new int[] {2, rows, in};
          };
          Arbitrary<Tensor> x = tensorsOfShape(xs, values(-2, 2));
          Arbitrary<Tensor> w = tensorsOfShape(new int[] {out, in}, values(-2, 2));
          Arbitrary<Tensor> b = tensorsOfShape(new int[] {out}, values(-2, 2));
          return bias ? Combinators.combine(x, w, b).as((p, q, r) -> new Tensor[] {p, q, r})
              : Combinators.combine(x, w).as((p, q) -> new Tensor[] {p, q});
        });
  }

  @Property(tries = 80)
  void linearGradients(@ForAll("linearOperands") Tensor[] xs) {
    GradCheck.assertGradients(t -> t[0].linear(t[1], t.length == 3 ? t[2] : null), xs);
  }

  @Property(tries = 80)
  void linearIsMatmulWithTheTransposePlusBias(@ForAll("linearOperands") Tensor[] xs) {
    Tensor y = xs[0].linear(xs[1], xs.length == 3 ? xs[2] : null);
    Tensor z = xs[0].matmul(xs[1].t());
    if (xs.length == 3) z = z.add(xs[2]);
    assertArrayEquals(z.shape(), y.shape());
    float[] a = y.toArray();
    float[] b = z.toArray();
    int in = xs[1].shape()[1];
    for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 8 * (in + 1) * 0x1p-24 * 8, "element " + i);
  }

  @Example
  void badShapesNameBothOperands() {
    var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
    assertEquals("matmul: [3, 4] @ [5, 2]: inner dimensions 4 and 5 differ", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 2)));
    assertEquals("matmul: [2, 3, 4] @ [3, 4, 2]: batch dimensions [2] and [3] do not broadcast", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(2).matmul(Tensor.zeros(3)));
    assertEquals("matmul: both arguments need at least 1 dimension, got [] and [3]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).linear(Tensor.zeros(5, 3), null));
    assertEquals("linear: input [3, 4], weight [5, 3]: input features 4 and the weight's 3 differ", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(3, 4).linear(Tensor.zeros(5, 4), Tensor.zeros(4)));
    assertEquals("linear: weight [5, 4], bias [4]: the bias must be [5]", e.getMessage());
  }

  @Example
  void theChapterSizedProductIsRightAndEmptyInnerDimensionsGiveZeros() {
    Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    Tensor b = Tensor.of(new float[][] {{5, 6}, {7, 8}});
    assertArrayEquals(new float[] {19, 22, 43, 50}, a.matmul(b).toArray());
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)).toArray());
  }
}
