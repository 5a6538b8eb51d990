package dev.downhill.kernels;

/**
 * The plain twin of {@link OptimizerKernels}: the same signatures, the same arithmetic in the same
 * order (with {@link Math#fma} where the SIMD loop fuses), so the results are bitwise equal. It is
 * the test oracle and the benchmark baseline. Single-threaded.
 *
 * <p>Every method reads and overwrites {@code n} elements of the parameter and of each state range
 * from its offset, and only reads the gradient. See {@link OptimizerKernels} for the formulas.
 */
public final class ScalarOptimizerKernels {
  private ScalarOptimizerKernels() {}

  /** See {@link OptimizerKernels#sgd}. */
  public static void sgd(float[] p, int po, float[] g, int go, float[] buf, int bo, int n,
      float gradSign, float weightDecay, float momentum, float keep, boolean nesterov, boolean firstStep, float lr) {
    for (int i = 0; i < n; i++) {
      float x = p[po + i];
      float d = g[go + i] * gradSign;
      if (weightDecay != 0f) d = Math.fma(x, weightDecay, d);
      if (momentum != 0f) {
        float b = firstStep ? d : Math.fma(d, keep, buf[bo + i] * momentum);
        buf[bo + i] = b;
        d = nesterov ? Math.fma(b, momentum, d) : b;
      }
      p[po + i] = Math.fma(d, -lr, x);
    }
  }

  /** See {@link OptimizerKernels#adam}. */
  public static void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
      float[] vmax, int xo, int n, float gradSign, float decay, float l2, float beta1, float c1, float beta2, float c2,
      float stepSize, float bc2Sqrt, float eps) {
    for (int i = 0; i < n; i++) {
      float x = p[po + i] * decay;
      float d = g[go + i] * gradSign;
      if (l2 != 0f) d = Math.fma(x, l2, d);
      float mi = Math.fma(d, c1, m[mo + i] * beta1);
      float vi = Math.fma(d * c2, d, v[vo + i] * beta2);
      m[mo + i] = mi;
      v[vo + i] = vi;
      if (vmax != null) {
        vi = Math.max(vmax[xo + i], vi);
        vmax[xo + i] = vi;
      }
      float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
      p[po + i] = x - stepSize * mi / denom;
    }
  }

  /** See {@link OptimizerKernels#rmsprop}. */
  public static void rmsprop(float[] p, int po, float[] g, int go, float[] sq, int so, float[] gavg, int ao,
      float[] buf, int bo, int n, float gradSign, float weightDecay, float alpha, float c, float eps, float momentum, float lr) {
    for (int i = 0; i < n; i++) {
      float x = p[po + i];
      float d = g[go + i] * gradSign;
      if (weightDecay != 0f) d = Math.fma(x, weightDecay, d);
      float s = Math.fma(d * c, d, sq[so + i] * alpha);
      sq[so + i] = s;
      if (gavg != null) {
        float a = Math.fma(d, c, gavg[ao + i] * alpha);
        gavg[ao + i] = a;
        s = Math.fma(-a, a, s);
      }
      float avg = (float) Math.sqrt(s) + eps;
      if (buf != null) {
        float b = buf[bo + i] * momentum + d / avg;
        buf[bo + i] = b;
        p[po + i] = Math.fma(b, -lr, x);
      } else {
        p[po + i] = x - lr * d / avg;
      }
    }
  }

  /** See {@link OptimizerKernels#adagrad}. */
  public static void adagrad(float[] p, int po, float[] g, int go, float[] sum, int so, int n,
      float gradSign, float weightDecay, float eps, float clr) {
    for (int i = 0; i < n; i++) {
      float x = p[po + i];
      float d = g[go + i] * gradSign;
      if (weightDecay != 0f) d = Math.fma(x, weightDecay, d);
      float s = Math.fma(d, d, sum[so + i]);
      sum[so + i] = s;
      p[po + i] = x - clr * d / ((float) Math.sqrt(s) + eps);
    }
  }
}
