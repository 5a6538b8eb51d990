package dev.downhill.autograd;

import dev.downhill.kernels.Layout;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.Softmax;

/**
 * Softmax and log-softmax over one dimension, forward and backward side by side. Rows are split
 * over the shared {@link Parallel} pool, never a row itself, so results do not depend on the thread
 * count. (The element-wise activations are in {@link Unary}.)
 */
final class Activation {
  private Activation() {}

  // ------------------------------------------------------------------ softmax over one dimension

  // d softmax = y·(g − Σ g·y) per row; d logSoftmax = g − e^y·Σ g per row
  static Tensor softmax(Tensor x, int dim, boolean log) {
    String name = log ? "logSoftmax" : "softmax";
    long t0 = OpTrace.start();
    int r = x.shape.length;
    int d = Shapes.dim(name, dim, r);
    int n = r == 0 ? 1 : x.shape[d];
    // Rows must be contiguous for the kernel: move dim last (a copy) unless it already is.
    int[] perm = Shapes.toLast(r, d);
    int[] rowShape = Shapes.permuted(x.shape, perm);
    float[] in;
    int io;
    if (perm == null) {
      in = x.array();
      io = x.offset;
    } else {
      in = new float[x.size];
      io = 0;
      Layout.permute(x.array(), x.offset, x.shape, perm, in, 0);
    }
    int rows = n == 0 ? 0 : x.size / n;
    float[] rowsOut = new float[x.size];
    int grain = Math.max(1, Unary.GRAIN / Math.max(1, n));
    Parallel.forRange(rows, grain, (from, to) -> {
      if (log) {
        Softmax.logSoftmaxRows(in, io + from * n, to - from, n, rowsOut, from * n);
      } else {
        Softmax.softmaxRows(in, io + from * n, to - from, n, rowsOut, from * n);
      }
    });
    Tensor y = Tensor.wrap(perm == null ? rowsOut : back(rowsOut, rowShape, perm), x.shape.clone());
    OpTrace.stop(name, t0, 0, 8.0 * x.size);
    if (!Autograd.recording(x)) {
      return y;
    }
    Tensor yRows = Tensor.wrap(rowsOut, rowShape); // the saved output, in row layout
    Node node = new Node(name, x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sy = saved(0);
        float[] gRows = g;
        if (perm != null) {
          gRows = new float[g.length];
          Layout.permute(g, 0, x.shape, perm, gRows, 0);
        }
        float[] gIn = gRows;
        float[] out = new float[g.length];
        Parallel.forRange(rows, grain, (from, to) -> {
          if (log) {
            Softmax.logSoftmaxBackwardRows(sy.array(), sy.offset + from * n, gIn, from * n, to - from, n, out, from * n);
          } else {
            Softmax.softmaxBackwardRows(sy.array(), sy.offset + from * n, gIn, from * n, to - from, n, out, from * n);
          }
        });
        grads.add(0, perm == null ? out : back(out, rowShape, perm));
      }
    };
    node.save(perm == null ? y : yRows);
    node.cost(0, 12.0 * x.size); // y itself when it is the row layout, so in-place changes to it are caught
    return y.madeBy(node);
  }

  /** Undoes {@code perm}: data laid out as {@code permShape} goes back to the original order. */
  static float[] back(float[] data, int[] permShape, int[] perm) {
    int[] inverse = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inverse[perm[i]] = i;
    }
    float[] out = new float[data.length];
    Layout.permute(data, 0, permShape, inverse, out, 0);
    return out;
  }
}
