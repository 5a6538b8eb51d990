package dev.downhill.data;

import dev.downhill.autograd.Tensor;

/**
 * One batch from a {@link DataLoader}: the dataset's tensors, each with the batch as its first
 * dimension. {@link #x()} and {@link #y()} name the usual two (inputs and targets).
 */
public record Batch(Tensor... tensors) {
  /** Component {@code k}. */
  public Tensor get(int k) {
    return tensors[k];
  }

  /** The first component (the inputs). */
  public Tensor x() {
    return tensors[0];
  }

  /** The second component (the targets). */
  public Tensor y() {
    if (tensors.length < 2) {
      throw new IllegalStateException("Batch.y: this batch has only " + tensors.length + " tensor");
    }
    return tensors[1];
  }

  /** The number of samples (the first dimension). */
  public int size() {
    return tensors[0].size(0);
  }
}
