package dev.downhill.autograd;

import dev.downhill.kernels.Indexing;

/** Embedding lookup: rows of a table picked by index, and beside it the backward that scatters back. */
final class Gather {
  private Gather() {}

  // out[k] = weight[idx[k]]; d weight[r] = Σ over k with idx[k] = r of g[k]; indices get no gradient
  static Tensor embedding(Tensor weight, Tensor indices) {
    if (weight.shape.length != 2) {
      throw new IllegalArgumentException("embedding: weight must be 2-D [num, dim], got shape " + Shapes.str(weight.shape));
    }
    if (indices.requiresGrad) {
      throw new IllegalArgumentException("embedding: indices of shape " + Shapes.str(indices.shape)
          + " require grad; indices are not differentiable (detach them)");
    }
    int num = weight.shape[0];
    int dim = weight.shape[1];
    int[] idx = Indexing.toIndices("embedding", indices.array(), indices.offset, indices.size, num);
    int[] outShape = new int[indices.shape.length + 1];
    System.arraycopy(indices.shape, 0, outShape, 0, indices.shape.length);
    outShape[indices.shape.length] = dim;
    float[] out = new float[idx.length * dim];
    Indexing.gatherRows(weight.array(), weight.offset, dim, idx, out, 0);
    Tensor y = Tensor.wrap(out, outShape);
    if (!Autograd.recording(weight)) {
      return y;
    }
    return y.madeBy(new Node("embedding", outShape, weight) {
      void backward(float[] g, Grads grads) {
        float[] gw = new float[num * dim];
        Indexing.scatterAddRows(g, 0, dim, idx, gw, 0);
        grads.addOwned(0, gw);
      }
    });
  }
}
