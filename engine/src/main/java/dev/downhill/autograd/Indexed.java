package dev.downhill.autograd;

import dev.downhill.kernels.Compare;
import dev.downhill.kernels.Comparison;
import dev.downhill.kernels.Indexing;
import dev.downhill.kernels.Layout;
import dev.downhill.kernels.TopK;
import java.util.Arrays;

/**
 * Ops that pick, mask or compare elements: each forward and, beside it, its backward (a scatter-add
 * of the gradient back to where each element came from). Index tensors are float tensors of whole
 * numbers and get no gradient; comparison results never require grad.
 */
final class Indexed {
  private Indexed() {}

  // ---------------------------------------------------------------- comparisons (no gradient)

  static Tensor compare(String op, Comparison c, Tensor a, Tensor b) {
    int[] s = Shapes.broadcast(op, a.shape, b.shape);
    float[] out = new float[Shapes.size(s)];
    Broadcast.apply(Broadcast.comparison(c), a.array(), a.offset, a.shape, b.array(), b.offset, b.shape, out, s);
    return Tensor.wrap(out, s);
  }

  static Tensor compare(Comparison c, Tensor a, float v) {
    float[] out = new float[a.size];
    Compare.compareScalar(c, a.array(), a.offset, v, out, 0, a.size);
    return Tensor.wrap(out, a.shape.clone());
  }

  // ---------------------------------------------------------------- where, maskedFill

