package dev.downhill.kernels;

/**
 * The plain twin of {@link Sdpa}: the same signatures and layout (p's rows {@link Sdpa#rowStride}
 * apart, 0 past s), each head computed by triple loops in double (scores, a max-shifted softmax, the
 * weighted sums) and rounded to float once per output; {@code scratch} is not used.
 */
public final class ScalarSdpa {
  private ScalarSdpa() {}

  /** As {@link Sdpa#forward}. */
  public static void forward(int l, int s, int e, int ev, float scale, boolean causal,
      float[] q, int qo, int qs, float[] k, int ko, int ks, float[] v, int vo, int vs,
      float[] p, int po, float[] out, int oo, int os, float[] scratch) {
    int ps = Sdpa.rowStride(s);
    double[] row = new double[s];
    for (int i = 0; i < l; i++) {
      int jEnd = Sdpa.keys(i, s, causal);
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < jEnd; j++) {
        double dot = 0;
        for (int c = 0; c < e; c++) {
          dot += (double) q[qo + i * qs + c] * k[ko + j * ks + c];
        }
        row[j] = dot * scale;
        max = Math.max(max, row[j]);
      }
      double sum = 0;
      for (int j = 0; j < jEnd; j++) {
        row[j] = Math.exp(row[j] - max);
        sum += row[j];
      }
      for (int j = 0; j < ps; j++) {
        p[po + i * ps + j] = j < jEnd ? (float) (row[j] / sum) : 0f;
      }
      for (int c = 0; c < ev; c++) {
        double acc = 0;
        for (int j = 0; j < jEnd; j++) {
          acc += row[j] / sum * v[vo + j * vs + c];
        }
        out[oo + i * os + c] = (float) acc;
      }
    }
  }

  /** As {@link Sdpa#backward}. */
  public static void backward(int l, int s, int e, int ev, float scale, boolean causal,
      float[] q, int qo, int qs, float[] k, int ko, int ks, float[] v, int vo, int vs,
      float[] p, int po, float[] g, int go, int gs, float[] ds, float[] scratch,
      float[] dq, int dqo, int dqs, float[] dk, int dko, int dks, float[] dv, int dvo, int dvs) {
    int ps = Sdpa.rowStride(s);
    double[] d = new double[l * s];
    for (int i = 0; i < l; i++) {
      int jEnd = Sdpa.keys(i, s, causal);
      double dot = 0;
      for (int j = 0; j < jEnd; j++) {
        double dp = 0;
        for (int c = 0; c < ev; c++) {
          dp += (double) g[go + i * gs + c] * v[vo + j * vs + c];
        }
        d[i * s + j] = dp;
        dot += dp * p[po + i * ps + j];
      }
      for (int j = 0; j < jEnd; j++) {
        d[i * s + j] = scale * p[po + i * ps + j] * (d[i * s + j] - dot);
        ds[i * ps + j] = (float) d[i * s + j];
      }
      for (int j = jEnd; j < ps; j++) {
        ds[i * ps + j] = 0f;
      }
    }
    if (dv != null) {
      for (int j = 0; j < s; j++) {
        for (int c = 0; c < ev; c++) {
          double acc = 0;
          for (int i = 0; i < l; i++) {
            acc += (double) p[po + i * ps + j] * g[go + i * gs + c];
          }
          dv[dvo + j * dvs + c] = (float) acc;
        }
      }
    }
    if (dq != null) {
      for (int i = 0; i < l; i++) {
        for (int c = 0; c < e; c++) {
          double acc = 0;
          for (int j = 0; j < s; j++) {
            acc += d[i * s + j] * k[ko + j * ks + c];
          }
          dq[dqo + i * dqs + c] = (float) acc;
        }
      }
    }
    if (dk != null) {
      for (int j = 0; j < s; j++) {
        for (int c = 0; c < e; c++) {
          double acc = 0;
          for (int i = 0; i < l; i++) {
            acc += d[i * s + j] * q[qo + i * qs + c];
          }
          dk[dko + j * dks + c] = (float) acc;
        }
      }
    }
  }
}
