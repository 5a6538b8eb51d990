package dev.downhill.examples.kit;

import dev.downhill.autograd.Tensor;
import java.util.List;

/** A tensor's values as the double arrays the charts take (float32 widened exactly). */
public final class Vals {
  private Vals() {}

  public static double[] of(Tensor t) {
    float[] f = t.toArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  public static double[] of(List<? extends Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).toArray();
  }

  /** A 2-D tensor's rows. */
  public static double[][] rows(Tensor t) {
    double[] flat = of(t);
    int n = t.size(0);
    int m = t.size(1);
    double[][] r = new double[n][m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * m, r[i], 0, m);
    }
    return r;
  }
}
