package dev.downhill.autograd;

import dev.downhill.kernels.Activations;
import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Parallel;

/**
 * Every one-input element-wise op, written one way: a forward kernel, a backward kernel and a name
 * ({@link #op}). The helper runs the forward into a fresh tensor, records the node when grad is
 * recorded, saves what the backward reads (the input, the output or nothing), and splits both
 * passes over the shared {@link Parallel} pool in output ranges, so every element-wise op gets the
 * same threading and the same bits on any thread count.
 */
final class Unary {
  private Unary() {}

  /** Elements per parallel range: large enough that a task's start-up is noise against its work. */
  static final int GRAIN = 1 << 15;

  /** A forward kernel: reads {@code a[ao, ao+n)}, overwrites {@code out[oo, oo+n)}. */
  interface Forward {
    void run(float[] a, int ao, float[] out, int oo, int n);
  }

  /**
   * A backward kernel: reads the saved tensor {@code s[so, so+n)} (null when the op saves nothing)
   * and the upstream gradient {@code g[go, go+n)}; overwrites the input gradient {@code out[oo, oo+n)}.
   */
  interface Backward {
    void run(float[] s, int so, float[] g, int go, float[] out, int oo, int n);
  }

  /** What the backward reads besides the upstream gradient. */
  enum Saves { INPUT, OUTPUT, NOTHING }

  /** Runs {@code f} over x into a fresh tensor of x's shape, output ranges split over the pool; no graph. */
  static Tensor apply(Forward f, Tensor x) {
    float[] out = new float[x.size];
    float[] a = x.array();
    int ao = x.offset;
    Parallel.forRange(x.size, GRAIN, (from, to) -> f.run(a, ao + from, out, from, to - from));
    return Tensor.wrap(out, x.shape.clone());
  }

  /** The op {@code name}: forward {@code f}, and a node whose backward runs {@code b} on what {@code saves} names. */
  static Tensor op(String name, Tensor x, Forward f, Backward b, Saves saves) {
    return op(name, x, f, b, saves, false);
  }

  /**
   * {@link #op} whose backward, with {@code gradInPlace}, writes the input's gradient over the
   * upstream gradient {@code g} (which the node owns: see {@link Node}) instead of a new array. Only
   * for a backward kernel that reads element i of g before it writes element i of its output, and
   * nothing else of g: ReLU's. At 256×1024 a new array cost about 0.1 ms per call (fresh memory is
   * never in cache and the JVM zeroes it first).
   */
  static Tensor op(String name, Tensor x, Forward f, Backward b, Saves saves, boolean gradInPlace) {
    long t0 = OpTrace.start();
    Tensor y = apply(f, x);
    OpTrace.stop(name, t0, x.size, 8.0 * x.size);
    if (!Autograd.recording(x)) {
      return y;
    }
    Node node = new Node(name, x.shape, x) {
      void backward(float[] g, Grads grads) {
        Tensor s = saves == Saves.NOTHING ? null : saved(0);
        float[] sa = s == null ? null : s.array();
        int so = s == null ? 0 : s.offset;
        float[] gx = gradInPlace ? g : new float[g.length];
        Parallel.forRange(g.length, GRAIN, (from, to) -> b.run(sa, so + from, g, from, gx, from, to - from));
        grads.add(0, gx);
      }
    };
    if (saves != Saves.NOTHING) {
      node.save(saves == Saves.OUTPUT ? y : x);
    }
    node.cost(x.size, (saves == Saves.NOTHING ? 8.0 : 12.0) * x.size);
    return y.madeBy(node);
  }

  // ---------------------------------------------------------------- arithmetic with a scalar

  // d(x + c) = g
  static Tensor addScalar(Tensor x, float c) {
    return op("add", x, (a, ao, out, oo, n) -> Elementwise.addScalar(a, ao, c, out, oo, n),
        (s, so, g, go, out, oo, n) -> System.arraycopy(g, go, out, oo, n), Saves.NOTHING);
  }

