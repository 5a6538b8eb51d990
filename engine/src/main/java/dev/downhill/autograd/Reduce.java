package dev.downhill.autograd;

import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Layout;
import dev.downhill.kernels.Reductions;

/**
 * Reductions over all elements or one dimension, with their backward. A reduction over dimension
 * d sees the tensor as [outer, n, inner]: with inner = 1 each output is one contiguous row
 * (a {@link Reductions} call); otherwise rows of length inner are combined elementwise.
 */
final class Reduce {
  private Reduce() {}

  /** outer, n, inner of a reduction over {@code dim}. */
  private static int[] split(int[] shape, int dim) {
    return new int[] {Shapes.prod(shape, 0, dim), shape[dim], Shapes.prod(shape, dim + 1, shape.length)};
  }

  // d sum(x) = g broadcast to every element
  static Tensor sum(Tensor x) {
    long t0 = OpTrace.start();
    Tensor y = Tensor.scalar(Reductions.sum(x.array(), x.offset, x.size));
    OpTrace.stop("sum", t0, x.size, 4.0 * x.size);
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node("sum", new int[0], x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[x.size];
        Elementwise.fill(gx, 0, gx.length, g[0]);
        grads.add(0, gx);
      }
    });
  }

  static Tensor sum(Tensor x, int dim, boolean keepDim) {
    if (x.shape.length == 0) {
      Shapes.dim("sum", dim, 0);
      return sum(x);
    }
    int d = Shapes.dim("sum", dim, x.shape.length);
    int[] s = split(x.shape, d);
    int outer = s[0], n = s[1], inner = s[2];
    int[] outShape = Shapes.reduced(x.shape, d, keepDim);
    long t0 = OpTrace.start();
    float[] out = new float[outer * inner];
    float[] a = x.array();
    for (int o = 0; o < outer; o++) {
      int base = x.offset + o * n * inner;
      if (inner == 1) {
        out[o] = Reductions.sum(a, base, n);
      } else {
        Reductions.sumRows(a, base, n, inner, out, o * inner); // the n rows of inner values, added in order from 0
      }
    }
    OpTrace.stop("sum", t0, x.size, 4.0 * (x.size + out.length));
    Tensor y = Tensor.wrap(out, outShape);
    if (!Autograd.recording(x)) {
      return y;
    }
    int[] kept = Shapes.reduced(x.shape, d, true);
    return y.madeBy(new Node("sum", outShape, x) {
      void backward(float[] g, Grads grads) {
        grads.add(0, Broadcast.expand(g, 0, kept, x.shape));
      }
    });
  }

  // max(): the gradient is split evenly among the elements equal to the maximum
  static Tensor extreme(Tensor x, boolean max) {
    String op = max ? "max" : "min";
    if (x.size == 0) {
      throw new IllegalArgumentException(op + ": the tensor of shape " + Shapes.str(x.shape)
          + " is empty; specify a dimension or use a non-empty tensor");
    }
    float v = max ? Reductions.max(x.array(), x.offset, x.size) : Reductions.min(x.array(), x.offset, x.size);
    Tensor y = Tensor.scalar(v);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node(op, new int[0], x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        // hits = 1 where x equals the extreme (lo = hi = v), then each gets g / (number of ties)
        float[] ones = new float[x.size];
        Elementwise.fill(ones, 0, x.size, 1f);
        float[] hits = new float[x.size];
        Elementwise.clampMask(sx.array(), sx.offset, v, v, ones, 0, hits, 0, x.size);
        float ties = Reductions.sum(hits, 0, x.size);
        Elementwise.mulScalar(hits, 0, g[0] / ties, hits, 0, x.size);
        grads.add(0, hits);
      }
    };
    node.save(x);
    return y.madeBy(node);
  }

  // max(dim): the gradient goes to the index argmax picked
  static Tensor.ValuesIndices extreme(Tensor x, int dim, boolean keepDim, boolean max) {
    String op = max ? "max" : "min";
    if (x.shape.length == 0) {
      Shapes.dim(op, dim, 0);
      return new Tensor.ValuesIndices(extreme(x, max), Tensor.scalar(0f));
    }
    int d = Shapes.dim(op, dim, x.shape.length);
    Arg arg = arg(op, x, d, max);
    int[] outShape = Shapes.reduced(x.shape, d, keepDim);
    float[] idx = new float[arg.index.length];
    Layout.toFloat(arg.index, idx);
    Tensor indices = Tensor.wrap(idx, outShape.clone());
    Tensor y = Tensor.wrap(arg.values, outShape);
    if (Autograd.recording(x)) {
      y.madeBy(new Node(op, outShape, x) {
        void backward(float[] g, Grads grads) {
          float[] gx = new float[x.size];
          Layout.scatterAlong(g, arg.index, arg.outer, arg.n, arg.inner, gx);
          grads.add(0, gx);
        }
      });
    }
    return new Tensor.ValuesIndices(y, indices);
  }

  static Tensor argExtreme(Tensor x, boolean max) {
    String op = max ? "argmax" : "argmin";
    if (x.size == 0) {
      throw new IllegalArgumentException(op + ": the tensor of shape " + Shapes.str(x.shape) + " is empty");
    }
    int i = max ? Reductions.argmax(x.array(), x.offset, x.size) : Reductions.argmin(x.array(), x.offset, x.size);
    return Tensor.scalar(i);
  }

  static Tensor argExtreme(Tensor x, int dim, boolean keepDim, boolean max) {
    String op = max ? "argmax" : "argmin";
    if (x.shape.length == 0) {
      Shapes.dim(op, dim, 0);
      return argExtreme(x, max);
    }
    int d = Shapes.dim(op, dim, x.shape.length);
    Arg arg = arg(op, x, d, max);
    float[] idx = new float[arg.index.length];
    Layout.toFloat(arg.index, idx);
    return Tensor.wrap(idx, Shapes.reduced(x.shape, d, keepDim));
  }

  /** Values and indices of the extremes over one dimension. */
  private record Arg(float[] values, int[] index, int outer, int n, int inner) {}

  private static Arg arg(String op, Tensor x, int d, boolean max) {
    int[] s = split(x.shape, d);
    int outer = s[0], n = s[1], inner = s[2];
    if (n == 0) {
      throw new IllegalArgumentException(op + ": cannot reduce over dimension " + d + " of size 0 (shape "
          + Shapes.str(x.shape) + ")");
    }
    float[] values = new float[outer * inner];
    int[] index = new int[outer * inner];
    float[] a = x.array();
    for (int o = 0; o < outer; o++) {
      int base = x.offset + o * n * inner;
      if (inner == 1) {
        int i = max ? Reductions.argmax(a, base, n) : Reductions.argmin(a, base, n);
        index[o] = i;
        values[o] = a[base + i];
      } else {
        System.arraycopy(a, base, values, o * inner, inner);
        for (int k = 1; k < n; k++) {
          if (max) {
            Reductions.argmaxUpdate(a, base + k * inner, values, o * inner, index, o * inner, k, inner);
          } else {
            Reductions.argminUpdate(a, base + k * inner, values, o * inner, index, o * inner, k, inner);
          }
        }
      }
    }
    return new Arg(values, index, outer, n, inner);
  }

  // d ||x|| = g · x / ||x||, and 0 where the norm is 0 (PyTorch's subgradient)
  static Tensor norm2(Tensor x, int dim, boolean keepDim, boolean all) {
    float[] out;
    int[] outShape;
    int[] kept;
    if (all || x.shape.length == 0) {
      if (!all) {
        Shapes.dim("norm", dim, 0);
      }
      out = new float[] {(float) Math.sqrt(Reductions.sumSquares(x.array(), x.offset, x.size))};
      outShape = new int[0];
      kept = new int[0];
    } else {
      int d = Shapes.dim("norm", dim, x.shape.length);
      Tensor sq = Tensor.wrap(new float[x.size], x.shape.clone());
      Elementwise.square(x.array(), x.offset, sq.array(), 0, x.size);
      out = sum(sq, d, keepDim).array();
      Elementwise.sqrt(out, 0, out, 0, out.length);
      outShape = Shapes.reduced(x.shape, d, keepDim);
      kept = Shapes.reduced(x.shape, d, true);
    }
    Tensor y = Tensor.wrap(out, outShape);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("norm", outShape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        Tensor sy = saved(1);
        // scale = g / norm where the norm is positive, 0 where it is 0
        float[] scale = new float[g.length];
        Elementwise.div(g, 0, sy.array(), sy.offset, scale, 0, g.length);
        float[] safe = new float[g.length];
        Elementwise.clampMask(sy.array(), sy.offset, Float.MIN_VALUE, Float.POSITIVE_INFINITY, scale, 0, safe, 0, g.length);
        float[] gx = new float[x.size];
        Broadcast.apply(Broadcast.MUL, sx.array(), sx.offset, x.shape, safe, 0, kept, gx, x.shape);
        grads.add(0, gx);
      }
    };
    node.save(x, y);
    return y.madeBy(node);
  }
}
