package dev.downhill.autograd;

import dev.downhill.kernels.Norms;
import dev.downhill.kernels.Parallel;

/**
 * Layer normalization as one differentiable op on the {@link Norms} kernels: one pass for the row
 * statistics and the output, one for the input gradient, one for the parameter gradients, where the
 * composed form (mean, sub, mul, mean, add, sqrt, div, mul, add) runs nine ops and their backwards.
 * {@code nn.LayerNorm} uses it; the composed form stays in the tests as its oracle.
 *
 * <p>Rows go to the threads of {@link Parallel} whole, and the parameter gradients by columns with
 * the rows summed in order, so the bits do not depend on the thread count.
 */
public final class FusedLayerNorm {
  private FusedLayerNorm() {}

  /**
   * Normalizes {@code x} over its trailing {@code size} elements (the product of the normalized
   * shape), then multiplies by {@code weight} and adds {@code bias} (each {@code size} elements, or
   * null). The caller has checked that the shapes fit.
   */
  public static Tensor apply(Tensor x, int size, Tensor weight, Tensor bias, float eps) {
    long t0 = OpTrace.start();
    int rows = size == 0 ? 0 : x.size / size;
    float[] xa = x.array();
    int xo = x.offset;
    float[] w = weight == null ? null : weight.toArray();
    float[] b = bias == null ? null : bias.toArray();
    float[] y = new float[x.size];
    float[] mean = new float[rows], rstd = new float[rows];
    int grain = Math.max(1, Unary.GRAIN / Math.max(1, size));
    Parallel.forRange(rows, grain, (from, to) -> Norms.layerNorm(xa, xo, size, from, to, eps, w, b, y, 0, mean, rstd));
    OpTrace.stop("layerNorm", t0, 8.0 * x.size, 8.0 * x.size);
    Tensor out = Tensor.wrap(y, x.shape.clone());
    Tensor[] inputs = weight == null ? (bias == null ? new Tensor[] {x} : new Tensor[] {x, bias})
        : (bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias});
    if (!Autograd.recording(inputs)) {
      return out;
    }
    int wi = weight == null ? -1 : 1;
    int bi = bias == null ? -1 : (weight == null ? 1 : 2);
    Node node = new Node("layerNorm", x.shape, inputs) {
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        float[] sxa = sx.array();
        int sxo = sx.offset;
        float[] sw = weight == null ? null : saved(1).toArray();
        if (grads.needs(0)) {
          float[] dx = new float[sx.size];
          Parallel.forRange(rows, grain, (from, to) ->
              Norms.layerNormBackward(sxa, sxo, g, 0, size, from, to, sw, mean, rstd, dx, 0));
          grads.add(0, dx);
        }
        float[] dw = wi >= 0 && grads.needs(wi) ? new float[size] : null;
        float[] db = bi >= 0 && grads.needs(bi) ? new float[size] : null;
        if (dw != null || db != null) {
          int colGrain = Math.max(8, Unary.GRAIN / Math.max(1, rows)) / 8 * 8;
          Parallel.forRange(size, colGrain, (c0, c1) -> Norms.paramGrads(sxa, sxo, g, 0, size, rows, mean, rstd, c0, c1, dw, db));
          if (dw != null) grads.add(wi, dw);
          if (db != null) grads.add(bi, db);
        }
      }
    };
    if (weight == null) {
      node.save(x);
    } else {
      node.save(x, weight);
    }
    node.cost(12.0 * x.size, 12.0 * x.size);
    return out.madeBy(node);
  }
}
