package dev.downhill.autograd;

import dev.downhill.kernels.Elementwise;

/** One-input elementwise functions: each forward, and beside it its derivative. */
final class Pointwise {
  private Pointwise() {}

  /** A one-input kernel: reads {@code n} values of {@code a} from {@code ao}, writes {@code out} from {@code oo}. */
  interface Kernel {
    void run(float[] a, int ao, float[] out, int oo, int n);
  }

  /** k(x) into a fresh tensor of x's shape; no graph. */
  static Tensor apply(Kernel k, Tensor x) {
    float[] out = new float[x.size];
    k.run(x.array(), x.offset, out, 0, x.size);
    return Tensor.wrap(out, x.shape.clone());
  }

  // d exp(x) = g · exp(x): the output is saved, not recomputed
  static Tensor exp(Tensor x) {
    Tensor y = apply(Elementwise::exp, x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("exp", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sy = saved(0);
        float[] gx = new float[g.length];
        Elementwise.mul(g, 0, sy.array(), sy.offset, gx, 0, g.length);
        grads.addOwned(0, gx);
      }
    };
    node.save(y);
    return y.madeBy(node);
  }

  // d log(x) = g / x
  static Tensor log(Tensor x) {
    Tensor y = apply(Elementwise::log, x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("log", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] gx = new float[g.length];
        Elementwise.div(g, 0, sx.array(), sx.offset, gx, 0, g.length);
        grads.addOwned(0, gx);
      }
    };
    node.save(x);
    return y.madeBy(node);
  }

  // d sqrt(x) = g / (2·sqrt(x))
  static Tensor sqrt(Tensor x) {
    Tensor y = apply(Elementwise::sqrt, x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("sqrt", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sy = saved(0);
        float[] gx = new float[g.length];
        Elementwise.div(g, 0, sy.array(), sy.offset, gx, 0, g.length);
        Elementwise.mulScalar(gx, 0, 0.5f, gx, 0, g.length);
        grads.addOwned(0, gx);
      }
    };
    node.save(y);
    return y.madeBy(node);
  }

  // d |x| = g · sign(x), with sign(0) = 0
  static Tensor abs(Tensor x) {
    Tensor y = apply(Elementwise::abs, x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("abs", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] gx = new float[g.length];
        Elementwise.sign(sx.array(), sx.offset, gx, 0, g.length);
        Elementwise.mul(gx, 0, g, 0, gx, 0, g.length);
        grads.addOwned(0, gx);
      }
    };
    node.save(x);
    return y.madeBy(node);
  }

  // d x^p = g · p · x^(p−1); zero for p = 0, as PyTorch
  static Tensor pow(Tensor x, float p) {
    Tensor y = apply((a, ao, out, oo, n) -> Elementwise.pow(a, ao, p, out, oo, n), x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("pow", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] gx = new float[g.length];
        if (p != 0f) {
          Elementwise.pow(sx.array(), sx.offset, p - 1f, gx, 0, g.length);
          Elementwise.mulScalar(gx, 0, p, gx, 0, g.length);
          Elementwise.mul(gx, 0, g, 0, gx, 0, g.length);
        }
        grads.addOwned(0, gx);
      }
    };
    node.save(x);
    return y.madeBy(node);
  }

  // d clamp(x, lo, hi) = g where lo ≤ x ≤ hi, else 0 (PyTorch's boundary rule)
  static Tensor clamp(Tensor x, float lo, float hi) {
    // min > max is allowed and gives max everywhere, as torch.clamp documents.
    if (Float.isNaN(lo) || Float.isNaN(hi)) {
      throw new IllegalArgumentException("clamp: bounds must not be NaN, got min=" + lo + " max=" + hi);
    }
    Tensor y = apply((a, ao, out, oo, n) -> Elementwise.clamp(a, ao, lo, hi, out, oo, n), x);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node("clamp", x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] gx = new float[g.length];
        Elementwise.clampMask(sx.array(), sx.offset, lo, hi, g, 0, gx, 0, g.length);
        grads.addOwned(0, gx);
      }
    };
    node.save(x);
    return y.madeBy(node);
  }
}
