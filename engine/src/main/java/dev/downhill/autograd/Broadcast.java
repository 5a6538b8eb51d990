package dev.downhill.autograd;

import dev.downhill.kernels.Compare;
import dev.downhill.kernels.Comparison;
import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Reductions;
import java.util.Arrays;

/**
 * Runs kernels over broadcast operands without materialising the expanded ones.
 *
 * <p>The output (contiguous, in the broadcast shape) is walked in rows: adjacent dimensions that
 * are contiguous for every operand are merged, so {@code [N, C] + [C]} is N rows of C elements and
 * {@code [N, C] + [N, 1]} is N rows where the second operand is one repeated value. Each row is one
 * kernel call; this class only computes offsets.
 */
final class Broadcast {
  private Broadcast() {}

  /** A binary kernel in its three row forms: both operands contiguous, right one repeated, left one repeated. */
  interface Binary {
    void vv(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    void vs(float[] a, int ao, float s, float[] out, int oo, int n);

    void sv(float s, float[] b, int bo, float[] out, int oo, int n);
  }

  static final Binary ADD = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.add(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.addScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.addScalar(b, bo, s, o, oo, n); }
  };
  static final Binary SUB = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.sub(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.subScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.rsubScalar(s, b, bo, o, oo, n); }
  };
  static final Binary MUL = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.mul(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.mulScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.mulScalar(b, bo, s, o, oo, n); }
  };
  static final Binary DIV = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.div(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.divScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.rdivScalar(s, b, bo, o, oo, n); }
  };
  static final Binary MAXIMUM = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.maximum(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.maximumScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.maximumScalar(b, bo, s, o, oo, n); }
  };
  static final Binary MINIMUM = new Binary() {
    public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.minimum(a, ao, b, bo, o, oo, n); }
    public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.minimumScalar(a, ao, s, o, oo, n); }
    public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.minimumScalar(b, bo, s, o, oo, n); }
  };

  /** The 0/1 kernel of comparison {@code c}: a repeated left operand compares with the comparison flipped. */
  static Binary comparison(Comparison c) {
    Comparison f = c.flip();
    return new Binary() {
      public void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Compare.compare(c, a, ao, b, bo, o, oo, n); }
      public void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Compare.compareScalar(c, a, ao, s, o, oo, n); }
      public void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Compare.compareScalar(f, b, bo, s, o, oo, n); }
    };
  }

  /** out[i] = a[..] op b[..] over the broadcast shape {@code outShape}; out is contiguous from 0. */
  static void apply(Binary k, float[] a, int ao, int[] aShape, float[] b, int bo, int[] bShape, float[] out, int[] outShape) {
    Walk w = new Walk(outShape, aShape, bShape);
    int[] off = {ao, bo};
    int sa = w.inner[0];
    int sb = w.inner[1];
    w.rows(off, (o, oo, n) -> {
      if (sa == 1 && sb == 1) {
        k.vv(a, o[0], b, o[1], out, oo, n);
      } else if (sa == 1) {
        k.vs(a, o[0], b[o[1]], out, oo, n);
      } else if (sb == 1) {
        k.sv(a[o[0]], b, o[1], out, oo, n);
      } else {
        k.vv(a, o[0], b, o[1], out, oo, 1);
        Elementwise.fill(out, oo + 1, n - 1, out[oo]);
      }
    });
  }

  /** Copies {@code src} (shape {@code srcShape}) broadcast to {@code outShape} into a new array. */
  static float[] expand(float[] src, int so, int[] srcShape, int[] outShape) {
    float[] out = new float[Shapes.size(outShape)];
    Walk w = new Walk(outShape, srcShape);
    int s = w.inner[0];
    w.rows(new int[] {so}, (o, oo, n) -> {
      if (s == 1) {
        System.arraycopy(src, o[0], out, oo, n);
      } else {
        Elementwise.fill(out, oo, n, src[o[0]]);
      }
    });
    return out;
  }

  /**
   * The gradient of a broadcast: sums {@code g} (shape {@code gShape}) over the dimensions that
   * broadcasting added to {@code target}. Returns {@code g} itself when the shapes are equal.
   */
  static float[] reduceTo(float[] g, int[] gShape, int[] target) {
    if (Arrays.equals(gShape, target)) {
      return g;
    }
    float[] out = new float[Shapes.size(target)];
    int rows = leadingRows(gShape, target);
    if (rows >= 0) {
      // A bias's gradient: g is [rows, …target], summed over its leading rows.
      Reductions.sumRows(g, 0, rows, out.length, out, 0);
      return out;
    }
    return reduceByWalk(g, gShape, target, out);
  }

  /**
   * When {@code target}, without its leading 1s, is the trailing part of {@code gShape}, not empty
   * (so the reduction sums whole rows of g, as for a bias broadcast over a batch): the number of
   * those rows; otherwise −1. The walk adds such rows into the output in the same order.
   */
  static int leadingRows(int[] gShape, int[] target) {
    int t0 = 0;
    while (t0 < target.length && target[t0] == 1) t0++;
    int kept = target.length - t0;
    // kept = 0 (a scalar target) is a whole sum, which the walk adds in vector order: not this case.
    if (kept == 0 || target.length > gShape.length) return -1;
    for (int i = 0; i < kept; i++) {
      if (gShape[gShape.length - kept + i] != target[t0 + i]) return -1;
    }
    return Shapes.prod(gShape, 0, gShape.length - kept);
  }

  /** {@link #reduceTo} for any broadcast, by walking g's rows (also the reference the tests compare the fast path to). */
  static float[] reduceByWalk(float[] g, int[] gShape, int[] target, float[] out) {
    Walk w = new Walk(gShape, target);
    int s = w.inner[0];
    // g is the contiguous "output" side of the walk; target plays the broadcast operand.
    w.rows(new int[] {0}, (o, go, n) -> {
      if (s == 1) {
        Elementwise.addInto(g, go, out, o[0], n);
      } else {
        out[o[0]] += Reductions.sum(g, go, n);
      }
    });
    return out;
  }

  /** One row of a walk: operand offsets, output offset, row length. */
  interface Row {
    void visit(int[] offsets, int outOffset, int n);
  }

  /** The merged row structure of a broadcast: outer dimensions with per-operand strides, and the inner row. */
  static final class Walk {
    final int[] sizes;      // outer dimensions, outermost first
    final int[][] strides;  // [operand][outer dimension]
    final int[] inner = new int[2]; // stride (0 or 1) of each operand along the row
    final int n;            // row length
    final int total;

    Walk(int[] outShape, int[]... operands) {
      int rank = outShape.length;
      int k = operands.length;
      int[][] st = new int[k][rank];
      for (int j = 0; j < k; j++) {
        int[] s = operands[j];
        int pad = rank - s.length;
        int acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
          int size = d < pad ? 1 : s[d - pad];
          st[j][d] = size == 1 ? 0 : acc;
          acc *= size;
        }
      }
      // Merge from the innermost dimension outwards while every operand stays contiguous.
      int[] sz = new int[rank];
      int[][] ms = new int[k][rank];
      int m = 0;
      for (int d = rank - 1; d >= 0; d--) {
        int size = outShape[d];
        if (size == 1) {
          continue;
        }
        boolean merge = m > 0;
        for (int j = 0; j < k && merge; j++) {
          merge = st[j][d] == ms[j][m - 1] * sz[m - 1];
        }
        if (merge) {
          sz[m - 1] *= size;
        } else {
          sz[m] = size;
          for (int j = 0; j < k; j++) {
            ms[j][m] = st[j][d];
          }
          m++;
        }
      }
      this.total = Shapes.size(outShape);
      if (m == 0) { // every dimension is 1: one row of one element
        n = 1;
        sizes = new int[0];
        strides = new int[k][0];
        for (int j = 0; j < k; j++) {
          inner[j] = 1;
        }
        return;
      }
      n = sz[0];
      for (int j = 0; j < k; j++) {
        inner[j] = ms[j][0];
      }
      sizes = new int[m - 1];
      strides = new int[k][m - 1];
      for (int i = 1; i < m; i++) { // reverse so index 0 is outermost
        sizes[m - 1 - i] = sz[i];
        for (int j = 0; j < k; j++) {
          strides[j][m - 1 - i] = ms[j][i];
        }
      }
    }

    void rows(int[] offsets, Row row) {
      if (total == 0) {
        return;
      }
      int k = offsets.length;
      int[] off = offsets.clone();
      int[] idx = new int[sizes.length];
      for (int oo = 0; oo < total; oo += n) {
        row.visit(off, oo, n);
        for (int d = sizes.length - 1; d >= 0; d--) {
          for (int j = 0; j < k; j++) {
            off[j] += strides[j][d];
          }
          if (++idx[d] < sizes[d]) {
            break;
          }
          for (int j = 0; j < k; j++) {
            off[j] -= strides[j][d] * sizes[d];
          }
          idx[d] = 0;
        }
      }
    }
  }
}
