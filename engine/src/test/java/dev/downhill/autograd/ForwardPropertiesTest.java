package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.broadcastPair;
import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensors;
import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Forward values of the ops against references written here with plain index loops, so a wrong
 * stride, offset or broadcast in the engine cannot hide behind a reference that shares its code.
 *
 * <p>Elementwise arithmetic must match bit for bit: each output element is one IEEE operation,
 * whatever the SIMD width or the row merging in {@code Broadcast}. Sums are compared with a double
 * reference under a rounding bound, since the SIMD kernel adds in another order. Operands are
 * sometimes offset views into a larger storage, the case where a forgotten {@code offset} shows.
 */
class ForwardPropertiesTest {
  private static final int TRIES = 100;
  private static final double U = 0x1p-24; // unit roundoff of float

  // ---------------------------------------------------------------- arbitraries

  /** Mostly ordinary values, sometimes the ones that break careless code: ±0, NaN, ±inf, subnormal, huge. */
  private static Arbitrary<Float> withSpecials() {
    Arbitrary<Float> specials = Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE);
    return Arbitraries.frequencyOf(Tuple.of(9, values(-3, 3)), Tuple.of(1, specials));
  }

  /** Small whole numbers: ties for max/argmax and exact sums. */
  private static Arbitrary<Float> coarse() {
    return Arbitraries.integers().between(-2, 2).map(i -> (float) i);
  }

  @Provide
  Arbitrary<Tensor[]> broadcasting() {
    return broadcastPair(4, 9).flatMap(p -> Combinators.combine(tensorsOfShape(p[0], withSpecials()),
        tensorsOfShape(p[1], withSpecials()), Arbitraries.of(false, true), Arbitraries.of(false, true))
        .as((a, b, va, vb) -> new Tensor[] {va ? asView(a) : a, vb ? asView(b) : b}));
  }

  @Provide
  Arbitrary<Tensor> any() {
    return Combinators.combine(tensors(shapes(4, 9), values(-3, 3)), Arbitraries.of(false, true))
        .as((t, v) -> v ? asView(t) : t);
  }

  /** Tensors for max/min/argmax: ordinary, tie-heavy, or sprinkled with NaN and ±0. */
  @Provide
  Arbitrary<Tensor> forExtremes() {
    Arbitrary<int[]> s = shapes(4, 9);
    Arbitrary<Float> nans = Arbitraries.frequencyOf(Tuple.of(12, values(-3, 3)),
        Tuple.of(1, Arbitraries.of(Float.NaN, 0f, -0f, Float.NEGATIVE_INFINITY)));
    return Combinators.combine(Arbitraries.oneOf(tensors(s, values(-3, 3)), tensors(s, coarse()), tensors(s, nans)),
        Arbitraries.of(false, true)).as((t, v) -> v ? asView(t) : t);
  }

  /**
   * The same values as {@code t}, but as a view at a nonzero offset of a larger storage (the
   * selected row of a stack whose other row is garbage).
   */
  private static Tensor asView(Tensor t) {
    float[] v = t.toArray();
    float[] both = new float[2 * v.length];
    Arrays.fill(both, 0, v.length, 12345f);
    System.arraycopy(v, 0, both, v.length, v.length);
    int[] s = new int[t.dim() + 1];
    s[0] = 2;
    System.arraycopy(t.shape(), 0, s, 1, t.dim());
    Tensor view = Tensor.of(both, s).select(0, 1);
    assertArrayEquals(t.shape(), view.shape());
    return view;
  }

  // ---------------------------------------------------------------- reference index arithmetic

  private static int[] strides(int[] shape) {
    int[] st = new int[shape.length];
    for (int d = shape.length - 1, acc = 1; d >= 0; d--) {
      st[d] = acc;
      acc *= shape[d];
    }
    return st;
  }

  private static int numel(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The multi-index of flat position {@code flat} in a row-major tensor of {@code shape}. */
  private static int[] unflatten(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  private static int flatten(int[] idx, int[] shape) {
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + idx[d];
    }
    return flat;
  }

  /** NumPy's rule, written independently of {@code Shapes.broadcast}. */
  private static int[] broadcastShape(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - r + a.length];
      int db = i < r - b.length ? 1 : b[i - r + b.length];
      out[i] = Math.max(da, db);
    }
    return out;
  }

  /** Flat index into an operand of {@code shape} for output multi-index {@code outIdx}. */
  private static int broadcastSource(int[] outIdx, int[] shape) {
    int pad = outIdx.length - shape.length;
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + (shape[d] == 1 ? 0 : outIdx[d + pad]);
    }
    return flat;
  }

  interface FloatOp {
    float apply(float a, float b);
  }

  private static void assertBroadcast(String op, Tensor a, Tensor b, Tensor got, FloatOp f) {
    int[] s = broadcastShape(a.shape(), b.shape());
    assertArrayEquals(s, got.shape(), op + " shape");
    float[] av = a.toArray();
    float[] bv = b.toArray();
    float[] g = got.toArray();
    for (int i = 0; i < g.length; i++) {
      int[] idx = unflatten(i, s);
      float x = av[broadcastSource(idx, a.shape())];
      float y = bv[broadcastSource(idx, b.shape())];
      float want = f.apply(x, y);
      if (Float.floatToIntBits(want) != Float.floatToIntBits(g[i])) {
        fail(op + " of " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + " at " + Arrays.toString(idx)
            + ": " + x + " " + op + " " + y + " should be " + want + ", got " + g[i]);
      }
    }
  }

  private static void assertBits(String what, float want, float got) {
    if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
      fail(what + ": expected " + want + ", got " + got);
    }
  }

  /** Output flat index [o, i] and input flat index [o, k, i] of a reduction over dim d as [outer, n, inner]. */
  private record Split(int outer, int n, int inner) {
    static Split of(int[] shape, int d) {
      int outer = 1;
      int inner = 1;
      for (int i = 0; i < d; i++) {
        outer *= shape[i];
      }
      for (int i = d + 1; i < shape.length; i++) {
        inner *= shape[i];
      }
      return new Split(outer, shape[d], inner);
    }

    int in(int o, int k, int i) {
      return (o * n + k) * inner + i;
    }
  }

  private static int[] reducedShape(int[] shape, int d, boolean keepDim) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (i != d) {
        out.add(shape[i]);
      } else if (keepDim) {
        out.add(1);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A dimension drawn from [-rank, rank), spread over the negative and positive spellings. */
  private static int pickDim(int rank, int seed) {
    int r = Math.max(rank, 1);
    int d = Math.floorMod(seed, 2 * r) - r; // -r .. r-1
    return rank == 0 ? (d < 0 ? -1 : 0) : d;
  }

  // ---------------------------------------------------------------- broadcasting arithmetic

  @Property(tries = TRIES)
  void broadcastingArithmeticIsOneIeeeOpPerElement(@ForAll("broadcasting") Tensor[] p) {
    Tensor a = p[0];
    Tensor b = p[1];
    assertBroadcast("add", a, b, a.add(b), (x, y) -> x + y);
    assertBroadcast("sub", a, b, a.sub(b), (x, y) -> x - y);
    assertBroadcast("mul", a, b, a.mul(b), (x, y) -> x * y);
    assertBroadcast("div", a, b, a.div(b), (x, y) -> x / y);
    assertBroadcast("maximum", a, b, a.maximum(b), Math::max);
    assertBroadcast("minimum", a, b, a.minimum(b), Math::min);
    // The operands in the other order exercise the kernels' other one-sided row forms.
    assertBroadcast("sub", b, a, b.sub(a), (x, y) -> x - y);
    assertBroadcast("div", b, a, b.div(a), (x, y) -> x / y);
  }

  @Property(tries = TRIES)
  void scalarArithmeticIsOneIeeeOpPerElement(@ForAll("any") Tensor t, @ForAll @FloatRange(min = -3, max = 3) float s) {
    float[] x = t.toArray();
    float[][] got = {t.add(s).toArray(), t.sub(s).toArray(), t.rsub(s).toArray(), t.mul(s).toArray(),
        t.div(s).toArray(), t.rdiv(s).toArray(), t.neg().toArray()};
    for (int i = 0; i < x.length; i++) {
      float[] want = {x[i] + s, x[i] - s, s - x[i], x[i] * s, x[i] / s, s / x[i], -x[i]};
      for (int k = 0; k < want.length; k++) {
        assertBits("scalar op " + k + " at " + i + " (x=" + x[i] + ", s=" + s + ")", want[k], got[k][i]);
      }
    }
  }

  // ---------------------------------------------------------------- reductions

  /** The bound of the brief: n·2⁻²⁴·Σ|x|, doubled for the SIMD kernel's reordering. */
  private static double sumBound(int n, double sumAbs) {
    return 2.0 * n * U * sumAbs;
  }

  @Property(tries = TRIES)
  void sumAndMeanOfAll(@ForAll("any") Tensor t) {
    float[] x = t.toArray();
    double exact = 0;
    double abs = 0;
    for (float v : x) {
      exact += v;
      abs += Math.abs(v);
    }
    int n = x.length;
    float sum = t.sum().item();
    assertTrue(Math.abs(sum - exact) <= sumBound(n, abs), "sum " + sum + " vs " + exact + " over " + n);
    float mean = t.mean().item();
    assertTrue(Math.abs(mean - exact / n) <= (sumBound(n, abs) + 2 * U * abs) / n, "mean " + mean + " vs " + exact / n);
    assertEquals(0, t.sum().dim());
    assertEquals(0, t.mean().dim());
  }

  @Property(tries = TRIES)
  void sumAndMeanOverEachDim(@ForAll("any") Tensor t, @ForAll int seed, @ForAll boolean keepDim) {
    int dim = pickDim(t.dim(), seed);
    int d = t.dim() == 0 ? 0 : Math.floorMod(dim, t.dim());
    int[] shape = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] want = t.dim() == 0 ? new int[0] : reducedShape(shape, d, keepDim);
    Tensor sum = t.sum(dim, keepDim);
    Tensor mean = t.mean(dim, keepDim);
    assertArrayEquals(want, sum.shape(), "sum shape");
    assertArrayEquals(want, mean.shape(), "mean shape");
    Split sp = Split.of(shape, d);
    float[] x = t.toArray();
    float[] gs = sum.toArray();
    float[] gm = mean.toArray();
    for (int o = 0; o < sp.outer; o++) {
      for (int i = 0; i < sp.inner; i++) {
        double exact = 0;
        double abs = 0;
        for (int k = 0; k < sp.n; k++) {
          exact += x[sp.in(o, k, i)];
          abs += Math.abs(x[sp.in(o, k, i)]);
        }
        int j = o * sp.inner + i;
        double b = sumBound(sp.n, abs);
        assertTrue(Math.abs(gs[j] - exact) <= b, "sum over " + dim + " at " + j + ": " + gs[j] + " vs " + exact);
        assertTrue(Math.abs(gm[j] - exact / sp.n) <= (b + 2 * U * abs) / sp.n,
            "mean over " + dim + " at " + j + ": " + gm[j] + " vs " + exact / sp.n);
      }
    }
  }

  /** The first index holding the best value; NaN beats every number, as torch.argmax. */
  private static int argBest(float[] x, int from, int n, int step, boolean max) {
    int best = 0;
    for (int k = 1; k < n; k++) {
      float v = x[from + k * step];
      float b = x[from + best * step];
      boolean better = Float.isNaN(v) ? !Float.isNaN(b) : (max ? v > b : v < b);
      if (better) {
        best = k;
      }
    }
    return best;
  }

  @Property(tries = TRIES)
  void maxMinArgmaxArgminOfAll(@ForAll("forExtremes") Tensor t) {
    float[] x = t.toArray();
    float max = x[0];
    float min = x[0];
    for (float v : x) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    assertBits("max", max, t.max().item());
    assertBits("min", min, t.min().item());
    assertBits("argmax", argBest(x, 0, x.length, 1, true), t.argmax().item());
    assertBits("argmin", argBest(x, 0, x.length, 1, false), t.argmin().item());
    assertEquals(0, t.argmax().dim());
  }

  @Property(tries = TRIES)
  void maxMinArgmaxArgminOverEachDim(@ForAll("forExtremes") Tensor t, @ForAll int seed, @ForAll boolean keepDim) {
    int dim = pickDim(t.dim(), seed);
    int d = t.dim() == 0 ? 0 : Math.floorMod(dim, t.dim());
    int[] shape = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] want = t.dim() == 0 ? new int[0] : reducedShape(shape, d, keepDim);
    Split sp = Split.of(shape, d);
    float[] x = t.toArray();
    for (boolean isMax : new boolean[] {true, false}) {
      String op = isMax ? "max" : "min";
      Tensor values = (isMax ? t.max(dim, keepDim) : t.min(dim, keepDim)).values();
      Tensor index = isMax ? t.argmax(dim, keepDim) : t.argmin(dim, keepDim);
      assertArrayEquals(want, values.shape(), op + " shape");
      assertArrayEquals(want, index.shape(), "arg" + op + " shape");
      float[] gv = values.toArray();
      float[] gi = index.toArray();
      for (int o = 0; o < sp.outer; o++) {
        for (int i = 0; i < sp.inner; i++) {
          int k = argBest(x, sp.in(o, 0, i), sp.n, sp.inner, isMax);
          int j = o * sp.inner + i;
          String where = op + " over " + dim + " of " + Arrays.toString(t.shape()) + " at " + j;
          assertBits("arg" + where, k, gi[j]);
          if (t.dim() == 0) {
            assertBits(where, x[0], gv[j]);
          } else {
            // The value at the chosen index: the first of tied ±0 is kept as it is.
            assertBits(where, x[sp.in(o, k, i)], gv[j]);
          }
        }
      }
    }
  }

  @Example
  void nanWinsMaxMinAndArgReductionsAsInTorch() {
    Tensor t = Tensor.of(new float[] {1f, Float.NaN, 3f, Float.NaN});
    assertTrue(Float.isNaN(t.max().item()));
    assertTrue(Float.isNaN(t.min().item()));
    assertEquals(1f, t.argmax().item());
    assertEquals(1f, t.argmin().item());
    Tensor m = Tensor.of(new float[] {1f, 5f, Float.NaN, 2f, 0f, 9f}, 2, 3);
    assertArrayEquals(new float[] {1f, 0f, 0f}, m.argmax(0, false).toArray());
    assertArrayEquals(new float[] {2f, 2f}, m.argmax(1, false).toArray());
  }

  @Property(tries = TRIES)
  void normIsTheSquareRootOfTheSumOfSquares(@ForAll("any") Tensor t, @ForAll int seed, @ForAll boolean keepDim) {
    float[] x = t.toArray();
    double sq = 0;
    for (float v : x) {
      sq += (double) v * v;
    }
    double want = Math.sqrt(sq);
    float got = t.norm().item();
    assertTrue(Math.abs(got - want) <= (x.length + 2) * U * want, "norm " + got + " vs " + want);
    if (t.dim() == 0) {
      return;
    }
    int d = Math.floorMod(seed, t.dim());
    Tensor byDim = t.norm(d, keepDim);
    assertArrayEquals(reducedShape(t.shape(), d, keepDim), byDim.shape());
    Split sp = Split.of(t.shape(), d);
    float[] g = byDim.toArray();
    for (int o = 0; o < sp.outer; o++) {
      for (int i = 0; i < sp.inner; i++) {
        double s = 0;
        for (int k = 0; k < sp.n; k++) {
          float v = x[sp.in(o, k, i)];
          s += (double) v * v;
        }
        double w = Math.sqrt(s);
        int j = o * sp.inner + i;
        assertTrue(Math.abs(g[j] - w) <= (sp.n + 2) * U * w, "norm over " + d + " at " + j + ": " + g[j] + " vs " + w);
      }
    }
  }

  // ---------------------------------------------------------------- views and layout

  @Property(tries = TRIES)
  void permuteMovesEveryElementToItsPermutedIndex(@ForAll("any") Tensor t, @ForAll long seed) {
    int r = t.dim();
    List<Integer> order = new ArrayList<>(IntStream.range(0, r).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(seed));
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      // Spell some dimensions negatively: permute(-1, 0) means permute(r - 1, 0).
      perm[i] = ((seed >> i) & 1) == 1 ? order.get(i) - r : order.get(i);
    }
    Tensor y = t.permute(perm);
    int[] s = t.shape();
    int[] ys = new int[r];
    for (int i = 0; i < r; i++) {
      ys[i] = s[Math.floorMod(perm[i], r)];
    }
    assertArrayEquals(ys, y.shape());
    float[] x = t.toArray();
    float[] g = y.toArray();
    for (int j = 0; j < g.length; j++) {
      int[] yi = unflatten(j, ys);
      int[] xi = new int[r];
      for (int i = 0; i < r; i++) {
        xi[Math.floorMod(perm[i], r)] = yi[i];
      }
      assertBits("permute " + Arrays.toString(perm) + " at " + Arrays.toString(yi), x[flatten(xi, s)], g[j]);
    }
  }

  @Property(tries = TRIES)
  void transposeSwapsTwoIndices(@ForAll("any") Tensor t, @ForAll int seedA, @ForAll int seedB) {
    int r = t.dim();
    int a = pickDim(r, seedA);
    int b = pickDim(r, seedB);
    Tensor y = t.transpose(a, b);
    if (r == 0) {
      assertArrayEquals(t.toArray(), y.toArray());
      return;
    }
    int da = Math.floorMod(a, r);
    int db = Math.floorMod(b, r);
    int[] s = t.shape();
    int[] ys = s.clone();
    ys[da] = s[db];
    ys[db] = s[da];
    assertArrayEquals(ys, y.shape());
    float[] x = t.toArray();
    float[] g = y.toArray();
    for (int j = 0; j < g.length; j++) {
      int[] xi = unflatten(j, ys);
      int tmp = xi[da];
      xi[da] = xi[db];
      xi[db] = tmp;
      assertBits("transpose(" + a + ", " + b + ")", x[flatten(xi, s)], g[j]);
    }
    if (r == 2) {
      assertArrayEquals(t.transpose(0, 1).toArray(), t.t().toArray());
    }
  }

  /** Up to four tensors that agree outside one dimension, and that dimension. */
  @Provide
  Arbitrary<Tuple.Tuple2<Integer, List<Tensor>>> catInputs() {
    return shapes(1, 4, 6).flatMap(base -> Arbitraries.integers().between(0, base.length - 1).flatMap(d ->
        Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(4).flatMap(sizes -> {
          List<Arbitrary<Tensor>> parts = new ArrayList<>();
          for (int n : sizes) {
            int[] s = base.clone();
            s[d] = n;
            parts.add(Combinators.combine(tensorsOfShape(s, values(-3, 3)), Arbitraries.of(false, true))
                .as((t, v) -> v ? asView(t) : t));
          }
          return Combinators.combine(parts).as(ts -> Tuple.of(d, ts));
        })));
  }

  @Property(tries = TRIES)
  void catPlacesEachInputAtItsOffsetAlongTheDim(@ForAll("catInputs") Tuple.Tuple2<Integer, List<Tensor>> in,
      @ForAll boolean negative) {
    int d = in.get1();
    List<Tensor> ts = in.get2();
    int r = ts.get(0).dim();
    Tensor y = Tensor.cat(negative ? d - r : d, ts.toArray(new Tensor[0]));
    int[] ys = ts.get(0).shape();
    ys[d] = ts.stream().mapToInt(t -> t.size(d)).sum();
    assertArrayEquals(ys, y.shape());
    float[] g = y.toArray();
    int at = 0;
    for (Tensor t : ts) {
      float[] x = t.toArray();
      int[] s = t.shape();
      for (int j = 0; j < x.length; j++) {
        int[] idx = unflatten(j, s);
        idx[d] += at;
        assertBits("cat along " + d + " at " + Arrays.toString(idx), x[j], g[flatten(idx, ys)]);
      }
      at += s[d];
    }
  }

  @Provide
  Arbitrary<Tensor> atLeast1d() {
    return Combinators.combine(tensors(shapes(1, 4, 9), values(-3, 3)), Arbitraries.of(false, true))
        .as((t, v) -> v ? asView(t) : t);
  }

  @Property(tries = TRIES)
  void sliceAndSelectReadTheRowsThemselves(@ForAll("atLeast1d") Tensor t, @ForAll @IntRange(min = 0, max = 20) int p,
      @ForAll @IntRange(min = 0, max = 20) int q, @ForAll boolean negative) {
    int rows = t.size(0);
    int start = Math.min(p, q) % (rows + 1);
    int end = start + Math.max(p, q) % (rows + 1 - start);
    int row = numel(t.shape()) / rows;
    float[] x = t.toArray();
    Tensor s = t.narrow(0, start, end - start);
    int[] want = t.shape();
    want[0] = end - start;
    assertArrayEquals(want, s.shape());
    assertArrayEquals(Arrays.copyOfRange(x, start * row, end * row), s.toArray());
    int i = p % rows;
    Tensor sel = t.select(0, negative ? i - rows : i);
    assertArrayEquals(Arrays.copyOfRange(t.shape(), 1, t.dim()), sel.shape());
    assertArrayEquals(Arrays.copyOfRange(x, i * row, (i + 1) * row), sel.toArray());
    // A slice of a slice still finds its rows: offsets add up.
    if (end > start) {
      assertArrayEquals(Arrays.copyOfRange(x, (start + 1) * row, end * row), s.narrow(0, 1, end - start - 1).toArray());
    }
  }

  @Property(tries = TRIES)
  void reshapeKeepsRowMajorOrder(@ForAll("any") Tensor t, @ForAll @IntRange(min = 0, max = 3) int form) {
    int n = t.numel();
    // Split n into a × b along the first divisor found above 1, so the target rank differs from the source.
    int a = IntStream.rangeClosed(2, n).filter(k -> n % k == 0).findFirst().orElse(1);
    int[] target = switch (form) {
      case 0 -> new int[] {-1};
      case 1 -> new int[] {a, -1};
      case 2 -> new int[] {1, n / a, 1, a};
      default -> new int[] {-1, a, 1};
    };
    Tensor y = t.reshape(target);
    int[] want = target.clone();
    for (int i = 0; i < want.length; i++) {
      if (want[i] == -1) {
        want[i] = n / Math.abs(numel(target));
      }
    }
    assertArrayEquals(want, y.shape());
    assertArrayEquals(t.toArray(), y.toArray());
    assertArrayEquals(t.toArray(), y.reshape(t.shape()).toArray());
    assertArrayEquals(t.shape(), y.reshape(t.shape()).shape());
    assertArrayEquals(new int[] {n}, t.flatten().shape());
    assertArrayEquals(t.toArray(), t.view(want).toArray());
  }

  @Property(tries = TRIES)
  void squeezeAndUnsqueezeOnlyMoveSizeOneDims(@ForAll("any") Tensor t, @ForAll int seed) {
    int[] s = t.shape();
    float[] x = t.toArray();
    int[] noOnes = Arrays.stream(s).filter(d -> d != 1).toArray();
    assertArrayEquals(noOnes, t.squeeze().shape());
    assertArrayEquals(x, t.squeeze().toArray());

    int r = s.length;
    int u = Math.floorMod(seed, 2 * r + 2) - (r + 1); // -(r+1) .. r
    int ud = u < 0 ? u + r + 1 : u;
    Tensor up = t.unsqueeze(u);
    int[] upShape = new int[r + 1];
    for (int i = 0, j = 0; i <= r; i++) {
      upShape[i] = i == ud ? 1 : s[j++];
    }
    assertArrayEquals(upShape, up.shape(), "unsqueeze(" + u + ")");
    assertArrayEquals(x, up.toArray());
    assertArrayEquals(s, up.squeeze(u).shape(), "squeeze undoes unsqueeze(" + u + ")");

    int d = pickDim(r, seed);
    Tensor sq = t.squeeze(d);
    int[] want = r > 0 && s[Math.floorMod(d, r)] == 1 ? reducedShape(s, Math.floorMod(d, r), false) : s;
    assertArrayEquals(want, sq.shape(), "squeeze(" + d + ") of " + Arrays.toString(s));
    assertArrayEquals(x, sq.toArray());
  }
}