  // d where(c, a, b) = g where c, 0 elsewhere (to a); the other way round to b; each summed to its shape
  static Tensor where(Tensor cond, Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
    float[] c = Broadcast.expand(cond.array(), cond.offset, cond.shape, s);
    float[] ea = Broadcast.expand(a.array(), a.offset, a.shape, s);
    float[] eb = Broadcast.expand(b.array(), b.offset, b.shape, s);
    long t0 = OpTrace.start();
    float[] out = new float[c.length];
    Compare.where(c, 0, ea, 0, eb, 0, out, 0, out.length);
    OpTrace.stop("where", t0, 0, 16.0 * out.length);
    Tensor y = Tensor.wrap(out, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    return y.madeBy(new Node("where", s, a, b) {
      void backward(float[] g, Grads grads) {
        for (int i = 0; i < 2; i++) {
          if (grads.needs(i)) {
            float[] gi = new float[g.length];
            Compare.keepWhere(c, 0, i == 0, g, 0, gi, 0, g.length);
            grads.add(i, Broadcast.reduceTo(gi, s, i == 0 ? a.shape : b.shape));
          }
        }
      }
    });
  }

  // d maskedFill(x, m, v) = g where m is 0, else 0
  static Tensor maskedFill(Tensor x, Tensor mask, float value) {
    int[] s = Shapes.broadcast("maskedFill", x.shape, mask.shape);
    if (!Arrays.equals(s, x.shape)) {
      throw new IllegalArgumentException("maskedFill: mask of shape " + Shapes.str(mask.shape)
          + " does not broadcast to the tensor's shape " + Shapes.str(x.shape));
    }
    float[] m = Broadcast.expand(mask.array(), mask.offset, mask.shape, s);
    long t0 = OpTrace.start();
    float[] out = new float[x.size];
    Compare.fillWhere(m, 0, value, x.array(), x.offset, out, 0, x.size);
    OpTrace.stop("maskedFill", t0, 0, 12.0 * x.size);
    Tensor y = Tensor.wrap(out, s);
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node("maskedFill", s, x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[g.length];
        Compare.keepWhere(m, 0, false, g, 0, gx, 0, g.length);
        grads.add(0, gx);
      }
    });
  }

  // ---------------------------------------------------------------- indexSelect, narrow, gather

  static int[] indices(String op, Tensor index, int dim, int bound) {
    if (index.requiresGrad) {
      throw new IllegalArgumentException(op + ": the index of shape " + Shapes.str(index.shape)
          + " requires grad; indices are not differentiable (detach them)");
    }
    return Indexing.toIndices(op, index.array(), index.offset, index.size, dim, bound);
  }

  static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    if (index.shape.length > 1) {
      throw new IllegalArgumentException("indexSelect: index must be 0-D or 1-D, got shape " + Shapes.str(index.shape));
    }
    int r = x.shape.length;
    int d = Shapes.dim("indexSelect", dim, r);
    int n = r == 0 ? 1 : x.shape[d];
    int[] idx = indices("indexSelect", index, d, n);
    int[] s = x.shape.clone();
    if (r > 0) {
      s[d] = idx.length;
    } else if (idx.length != 1) {
      throw new IllegalArgumentException("indexSelect: a 0-D tensor takes one index, got " + idx.length);
    }
    return select("indexSelect", x, d, idx, s);
  }

  // out[k] = weight[idx[k]]; d weight[r] = Σ over k with idx[k] = r of g[k]
  static Tensor embedding(Tensor weight, Tensor indices) {
    if (weight.shape.length != 2) {
      throw new IllegalArgumentException("embedding: weight must be 2-D [num, dim], got shape " + Shapes.str(weight.shape));
    }
    int[] idx = indices("embedding", indices, 0, weight.shape[0]);
    int[] s = Arrays.copyOf(indices.shape, indices.shape.length + 1);
    s[indices.shape.length] = weight.shape[1];
    return select("embedding", weight, 0, idx, s);
  }

  /** {@code x} indexed by {@code idx} along dimension d into shape {@code s}; backward scatter-adds. */
  private static Tensor select(String op, Tensor x, int d, int[] idx, int[] s) {
    int r = x.shape.length;
    int outer = r == 0 ? 1 : Shapes.prod(x.shape, 0, d);
    int n = r == 0 ? 1 : x.shape[d];
    int inner = r == 0 ? 1 : Shapes.prod(x.shape, d + 1, r);
    long t0 = OpTrace.start();
    float[] out = new float[Shapes.size(s)];
    Indexing.selectAlong(x.array(), x.offset, outer, n, inner, idx, out, 0);
    OpTrace.stop(op, t0, 0, 8.0 * out.length);
    Tensor y = Tensor.wrap(out, s);
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node(op, s, x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[x.size];
        Indexing.scatterAddAlong(g, 0, outer, n, inner, idx, gx, 0);
        grads.add(0, gx);
      }
    });
  }

  /**
   * {@code length} entries of dimension {@code dim} from {@code start}: a view when every
   * dimension before {@code dim} has size 1 (the entries are then one contiguous block), a copy
   * otherwise.
   */
  static Tensor narrow(Tensor x, int dim, int start, int length) {
    if (x.shape.length == 0) {
      throw new IllegalArgumentException("narrow: cannot narrow a 0-dimensional tensor");
    }
    int d = Shapes.dim("narrow", dim, x.shape.length);
    int n = x.shape[d];
    if (start < -n || start > n) {
      throw new IndexOutOfBoundsException("narrow: start " + start + " is out of range for dimension " + d + " of size "
          + n + " (shape " + Shapes.str(x.shape) + ")");
    }
    int from = start < 0 ? start + n : start;
    if (length < 0 || from + length > n) {
      throw new IndexOutOfBoundsException("narrow: start " + from + " + length " + length + " exceeds dimension " + d
          + " of size " + n + " (shape " + Shapes.str(x.shape) + ")");
    }
    int[] s = x.shape.clone();
    s[d] = length;
    return block("narrow", x, d, from, length, s);
  }

  /** Entry {@code index} of dimension {@code dim}, that dimension removed; a view or a copy as {@link #narrow}. */
  static Tensor select(Tensor x, int dim, int index) {
    if (x.shape.length == 0) {
      throw new IllegalArgumentException("select: cannot index a 0-dimensional tensor");
    }
    int d = Shapes.dim("select", dim, x.shape.length);
    int n = x.shape[d];
    if (index < -n || index >= n) {
      throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d + " of size "
          + n + " (shape " + Shapes.str(x.shape) + ")");
    }
    return block("select", x, d, index < 0 ? index + n : index, 1, Shapes.reduced(x.shape, d, false));
  }

  /** Entries [from, from + length) of dimension d, in shape {@code s}: a view where they are contiguous. */
  private static Tensor block(String op, Tensor x, int d, int from, int length, int[] s) {
    if (Shapes.prod(x.shape, 0, d) == 1) {
      return Views.view(op, x, x.offset + from * Shapes.prod(x.shape, d + 1, x.shape.length), s);
    }
    int[] idx = new int[length];
    for (int j = 0; j < length; j++) {
      idx[j] = from + j;
    }
    return select(op, x, d, idx, s);
  }

  // d gather(x, dim, idx) = scatter-add of g into the gathered places
  static Tensor gather(Tensor x, int dim, Tensor index) {
    int r = x.shape.length;
    if (index.shape.length != Math.max(r, 1) && !(r == 0 && index.shape.length == 0)) {
      throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape)
          + " must have as many dimensions as the input " + Shapes.str(x.shape));
    }
    int d = Shapes.dim("gather", dim, r);
    int[] xs = r == 0 ? new int[] {1} : x.shape;
    int[] is = index.shape.length == 0 ? new int[] {1} : index.shape;
    for (int k = 0; k < xs.length; k++) {
      if (k != d && is[k] > xs[k]) {
        throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape) + " is larger than the input "
            + Shapes.str(x.shape) + " in dimension " + k + " (" + is[k] + " > " + xs[k] + ")");
      }
    }
    int[] idx = indices("gather", index, d, xs[d]);
    long t0 = OpTrace.start();
    float[] out = new float[idx.length];
    Indexing.gather(x.array(), x.offset, xs, d, idx, is, out);
    OpTrace.stop("gather", t0, 0, 12.0 * out.length);
    Tensor y = Tensor.wrap(out, index.shape.clone());
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node("gather", y.shape, x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[x.size];
        Indexing.scatterAdd(g, is, d, idx, xs, gx);
        grads.add(0, gx);
      }
    });
  }

  // ---------------------------------------------------------------- tril, triu

  // d tril(x) = tril(g): the kept elements pass their gradient, the zeroed ones get none
  static Tensor triangle(Tensor x, int diagonal, boolean upper) {
    String op = upper ? "triu" : "tril";
    int r = x.shape.length;
    if (r < 2) {
      throw new IllegalArgumentException(op + ": needs a tensor of at least 2 dimensions, got shape " + Shapes.str(x.shape));
    }
    int rows = x.shape[r - 2];
    int cols = x.shape[r - 1];
    int batch = Shapes.prod(x.shape, 0, r - 2);
    long t0 = OpTrace.start();
    float[] out = new float[x.size];
    Indexing.triangle(x.array(), x.offset, batch, rows, cols, diagonal, upper, out, 0);
    OpTrace.stop(op, t0, 0, 8.0 * x.size);
    Tensor y = Tensor.wrap(out, x.shape.clone());
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node(op, x.shape, x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[g.length];
        Indexing.triangle(g, 0, batch, rows, cols, diagonal, upper, gx, 0);
        grads.add(0, gx);
      }
    });
  }

  // ---------------------------------------------------------------- topk

  /** Values and indices of the k largest (or smallest) entries along dim, sorted; values carry the gradient. */
  static Tensor.ValuesIndices topk(Tensor x, int k, int dim, boolean largest) {
    int r = x.shape.length;
    int d = Shapes.dim("topk", dim, r);
    int n = r == 0 ? 1 : x.shape[d];
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("topk: k = " + k + " is out of range for dimension " + d + " of size " + n
          + " (shape " + Shapes.str(x.shape) + ")");
    }
    int[] perm = Shapes.toLast(r, d);
    int[] rowShape = Shapes.permuted(x.shape, perm);
    float[] rowsIn;
    int io;
    if (perm == null) {
      rowsIn = x.array();
      io = x.offset;
    } else {
      rowsIn = new float[x.size];
      io = 0;
      Layout.permute(x.array(), x.offset, x.shape, perm, rowsIn, 0);
    }
    int rows = n == 0 ? 0 : x.size / n;
    float[] values = new float[rows * k];
    int[] index = new int[rows * k];
    TopK.topkRows(rowsIn, io, rows, n, k, largest, values, index);
    float[] indexF = new float[index.length];
    Layout.toFloat(index, indexF);
    int[] outRowShape = rowShape.clone();
    if (r > 0) {
      outRowShape[r - 1] = k;
    }
    int[] outShape = x.shape.clone();
    if (r > 0) {
      outShape[d] = k;
    }
    float[] v = perm == null ? values : Activation.back(values, outRowShape, perm);
    float[] iv = perm == null ? indexF : Activation.back(indexF, outRowShape, perm);
    Tensor indices = Tensor.wrap(iv, outShape);
    Tensor y = Tensor.wrap(v, outShape.clone());
    if (Autograd.recording(x)) {
      int[] idx = new int[iv.length];
      for (int j = 0; j < idx.length; j++) {
        idx[j] = (int) iv[j];
      }
      int[] xs = r == 0 ? new int[] {1} : x.shape;
      int[] is = r == 0 ? new int[] {1} : outShape;
      y.madeBy(new Node("topk", outShape, x) {
        void backward(float[] g, Grads grads) {
          float[] gx = new float[x.size];
          Indexing.scatterAdd(g, is, d, idx, xs, gx);
          grads.add(0, gx);
        }
      });
    }
    return new Tensor.ValuesIndices(y, indices);
  }
}
