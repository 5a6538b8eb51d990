package dev.downhill.autograd;

import dev.downhill.kernels.Activations;
import dev.downhill.kernels.Layout;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.Softmax;

/**
 * Activation functions (issue 4): each forward and, beside it, its backward. Element-wise passes over
 * large tensors split their output into ranges on the shared {@link Parallel} pool; softmax splits
 * whole rows. No reduction is ever split, so results do not depend on the thread count.
 */
final class Activation {
  private Activation() {}

  /** Elements per parallel range: large enough that a task's start-up is noise against its work. */
  static final int GRAIN = 1 << 15;

  /** A one-input kernel, as {@link Pointwise.Kernel}. */
  interface Forward {
    void run(float[] a, int ao, float[] out, int oo, int n);
  }

  /** A backward kernel: reads the saved tensor s and the gradient g, writes the input gradient. */
  interface Backward {
    void run(float[] s, int so, float[] g, int go, float[] out, int oo, int n);
  }

  /** Runs {@code f} over x into a fresh tensor, output ranges split over the pool. */
  private static Tensor forward(Forward f, Tensor x) {
    float[] out = new float[x.size];
    float[] a = x.array();
    int ao = x.offset;
    Parallel.forRange(x.size, GRAIN, (from, to) -> f.run(a, ao + from, out, from, to - from));
    return Tensor.wrap(out, x.shape.clone());
  }

  /**
   * The common shape of every op here: forward kernel, then a node whose backward runs {@code b} on
   * the saved input (when {@code saveOutput} is false) or the saved output.
   */
  private static Tensor op(String name, Tensor x, Forward f, Backward b, boolean saveOutput) {
    Tensor y = forward(f, x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node(name, x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor s = saved(0);
        float[] gx = new float[g.length];
        float[] sa = s.array();
        int so = s.offset;
        Parallel.forRange(g.length, GRAIN, (from, to) -> b.run(sa, so + from, g, from, gx, from, to - from));
        grads.addOwned(0, gx);
      }
    };
    node.save(saveOutput ? y : x);
    return y.madeBy(node);
  }

  // d relu = g where x > 0, else 0
  static Tensor relu(Tensor x) {
    return op("relu", x, Activations::relu, Activations::reluBackward, false);
  }

  // d leakyRelu = g where x > 0, else slope·g
  static Tensor leakyRelu(Tensor x, float slope) {
    return op("leakyRelu", x,
        (a, ao, out, oo, n) -> Activations.leakyRelu(a, ao, slope, out, oo, n),
        (s, so, g, go, out, oo, n) -> Activations.leakyReluBackward(s, so, slope, g, go, out, oo, n), false);
  }

  // d sigmoid = g·y·(1 − y), from the saved output
  static Tensor sigmoid(Tensor x) {
    return op("sigmoid", x, Activations::sigmoid, Activations::sigmoidBackward, true);
  }

  // d tanh = g·(1 − y²), from the saved output
  static Tensor tanh(Tensor x) {
    return op("tanh", x, Activations::tanh, Activations::tanhBackward, true);
  }

  // d silu = g·s·(1 + x·(1 − s)), s = sigmoid(x)
  static Tensor silu(Tensor x) {
    return op("silu", x, Activations::silu, Activations::siluBackward, false);
  }

  // d gelu = g·(Φ(x) + x·φ(x)); the tanh form's derivative is in Activations.geluTanhBackward
  static Tensor gelu(Tensor x, GeluApproximate approximate) {
    return approximate == GeluApproximate.TANH
        ? op("gelu", x, Activations::geluTanh, Activations::geluTanhBackward, false)
        : op("gelu", x, Activations::gelu, Activations::geluBackward, false);
  }

  // d softplus = g·sigmoid(βx), or g where βx > threshold
  static Tensor softplus(Tensor x, float beta, float threshold) {
    if (!(beta > 0f) || Float.isInfinite(beta) || Float.isNaN(threshold)) {
      throw new IllegalArgumentException("softplus: beta must be positive and finite and threshold not NaN, got beta="
          + beta + " threshold=" + threshold);
    }
    return op("softplus", x,
        (a, ao, out, oo, n) -> Activations.softplus(a, ao, beta, threshold, out, oo, n),
        (s, so, g, go, out, oo, n) -> Activations.softplusBackward(s, so, beta, threshold, g, go, out, oo, n), false);
  }

  // ------------------------------------------------------------------ softmax over one dimension

  // d softmax = y·(g − Σ g·y) per row; d logSoftmax = g − e^y·Σ g per row
  static Tensor softmax(Tensor x, int dim, boolean log) {
    String name = log ? "logSoftmax" : "softmax";
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
    int grain = Math.max(1, GRAIN / Math.max(1, n));
    Parallel.forRange(rows, grain, (from, to) -> {
      if (log) {
        Softmax.logSoftmaxRows(in, io + from * n, to - from, n, rowsOut, from * n);
      } else {
        Softmax.softmaxRows(in, io + from * n, to - from, n, rowsOut, from * n);
      }
    });
    Tensor y = Tensor.wrap(perm == null ? rowsOut : back(rowsOut, rowShape, perm), x.shape.clone());
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
        grads.addOwned(0, perm == null ? out : back(out, rowShape, perm));
      }
    };
    node.save(perm == null ? y : yRows); // y itself when it is the row layout, so in-place changes to it are caught
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
