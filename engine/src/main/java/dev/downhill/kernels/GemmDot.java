package dev.downhill.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s path for {@code C = alpha·A·Bᵀ + beta·C (+ bias)} with few rows of A: nn.Linear's
 * forward {@code x·Wᵀ} on a small batch. Both operands are read in place, as rows: element
 * {@code (i, j)} of C is the dot product of row i of A and row j of B, both contiguous. Nothing is
 * packed, which is the point: packing W for {@code 10×500·500ᵀ} cost as much as the product itself.
 *
 * <p>Each dot product keeps one vector accumulator (16 lanes) over its row pieces in order, the last
 * piece zero-padded from a copy, then sums the lanes by a fixed tree (lanes 8 apart, then 4, 2, 1).
 * The kernels tile 4 rows of A × 4 rows of B (16 accumulators, 8 loads for 16 FMAs) and reduce the
 * 16 accumulators together ({@link #reduce}), four levels of blend-shuffle-add that leave the 16 sums in one vector:
 * about 4 operations per element of C where {@code reduceLanes(ADD)} took about 30 (at
 * 10×100·500ᵀ: 80 µs with it, most of it in the reductions). 2×4, 1×4 and 1×1 kernels take the
 * last rows with the same tree, so every element of C has the same operations whichever kernel
 * computes it, and the thread split (whole blocks of 4 rows of B) cannot change a bit.
 *
 * <p>Only for 16-lane vectors (AVX-512); elsewhere {@link Gemm} keeps its packed path. The scalar
 * twin is {@link ScalarGemm}, which sums in another order; the two agree to rounding.
 */
final class GemmDot {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Whether this path exists here: the reduction tree is written for 16 lanes. */
  static final boolean AVAILABLE = L == 16;
  /** Rows of B a kernel takes at a time, and the grain of the thread split. */
  static final int NB = 4;

  // The tree's masks (lanes whose bit h is set) and shuffles (lane i to i ^ h), h = 8, 4, 2, 1.
  private static final VectorMask<Float> M8 = VectorMask.fromLong(S, 0xFF00L);
  private static final VectorMask<Float> N8 = VectorMask.fromLong(S, 0x00FFL);
  private static final VectorMask<Float> M4 = VectorMask.fromLong(S, 0xF0F0L);
  private static final VectorMask<Float> N4 = VectorMask.fromLong(S, 0x0F0FL);
  private static final VectorMask<Float> M2 = VectorMask.fromLong(S, 0xCCCCL);
  private static final VectorMask<Float> N2 = VectorMask.fromLong(S, 0x3333L);
  private static final VectorMask<Float> M1 = VectorMask.fromLong(S, 0xAAAAL);
  private static final VectorMask<Float> N1 = VectorMask.fromLong(S, 0x5555L);
  private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> i ^ 8);
  private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> i ^ 4);
  private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> i ^ 2);
  private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> i ^ 1);
  /** The sum of input {@code t} of the tree lands in lane {@code LANE[t]}: t's 4 bits reversed. */
  private static final int[] LANE = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

  private GemmDot() {}

  /** Columns {@code [j0, j1)} (rows of B) of C for all m rows; {@code j0} a multiple of {@link #NB}. */
  static void run(int m, int j0, int j1, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb,
      float beta, float[] c, int co, int ldc, float[] bias, int biasOff) {
    float[] acc = new float[16 * L];
    float[] sums = new float[L];
    int kv = k - k % L;
    boolean tail = kv < k;
    // The last piece of each row, zero-padded to a whole vector: A's once, B's per block of rows.
    float[] ta = new float[tail ? m * L : 0];
    float[] tb = new float[NB * L];
    if (tail) {
      for (int i = 0; i < m; i++) System.arraycopy(a, ao + i * lda + kv, ta, i * L, k - kv);
    }
    int j = j0;
    for (; j + NB <= j1; j += NB) {
      int rb = bo + j * ldb;
      if (tail) {
        for (int q = 0; q < NB; q++) System.arraycopy(b, rb + q * ldb + kv, tb, q * L, k - kv);
      }
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        dot4x4(kv, tail, a, ao + i * lda, lda, b, rb, ldb, ta, i * L, tb, acc);
        reduce(acc, sums);
        finish(4, NB, i, j, sums, alpha, beta, c, co, ldc, bias, biasOff);
      }
      if (i + 2 <= m) {
        dot2x4(kv, tail, a, ao + i * lda, lda, b, rb, ldb, ta, i * L, tb, acc);
        reduce(acc, sums);
        finish(2, NB, i, j, sums, alpha, beta, c, co, ldc, bias, biasOff);
        i += 2;
      }
      if (i < m) {
        dot1x4(kv, tail, a, ao + i * lda, b, rb, ldb, ta, i * L, tb, acc);
        reduce(acc, sums);
        finish(1, NB, i, j, sums, alpha, beta, c, co, ldc, bias, biasOff);
      }
    }
    for (; j < j1; j++) {
      int rb = bo + j * ldb;
      if (tail) System.arraycopy(b, rb + kv, tb, 0, k - kv);
      for (int i = 0; i < m; i++) {
        dot1x1(kv, tail, a, ao + i * lda, b, rb, ta, i * L, tb, acc);
        reduce(acc, sums);
        finish(1, 1, i, j, sums, alpha, beta, c, co, ldc, bias, biasOff);
      }
    }
  }

  /**
   * Writes the {@code rows × cols} sums to C through {@link Gemm}'s epilogue; the sum of element
   * {@code (r, q)}, input {@code r·NB + q} of the tree, is in {@code sums[LANE[r·NB + q]]}.
   */
  private static void finish(int rows, int cols, int i0, int j0, float[] sums, float alpha, float beta, float[] c,
      int co, int ldc, float[] bias, int biasOff) {
    for (int r = 0; r < rows; r++) {
      int at = co + (i0 + r) * ldc + j0;
      for (int q = 0; q < cols; q++) {
        float s = sums[LANE[r * NB + q]];
        if (alpha != 1f) s *= alpha;
        if (beta != 0f) s = Math.fma(c[at + q], beta, s);
        if (bias != null) s += bias[biasOff + j0 + q];
        c[at + q] = s;
      }
    }
  }

  /**
   * The lane sums of the 16 vectors {@code acc[t·L ...]} into {@code sums[LANE[t]]}: one level of
   * the tree per pass, each pass packing two vectors' pair sums (lanes h apart) into one vector, the
   * first's where bit h of the lane is 0, the second's where it is 1. A vector's lanes are only ever
   * added to its own, so whatever the unused inputs hold does not reach the others. Its own method,
   * apart from the kernels: inlined into {@link #dot4x4}, C2 ran out of nodes, left the blends as
   * calls and boxed every vector (150 µs at 10×100·500ᵀ).
   */
  static void reduce(float[] acc, float[] sums) {
    FloatVector a0 = FloatVector.fromArray(S, acc, 0), a1 = FloatVector.fromArray(S, acc, L);
    FloatVector a2 = FloatVector.fromArray(S, acc, 2 * L), a3 = FloatVector.fromArray(S, acc, 3 * L);
    FloatVector a4 = FloatVector.fromArray(S, acc, 4 * L), a5 = FloatVector.fromArray(S, acc, 5 * L);
    FloatVector a6 = FloatVector.fromArray(S, acc, 6 * L), a7 = FloatVector.fromArray(S, acc, 7 * L);
    FloatVector a8 = FloatVector.fromArray(S, acc, 8 * L), a9 = FloatVector.fromArray(S, acc, 9 * L);
    FloatVector a10 = FloatVector.fromArray(S, acc, 10 * L), a11 = FloatVector.fromArray(S, acc, 11 * L);
    FloatVector a12 = FloatVector.fromArray(S, acc, 12 * L), a13 = FloatVector.fromArray(S, acc, 13 * L);
    FloatVector a14 = FloatVector.fromArray(S, acc, 14 * L), a15 = FloatVector.fromArray(S, acc, 15 * L);
    FloatVector e0 = a0.blend(a1, M8).add(a0.blend(a1, N8).rearrange(X8));
    FloatVector e1 = a2.blend(a3, M8).add(a2.blend(a3, N8).rearrange(X8));
    FloatVector e2 = a4.blend(a5, M8).add(a4.blend(a5, N8).rearrange(X8));
    FloatVector e3 = a6.blend(a7, M8).add(a6.blend(a7, N8).rearrange(X8));
    FloatVector e4 = a8.blend(a9, M8).add(a8.blend(a9, N8).rearrange(X8));
    FloatVector e5 = a10.blend(a11, M8).add(a10.blend(a11, N8).rearrange(X8));
    FloatVector e6 = a12.blend(a13, M8).add(a12.blend(a13, N8).rearrange(X8));
    FloatVector e7 = a14.blend(a15, M8).add(a14.blend(a15, N8).rearrange(X8));
    FloatVector f0 = e0.blend(e1, M4).add(e0.blend(e1, N4).rearrange(X4));
    FloatVector f1 = e2.blend(e3, M4).add(e2.blend(e3, N4).rearrange(X4));
    FloatVector f2 = e4.blend(e5, M4).add(e4.blend(e5, N4).rearrange(X4));
    FloatVector f3 = e6.blend(e7, M4).add(e6.blend(e7, N4).rearrange(X4));
    FloatVector g0 = f0.blend(f1, M2).add(f0.blend(f1, N2).rearrange(X2));
    FloatVector g1 = f2.blend(f3, M2).add(f2.blend(f3, N2).rearrange(X2));
    g0.blend(g1, M1).add(g0.blend(g1, N1).rearrange(X1)).intoArray(sums, 0);
  }

  /**
   * Rows {@code a0 + [0, 4)·lda} of A against rows {@code b0 + [0, 4)·ldb} of B, elements [0, kv) and,
   * with {@code tail}, the padded last pieces {@code ta[t0 + r·L ...]} and {@code tb[q·L ...]}.
   */
  static void dot4x4(int kv, boolean tail, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] ta,
      int t0, float[] tb, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (int p = 0; p < kv; p += L) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
      FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
      FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
      FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
      c00 = x0.fma(y0, c00);
      c01 = x0.fma(y1, c01);
      c02 = x0.fma(y2, c02);
      c03 = x0.fma(y3, c03);
      c10 = x1.fma(y0, c10);
      c11 = x1.fma(y1, c11);
      c12 = x1.fma(y2, c12);
      c13 = x1.fma(y3, c13);
      c20 = x2.fma(y0, c20);
      c21 = x2.fma(y1, c21);
      c22 = x2.fma(y2, c22);
      c23 = x2.fma(y3, c23);
      c30 = x3.fma(y0, c30);
      c31 = x3.fma(y1, c31);
      c32 = x3.fma(y2, c32);
      c33 = x3.fma(y3, c33);
    }
    if (tail) {
      FloatVector y0 = FloatVector.fromArray(S, tb, 0);
      FloatVector y1 = FloatVector.fromArray(S, tb, L);
      FloatVector y2 = FloatVector.fromArray(S, tb, 2 * L);
      FloatVector y3 = FloatVector.fromArray(S, tb, 3 * L);
      FloatVector x0 = FloatVector.fromArray(S, ta, t0);
      FloatVector x1 = FloatVector.fromArray(S, ta, t0 + L);
      FloatVector x2 = FloatVector.fromArray(S, ta, t0 + 2 * L);
      FloatVector x3 = FloatVector.fromArray(S, ta, t0 + 3 * L);
      c00 = x0.fma(y0, c00);
      c01 = x0.fma(y1, c01);
      c02 = x0.fma(y2, c02);
      c03 = x0.fma(y3, c03);
      c10 = x1.fma(y0, c10);
      c11 = x1.fma(y1, c11);
      c12 = x1.fma(y2, c12);
      c13 = x1.fma(y3, c13);
      c20 = x2.fma(y0, c20);
      c21 = x2.fma(y1, c21);
      c22 = x2.fma(y2, c22);
      c23 = x2.fma(y3, c23);
      c30 = x3.fma(y0, c30);
      c31 = x3.fma(y1, c31);
      c32 = x3.fma(y2, c32);
      c33 = x3.fma(y3, c33);
    }
    // Input t of the tree is accumulator (t / 4, t % 4): row-major, as sums is laid out.
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c02.intoArray(acc, 2 * L);
    c03.intoArray(acc, 3 * L);
    c10.intoArray(acc, 4 * L);
    c11.intoArray(acc, 5 * L);
    c12.intoArray(acc, 6 * L);
    c13.intoArray(acc, 7 * L);
    c20.intoArray(acc, 8 * L);
    c21.intoArray(acc, 9 * L);
    c22.intoArray(acc, 10 * L);
    c23.intoArray(acc, 11 * L);
    c30.intoArray(acc, 12 * L);
    c31.intoArray(acc, 13 * L);
    c32.intoArray(acc, 14 * L);
    c33.intoArray(acc, 15 * L);
  }

  /** {@link #dot4x4} for two rows of A. */
  static void dot2x4(int kv, boolean tail, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] ta,
      int t0, float[] tb, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    int a1 = a0 + lda;
    int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (int p = 0; p < kv; p += L) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
      FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
      c00 = x0.fma(y0, c00);
      c01 = x0.fma(y1, c01);
      c02 = x0.fma(y2, c02);
      c03 = x0.fma(y3, c03);
      c10 = x1.fma(y0, c10);
      c11 = x1.fma(y1, c11);
      c12 = x1.fma(y2, c12);
      c13 = x1.fma(y3, c13);
    }
    if (tail) {
      FloatVector y0 = FloatVector.fromArray(S, tb, 0);
      FloatVector y1 = FloatVector.fromArray(S, tb, L);
      FloatVector y2 = FloatVector.fromArray(S, tb, 2 * L);
      FloatVector y3 = FloatVector.fromArray(S, tb, 3 * L);
      FloatVector x0 = FloatVector.fromArray(S, ta, t0);
      FloatVector x1 = FloatVector.fromArray(S, ta, t0 + L);
      c00 = x0.fma(y0, c00);
      c01 = x0.fma(y1, c01);
      c02 = x0.fma(y2, c02);
      c03 = x0.fma(y3, c03);
      c10 = x1.fma(y0, c10);
      c11 = x1.fma(y1, c11);
      c12 = x1.fma(y2, c12);
      c13 = x1.fma(y3, c13);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c02.intoArray(acc, 2 * L);
    c03.intoArray(acc, 3 * L);
    c10.intoArray(acc, 4 * L);
    c11.intoArray(acc, 5 * L);
    c12.intoArray(acc, 6 * L);
    c13.intoArray(acc, 7 * L);
  }

  /** {@link #dot4x4} for one row of A. */
  static void dot1x4(int kv, boolean tail, float[] a, int a0, float[] b, int b0, int ldb, float[] ta, int t0,
      float[] tb, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (int p = 0; p < kv; p += L) {
      FloatVector x = FloatVector.fromArray(S, a, a0 + p);
      c00 = x.fma(FloatVector.fromArray(S, b, b0 + p), c00);
      c01 = x.fma(FloatVector.fromArray(S, b, b1 + p), c01);
      c02 = x.fma(FloatVector.fromArray(S, b, b2 + p), c02);
      c03 = x.fma(FloatVector.fromArray(S, b, b3 + p), c03);
    }
    if (tail) {
      FloatVector x = FloatVector.fromArray(S, ta, t0);
      c00 = x.fma(FloatVector.fromArray(S, tb, 0), c00);
      c01 = x.fma(FloatVector.fromArray(S, tb, L), c01);
      c02 = x.fma(FloatVector.fromArray(S, tb, 2 * L), c02);
      c03 = x.fma(FloatVector.fromArray(S, tb, 3 * L), c03);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c02.intoArray(acc, 2 * L);
    c03.intoArray(acc, 3 * L);
  }

  /** One dot product, the same operations as one element of {@link #dot4x4}. */
  static void dot1x1(int kv, boolean tail, float[] a, int a0, float[] b, int b0, float[] ta, int t0, float[] tb,
      float[] out) {
    FloatVector acc = FloatVector.zero(S);
    for (int p = 0; p < kv; p += L) {
      acc = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, b0 + p), acc);
    }
    if (tail) acc = FloatVector.fromArray(S, ta, t0).fma(FloatVector.fromArray(S, tb, 0), acc);
    acc.intoArray(out, 0);
  }
}