  // d(c − x) = −g
  static Tensor rsubScalar(Tensor x, float c) {
    return op("rsub", x, (a, ao, out, oo, n) -> Elementwise.rsubScalar(c, a, ao, out, oo, n),
        (s, so, g, go, out, oo, n) -> Elementwise.neg(g, go, out, oo, n), Saves.NOTHING);
  }

  // d(x · c) = g · c
  static Tensor mulScalar(Tensor x, float c) {
    return op("mul", x, (a, ao, out, oo, n) -> Elementwise.mulScalar(a, ao, c, out, oo, n),
        (s, so, g, go, out, oo, n) -> Elementwise.mulScalar(g, go, c, out, oo, n), Saves.NOTHING);
  }

  // d(x / c) = g / c
  static Tensor divScalar(Tensor x, float c) {
    return op("div", x, (a, ao, out, oo, n) -> Elementwise.divScalar(a, ao, c, out, oo, n),
        (s, so, g, go, out, oo, n) -> Elementwise.divScalar(g, go, c, out, oo, n), Saves.NOTHING);
  }

  // d(c / x) = −(g·c / x) / x, divided twice so x² cannot overflow
  static Tensor rdivScalar(Tensor x, float c) {
    return op("rdiv", x, (a, ao, out, oo, n) -> Elementwise.rdivScalar(c, a, ao, out, oo, n),
        (s, so, g, go, out, oo, n) -> {
          Elementwise.mulScalar(g, go, c, out, oo, n);
          Elementwise.div(out, oo, s, so, out, oo, n);
          Elementwise.div(out, oo, s, so, out, oo, n);
          Elementwise.neg(out, oo, out, oo, n);
        }, Saves.INPUT);
  }

  // d(−x) = −g
  static Tensor neg(Tensor x) {
    return op("neg", x, Elementwise::neg, (s, so, g, go, out, oo, n) -> Elementwise.neg(g, go, out, oo, n), Saves.NOTHING);
  }

  // ---------------------------------------------------------------- functions

  // d exp(x) = g · exp(x): the output is saved, not recomputed
  static Tensor exp(Tensor x) {
    return op("exp", x, Elementwise::exp, (s, so, g, go, out, oo, n) -> Elementwise.mul(g, go, s, so, out, oo, n),
        Saves.OUTPUT);
  }

  // d log(x) = g / x
  static Tensor log(Tensor x) {
    return op("log", x, Elementwise::log, (s, so, g, go, out, oo, n) -> Elementwise.div(g, go, s, so, out, oo, n),
        Saves.INPUT);
  }

  // d sqrt(x) = g / (2·sqrt(x))
  static Tensor sqrt(Tensor x) {
    return op("sqrt", x, Elementwise::sqrt, (s, so, g, go, out, oo, n) -> {
      Elementwise.div(g, go, s, so, out, oo, n);
      Elementwise.mulScalar(out, oo, 0.5f, out, oo, n);
    }, Saves.OUTPUT);
  }

  // d |x| = g · sign(x), with sign(0) = 0
  static Tensor abs(Tensor x) {
    return op("abs", x, Elementwise::abs, (s, so, g, go, out, oo, n) -> {
      Elementwise.sign(s, so, out, oo, n);
      Elementwise.mul(out, oo, g, go, out, oo, n);
    }, Saves.INPUT);
  }

  // d x^p = g · p · x^(p−1); zero for p = 0, as PyTorch
  static Tensor pow(Tensor x, float p) {
    return op("pow", x, (a, ao, out, oo, n) -> Elementwise.pow(a, ao, p, out, oo, n), (s, so, g, go, out, oo, n) -> {
      if (p == 0f) {
        Elementwise.fill(out, oo, n, 0f);
        return;
      }
      Elementwise.pow(s, so, p - 1f, out, oo, n);
      Elementwise.mulScalar(out, oo, p, out, oo, n);
      Elementwise.mul(out, oo, g, go, out, oo, n);
    }, Saves.INPUT);
  }

