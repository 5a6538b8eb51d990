package dev.downhill.autograd;

import dev.downhill.kernels.Elementwise;

/**
 * Broadcasting arithmetic: each op's forward and, right beside it, its backward. A broadcast
 * operand's gradient is summed back to its own shape ({@link Broadcast#reduceTo}).
 */
final class Arithmetic {
  private Arithmetic() {}

  private static Tensor binary(String op, Broadcast.Binary k, Tensor a, Tensor b, int[] outShape) {
    long t0 = OpTrace.start();
    int n = Shapes.size(outShape);
    float[] out = new float[n];
    Broadcast.apply(k, a.array(), a.offset, a.shape, b.array(), b.offset, b.shape, out, outShape);
    OpTrace.stop(op, t0, n, 4.0 * (a.size + b.size + n));
    return Tensor.wrap(out, outShape);
  }

  // d(a + b) = g, g
  static Tensor add(Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("add", a.shape, b.shape);
    Tensor y = binary("add", Broadcast.ADD, a, b, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    return y.madeBy(new Node("add", s, a, b) {
      void backward(float[] g, Grads grads) {
        grads.add(0, Broadcast.reduceTo(g, s, a.shape));
        grads.add(1, Broadcast.reduceTo(g, s, b.shape));
      }
    });
  }

  // d(a - b) = g, -g
  static Tensor sub(Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("sub", a.shape, b.shape);
    Tensor y = binary("sub", Broadcast.SUB, a, b, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    return y.madeBy(new Node("sub", s, a, b) {
      void backward(float[] g, Grads grads) {
        grads.add(0, Broadcast.reduceTo(g, s, a.shape));
        if (grads.needs(1)) {
          float[] gb = Broadcast.reduceTo(g, s, b.shape);
          float[] neg = new float[gb.length];
          Elementwise.neg(gb, 0, neg, 0, gb.length);
          grads.add(1, neg);
        }
      }
    });
  }

  // d(a · b) = g·b, g·a
  static Tensor mul(Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("mul", a.shape, b.shape);
    Tensor y = binary("mul", Broadcast.MUL, a, b, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    Node node = new Node("mul", s, a, b) {
      void backward(float[] g, Grads grads) {
        Tensor sa = saved(0);
        Tensor sb = saved(1);
        if (grads.needs(0)) {
          grads.add(0, productReducedTo(g, s, sb, a.shape));
        }
        if (grads.needs(1)) {
          grads.add(1, productReducedTo(g, s, sa, b.shape));
        }
      }
    };
    node.save(a, b);
    return y.madeBy(node);
  }

  /** Σ over broadcast dimensions of g · other, shaped as {@code target}. */
  private static float[] productReducedTo(float[] g, int[] gShape, Tensor other, int[] target) {
    float[] p = new float[g.length];
    Broadcast.apply(Broadcast.MUL, g, 0, gShape, other.array(), other.offset, other.shape, p, gShape);
    float[] r = Broadcast.reduceTo(p, gShape, target);
    return r;
  }

  // d(a / b) = g/b, −g·a/b² = −(g/b)·y
  static Tensor div(Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("div", a.shape, b.shape);
    Tensor y = binary("div", Broadcast.DIV, a, b, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    Node node = new Node("div", s, a, b) {
      void backward(float[] g, Grads grads) {
        Tensor sb = saved(0);
        Tensor sy = saved(1);
        float[] gOverB = new float[g.length];
        Broadcast.apply(Broadcast.DIV, g, 0, s, sb.array(), sb.offset, sb.shape, gOverB, s);
        if (grads.needs(1)) {
          float[] gb = new float[g.length];
          Elementwise.mul(gOverB, 0, sy.array(), sy.offset, gb, 0, g.length);
          Elementwise.neg(gb, 0, gb, 0, g.length);
          grads.add(1, Broadcast.reduceTo(gb, s, b.shape));
        }
        grads.add(0, Broadcast.reduceTo(gOverB, s, a.shape));
      }
    };
    node.save(b, y);
    return y.madeBy(node);
  }

  static Tensor maximum(Tensor a, Tensor b) {
    return extreme("maximum", Broadcast.MAXIMUM, a, b, true);
  }

  static Tensor minimum(Tensor a, Tensor b) {
    return extreme("minimum", Broadcast.MINIMUM, a, b, false);
  }

  // d max(a, b) = g·w, g·(1 − w) with w = 1 where a wins, ½ on ties, 0 where b wins (PyTorch's rule)
  private static Tensor extreme(String op, Broadcast.Binary k, Tensor a, Tensor b, boolean max) {
    int[] s = Shapes.broadcast(op, a.shape, b.shape);
    Tensor y = binary(op, k, a, b, s);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    Node node = new Node(op, s, a, b) {
      void backward(float[] g, Grads grads) {
        float[] ea = Broadcast.expand(saved(0).array(), saved(0).offset, a.shape, s);
        float[] eb = Broadcast.expand(saved(1).array(), saved(1).offset, b.shape, s);
        float[] w = new float[g.length];
        if (max) {
          Elementwise.maxWeight(ea, 0, eb, 0, w, 0, g.length);
        } else {
          Elementwise.maxWeight(eb, 0, ea, 0, w, 0, g.length);
        }
        float[] ga = new float[g.length];
        Elementwise.mul(g, 0, w, 0, ga, 0, g.length);
        if (grads.needs(1)) {
          float[] gb = new float[g.length];
          Elementwise.sub(g, 0, ga, 0, gb, 0, g.length);
          grads.add(1, Broadcast.reduceTo(gb, s, b.shape));
        }
        grads.add(0, Broadcast.reduceTo(ga, s, a.shape));
      }
    };
    node.save(a, b);
    return y.madeBy(node);
  }
}
