package dev.downhill.data;

import dev.downhill.autograd.Tensor;
import java.util.Arrays;

/**
 * Samples that are the rows of a few tensors with the same first dimension, like
 * {@code torch.utils.data.TensorDataset(x, y)}: sample i is {@code (x[i], y[i])}. A batch gathers
 * just its rows ({@code indexSelect} along dimension 0; a run of consecutive rows is a view).
 */
public final class TensorDataset implements Dataset {
  private final Tensor[] tensors;

  public TensorDataset(Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("TensorDataset: needs at least one tensor");
    }
    for (int k = 0; k < tensors.length; k++) {
      if (tensors[k].dim() == 0) {
        throw new IllegalArgumentException("TensorDataset: tensor " + k + " is 0-dimensional; samples are rows of dimension 0");
      }
    }
    int n = tensors[0].size(0);
    for (int k = 1; k < tensors.length; k++) {
      if (tensors[k].size(0) != n) {
        throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
            + Arrays.toString(tensors[0].shape()) + " (" + n + " samples), tensor " + k + " has shape "
            + Arrays.toString(tensors[k].shape()) + " (" + tensors[k].size(0) + ")");
      }
    }
    if (n > 1 << 24) {
      throw new IllegalArgumentException("TensorDataset: " + n + " samples; row indices are float tensors, exact up to 2^24 = "
          + (1 << 24));
    }
    this.tensors = tensors.clone();
  }

  @Override
  public int size() {
    return tensors[0].size(0);
  }

  /** The tensors, as given. */
  public Tensor[] tensors() {
    return tensors.clone();
  }

  @Override
  public Tensor[] get(int index) {
    Tensor[] out = new Tensor[tensors.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = tensors[k].select(0, index);
    }
    return out;
  }

  @Override
  public Batch getBatch(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("TensorDataset.getBatch: no indices");
    }
    Tensor[] out = new Tensor[tensors.length];
    boolean run = true;
    for (int i = 1; i < indices.length && run; i++) {
      run = indices[i] == indices[0] + i;
    }
    Tensor index = null;
    if (!run) {
      float[] f = new float[indices.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = indices[i];
      }
      index = Tensor.of(f);
    }
    for (int k = 0; k < out.length; k++) {
      out[k] = run ? tensors[k].narrow(0, indices[0], indices.length) : tensors[k].indexSelect(0, index);
    }
    return new Batch(out);
  }
}
