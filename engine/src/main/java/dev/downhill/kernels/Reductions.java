package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD reductions over a {@code float[]} range {@code a[ao, ao + n)}; {@link ScalarReductions} is the
 * sequential twin with the same signatures. {@code max}, {@code min}, the arg-reductions and the
 * update kernels give bitwise the twin's answers; {@code sum} and {@code sumSquares} add in another
 * order, so they differ from the twin by rounding only (at most {@code 2·γ(n)·Σ|a_i|}, γ(n) = nu/(1-nu),
 * u = 2^-24).
 *
 * <p>Partial results live in several vector accumulators and are reduced across lanes once per call,
 * in lane order ({@link VMath#sumLanes}): one accumulator would chain every add on the previous one's
 * latency, {@code reduceLanes} inside a loop is slow on x86 before JDK 24 (JDK-8337062), and its float
 * order is unspecified (the Java fallback and C2's intrinsic differ on JDK 25).
 */
public final class Reductions {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
  private static final int L = S.length();

  private Reductions() {}

  /**
   * Column sums of a row-major {@code [rows, n]} block: {@code out[oo + j] = 0 + g[go + j] + g[go + n + j]
   * + … + g[go + (rows−1)·n + j]}, added in row order, the bits of {@link ScalarReductions#sumRows}
   * (the gradient of a bias broadcast over a batch). Each block of four vectors of columns is summed
   * over up to {@link #SUM_ROWS_CHUNK} rows in registers, then stored (and loaded again for the next
   * rows), so out is not read back after every row. Columns are split over
   * threads for large blocks; a column's sum does not depend on the split. Reads g, writes only
   * {@code out[oo, oo + n)}; {@code rows} may be 0 (zeros).
   */
  public static void sumRows(float[] g, int go, int rows, int n, float[] out, int oo) {
    long size = (long) rows * n;
    if (size < SUM_ROWS_GRAIN || n < 2 * 4 * L) {
      sumRowsRange(g, go, rows, n, 0, n, out, oo);
      return;
    }
    int grain = (int) Math.max(4L * L, (SUM_ROWS_GRAIN / Math.max(1, rows) + 4 * L - 1) / (4 * L) * (4 * L));
    Parallel.forRange(n, grain, (from, to) -> sumRowsRange(g, go, rows, n, from, to, out, oo));
  }

  /** Elements per thread below which {@link #sumRows} runs on the caller. */
  static final int SUM_ROWS_GRAIN = 1 << 16;

  /** Rows summed into the registers of a block of columns before it is stored: few enough that their reads stay sequential streams. */
  static final int SUM_ROWS_CHUNK = 16;

  private static void sumRowsRange(float[] g, int go, int rows, int n, int from, int to, float[] out, int oo) {
    if (rows == 0) {
      Elementwise.fill(out, oo + from, to - from, 0f);
      return;
    }
    FloatVector zero = FloatVector.zero(S);
    // Rows in chunks: a column's sum so far is stored between chunks and loaded back, which changes
    // no bits (the same additions in the same order); the first chunk starts from +0.
    for (int r0 = 0; r0 < rows; r0 += SUM_ROWS_CHUNK) {
      int r1 = Math.min(rows, r0 + SUM_ROWS_CHUNK);
      boolean first = r0 == 0;
      int j = from;
      for (; j + 4 * L <= to; j += 4 * L) {
        FloatVector s0 = first ? zero : FloatVector.fromArray(S, out, oo + j);
        FloatVector s1 = first ? zero : FloatVector.fromArray(S, out, oo + j + L);
        FloatVector s2 = first ? zero : FloatVector.fromArray(S, out, oo + j + 2 * L);
        FloatVector s3 = first ? zero : FloatVector.fromArray(S, out, oo + j + 3 * L);
        for (int r = r0, at = go + r0 * n + j; r < r1; r++, at += n) {
          s0 = s0.add(FloatVector.fromArray(S, g, at));
          s1 = s1.add(FloatVector.fromArray(S, g, at + L));
          s2 = s2.add(FloatVector.fromArray(S, g, at + 2 * L));
          s3 = s3.add(FloatVector.fromArray(S, g, at + 3 * L));
        }
        s0.intoArray(out, oo + j);
        s1.intoArray(out, oo + j + L);
        s2.intoArray(out, oo + j + 2 * L);
        s3.intoArray(out, oo + j + 3 * L);
      }
      for (; j + L <= to; j += L) {
        FloatVector s0 = first ? zero : FloatVector.fromArray(S, out, oo + j);
        for (int r = r0, at = go + r0 * n + j; r < r1; r++, at += n) {
          s0 = s0.add(FloatVector.fromArray(S, g, at));
        }
        s0.intoArray(out, oo + j);
      }
      if (j < to) {
        // The last columns (fewer than a vector) one by one, rows outside so the columns' chains overlap.
        int tail = to - j;
        if (first) {
          for (int c = 0; c < tail; c++) out[oo + j + c] = 0f;
        }
        for (int r = r0, at = go + r0 * n + j; r < r1; r++, at += n) {
          for (int c = 0; c < tail; c++) out[oo + j + c] += g[at + c];
        }
      }
    }
  }

  /** Reads {@code a[ao, ao+n)}; returns its sum (0 for {@code n == 0}). Writes nothing. */
  public static float sum(float[] a, int ao, int n) {
    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (int end = n - n % (4 * L); i < end; i += 4 * L) {
      s0 = s0.add(FloatVector.fromArray(S, a, ao + i));
      s1 = s1.add(FloatVector.fromArray(S, a, ao + i + L));
      s2 = s2.add(FloatVector.fromArray(S, a, ao + i + 2 * L));
      s3 = s3.add(FloatVector.fromArray(S, a, ao + i + 3 * L));
    }
    for (int end = S.loopBound(n); i < end; i += L) {
      s0 = s0.add(FloatVector.fromArray(S, a, ao + i));
    }
    float s = VMath.sumLanes(s0.add(s1).add(s2.add(s3)));
    for (; i < n; i++) s += a[ao + i];
    return s;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns the sum of its squares (0 for {@code n == 0}). Writes nothing.
   * Squares are fused into the adds, one rounding fewer than the twin.
   */
  public static float sumSquares(float[] a, int ao, int n) {
    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (int end = n - n % (4 * L); i < end; i += 4 * L) {
      FloatVector v0 = FloatVector.fromArray(S, a, ao + i);
      FloatVector v1 = FloatVector.fromArray(S, a, ao + i + L);
      FloatVector v2 = FloatVector.fromArray(S, a, ao + i + 2 * L);
      FloatVector v3 = FloatVector.fromArray(S, a, ao + i + 3 * L);
      s0 = v0.fma(v0, s0);
      s1 = v1.fma(v1, s1);
      s2 = v2.fma(v2, s2);
      s3 = v3.fma(v3, s3);
    }
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      s0 = v.fma(v, s0);
    }
    float s = VMath.sumLanes(s0.add(s1).add(s2.add(s3)));
    for (; i < n; i++) s += a[ao + i] * a[ao + i];
    return s;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns its largest element by {@link Math#max(float, float)}: NaN if
   * any element is NaN, {@code +0} over {@code -0}. Being commutative and associative up to NaN
   * payloads, that order-free rule lets the SIMD answer equal the sequential one bitwise.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static float max(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("max: empty range");
    float m = a[ao];
    int i = 0;
    if (n >= 2 * L) {
      FloatVector m0 = FloatVector.fromArray(S, a, ao), m1 = FloatVector.fromArray(S, a, ao + L);
      for (i = 2 * L; i <= n - 2 * L; i += 2 * L) {
        m0 = m0.max(FloatVector.fromArray(S, a, ao + i));
        m1 = m1.max(FloatVector.fromArray(S, a, ao + i + L));
      }
      m = m0.max(m1).reduceLanes(MAX);
    }
    for (; i < n; i++) m = Math.max(m, a[ao + i]);
    return m;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns its smallest element by {@link Math#min(float, float)}: NaN if
   * any element is NaN, {@code -0} under {@code +0}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static float min(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("min: empty range");
    float m = a[ao];
    int i = 0;
    if (n >= 2 * L) {
      FloatVector m0 = FloatVector.fromArray(S, a, ao), m1 = FloatVector.fromArray(S, a, ao + L);
      for (i = 2 * L; i <= n - 2 * L; i += 2 * L) {
        m0 = m0.min(FloatVector.fromArray(S, a, ao + i));
        m1 = m1.min(FloatVector.fromArray(S, a, ao + i + L));
      }
      m = m0.min(m1).reduceLanes(MIN);
    }
    for (; i < n; i++) m = Math.min(m, a[ao + i]);
    return m;
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns the index, relative to {@code ao}, of the first maximal
   * element, where a NaN beats every number (so the first NaN wins, as {@code torch.argmax}) and
   * {@code -0 == +0} (the first of tied zeros wins).
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static int argmax(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("argmax: empty range");
    return firstIndexOf(a, ao, n, max(a, ao, n));
  }

  /**
   * Reads {@code a[ao, ao+n)}; returns the index, relative to {@code ao}, of the first minimal
   * element, where a NaN beats every number (the first NaN wins) and {@code -0 == +0}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static int argmin(float[] a, int ao, int n) {
    if (n <= 0) throw new IllegalArgumentException("argmin: empty range");
    return firstIndexOf(a, ao, n, min(a, ao, n));
  }

  /** Second pass of the arg-reductions: {@code ==} matches either zero; NaN needs its own test. */
  private static int firstIndexOf(float[] a, int ao, int n, float target) {
    boolean nan = Float.isNaN(target);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, ao + i);
      VectorMask<Float> hit = nan ? v.test(IS_NAN) : v.compare(EQ, target);
      if (hit.anyTrue()) return i + hit.firstTrue();
    }
    for (; i < n; i++) {
      float x = a[ao + i];
      if (nan ? x != x : x == target) return i;
    }
    throw new AssertionError("target came from this range");
  }

  /**
   * One step of a running argmax over rows (max over a non-last dimension). Reads
   * {@code row[ro, ro+n)} and {@code best[bo, bo+n)}; where {@code row > best}, or {@code row} is
   * NaN and {@code best} is not, overwrites {@code best} with {@code row} and {@code idx[io+i]} with
   * {@code k}. Other elements of {@code best} and {@code idx} are left as they were, so earlier rows
   * win ties.
   */
  public static void argmaxUpdate(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n) {
    IntVector kv = IntVector.broadcast(I, k);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector r = FloatVector.fromArray(S, row, ro + i);
      FloatVector b = FloatVector.fromArray(S, best, bo + i);
      VectorMask<Float> take = r.compare(GT, b).or(r.test(IS_NAN).andNot(b.test(IS_NAN)));
      b.blend(r, take).intoArray(best, bo + i);
      IntVector.fromArray(I, idx, io + i).blend(kv, take.cast(I)).intoArray(idx, io + i);
    }
    for (; i < n; i++) {
      float r = row[ro + i], b = best[bo + i];
      if (r > b || (r != r && b == b)) {
        best[bo + i] = r;
        idx[io + i] = k;
      }
    }
  }

  /**
   * One step of a running argmin over rows. Reads {@code row[ro, ro+n)} and {@code best[bo, bo+n)};
   * where {@code row < best}, or {@code row} is NaN and {@code best} is not, overwrites {@code best}
   * with {@code row} and {@code idx[io+i]} with {@code k}; leaves the other elements as they were.
   */
  public static void argminUpdate(float[] row, int ro, float[] best, int bo, int[] idx, int io, int k, int n) {
    IntVector kv = IntVector.broadcast(I, k);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector r = FloatVector.fromArray(S, row, ro + i);
      FloatVector b = FloatVector.fromArray(S, best, bo + i);
      VectorMask<Float> take = r.compare(LT, b).or(r.test(IS_NAN).andNot(b.test(IS_NAN)));
      b.blend(r, take).intoArray(best, bo + i);
      IntVector.fromArray(I, idx, io + i).blend(kv, take.cast(I)).intoArray(idx, io + i);
    }
    for (; i < n; i++) {
      float r = row[ro + i], b = best[bo + i];
      if (r < b || (r != r && b == b)) {
        best[bo + i] = r;
        idx[io + i] = k;
      }
    }
  }
}