  // d clamp(x, lo, hi) = g where lo ≤ x ≤ hi, else 0 (PyTorch's boundary rule)
  static Tensor clamp(Tensor x, float lo, float hi) {
    // min > max is allowed and gives max everywhere, as torch.clamp documents.
    if (Float.isNaN(lo) || Float.isNaN(hi)) {
      throw new IllegalArgumentException("clamp: bounds must not be NaN, got min=" + lo + " max=" + hi);
    }
    return op("clamp", x, (a, ao, out, oo, n) -> Elementwise.clamp(a, ao, lo, hi, out, oo, n),
        (s, so, g, go, out, oo, n) -> Elementwise.clampMask(s, so, lo, hi, g, go, out, oo, n), Saves.INPUT);
  }

  // d sin(x) = g · cos(x)
  static Tensor sin(Tensor x) {
    return op("sin", x, Elementwise::sin, (s, so, g, go, out, oo, n) -> {
      Elementwise.cos(s, so, out, oo, n);
      Elementwise.mul(out, oo, g, go, out, oo, n);
    }, Saves.INPUT);
  }

  // d cos(x) = −g · sin(x)
  static Tensor cos(Tensor x) {
    return op("cos", x, Elementwise::cos, (s, so, g, go, out, oo, n) -> {
      Elementwise.sin(s, so, out, oo, n);
      Elementwise.mul(out, oo, g, go, out, oo, n);
      Elementwise.neg(out, oo, out, oo, n);
    }, Saves.INPUT);
  }

  // ---------------------------------------------------------------- activations

  // d relu = g where x > 0, else 0
  static Tensor relu(Tensor x) {
    return op("relu", x, Activations::relu, Activations::reluBackward, Saves.INPUT, true);
  }

  // d leakyRelu = g where x > 0, else slope·g
  static Tensor leakyRelu(Tensor x, float slope) {
    return op("leakyRelu", x,
        (a, ao, out, oo, n) -> Activations.leakyRelu(a, ao, slope, out, oo, n),
        (s, so, g, go, out, oo, n) -> Activations.leakyReluBackward(s, so, slope, g, go, out, oo, n), Saves.INPUT, true);
  }

  // d sigmoid = g·y·(1 − y), from the saved output
  static Tensor sigmoid(Tensor x) {
    return op("sigmoid", x, Activations::sigmoid, Activations::sigmoidBackward, Saves.OUTPUT);
  }

  // d tanh = g·(1 − y²), from the saved output
  static Tensor tanh(Tensor x) {
    return op("tanh", x, Activations::tanh, Activations::tanhBackward, Saves.OUTPUT);
  }

  // d silu = g·s·(1 + x·(1 − s)), s = sigmoid(x)
  static Tensor silu(Tensor x) {
    return op("silu", x, Activations::silu, Activations::siluBackward, Saves.INPUT);
  }

  // d gelu = g·(Φ(x) + x·φ(x)); the tanh form's derivative is in Activations.geluTanhBackward
  static Tensor gelu(Tensor x, GeluApproximate approximate) {
    return approximate == GeluApproximate.TANH
        ? op("gelu", x, Activations::geluTanh, Activations::geluTanhBackward, Saves.INPUT)
        : op("gelu", x, Activations::gelu, Activations::geluBackward, Saves.INPUT);
  }

  // d softplus = g·sigmoid(βx), or g where βx > threshold
  static Tensor softplus(Tensor x, float beta, float threshold) {
    if (!(beta > 0f) || Float.isInfinite(beta) || Float.isNaN(threshold)) {
      throw new IllegalArgumentException("softplus: beta must be positive and finite and threshold not NaN, got beta="
          + beta + " threshold=" + threshold);
    }
    return op("softplus", x,
        (a, ao, out, oo, n) -> Activations.softplus(a, ao, beta, threshold, out, oo, n),
        (s, so, g, go, out, oo, n) -> Activations.softplusBackward(s, so, beta, threshold, g, go, out, oo, n),
        Saves.INPUT);
  }
}
