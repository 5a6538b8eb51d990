package dev.downhill.examples.kit;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;

/**
 * The homework's data sets, drawn from a seeded {@link Generator} so every run sees the same
 * numbers: the 2-D spiral of CS231n's notes and scikit-learn's two moons (classification, x [N, 2]
 * and class indices y [N]) and a noisy 1-D regression (x [N, 1], y [N, 1]).
 */
public final class ToyData {
  private ToyData() {}

  /** Features and targets. */
  public record Data(Tensor x, Tensor y) {
    public int size() {
      return x.size(0);
    }
  }

  /**
   * {@code classes} arms of {@code perClass} points each: point i of arm k sits at radius r = i/(n−1)
   * and angle 4k + 4r + 0.2·noise (radians), so each arm winds about 2/3 of a turn.
   */
  public static Data spiral(Generator gen, int perClass, int classes, double noise) {
    int n = perClass * classes;
    float[] x = new float[2 * n];
    float[] y = new float[n];
    for (int k = 0, i = 0; k < classes; k++) {
      for (int j = 0; j < perClass; j++, i++) {
        double r = perClass == 1 ? 1 : (double) j / (perClass - 1);
        double t = 4.0 * k + 4.0 * r + noise * gen.nextGaussian();
        x[2 * i] = (float) (r * Math.sin(t));
        x[2 * i + 1] = (float) (r * Math.cos(t));
        y[i] = k;
      }
    }
    return new Data(Tensor.of(x, n, 2), Tensor.of(y, n));
  }

  /**
   * scikit-learn's {@code make_moons}: n points in two interleaved half circles (class 0 the upper
   * one around (0, 0), class 1 the lower around (1, 0.5)), each point moved by N(0, noise²), then
   * shuffled.
   */
  public static Data moons(Generator gen, int n, double noise) {
    float[] x = new float[2 * n];
    float[] y = new float[n];
    int outer = n / 2;
    for (int i = 0; i < n; i++) {
      boolean upper = i < outer;
      int m = upper ? outer : n - outer;
      double t = Math.PI * (upper ? i : i - outer) / Math.max(m - 1, 1);
      double px = upper ? Math.cos(t) : 1 - Math.cos(t);
      double py = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      x[2 * i] = (float) (px + noise * gen.nextGaussian());
      x[2 * i + 1] = (float) (py + noise * gen.nextGaussian());
      y[i] = upper ? 0 : 1;
    }
    Tensor perm = Tensor.randperm(gen, n);
    return new Data(Tensor.of(x, n, 2).indexSelect(0, perm), Tensor.of(y, n).indexSelect(0, perm));
  }

  /** y = sin(2x) + 0.3x + N(0, noise²) at n points x drawn uniformly from [−2, 2]. */
  public static Data wave(Generator gen, int n, double noise) {
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double v = -2 + 4 * gen.nextDouble();
      x[i] = (float) v;
      y[i] = (float) (Math.sin(2 * v) + 0.3 * v + noise * gen.nextGaussian());
    }
    return new Data(Tensor.of(x, n, 1), Tensor.of(y, n, 1));
  }
}
