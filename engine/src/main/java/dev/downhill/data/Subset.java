package dev.downhill.data;

import dev.downhill.autograd.Tensor;

/** The samples of another dataset at fixed indices, like {@code torch.utils.data.Subset}. */
public final class Subset implements Dataset {
  private final Dataset parent;
  private final int[] indices;

  public Subset(Dataset parent, int[] indices) {
    for (int i : indices) {
      if (i < 0 || i >= parent.size()) {
        throw new IndexOutOfBoundsException("Subset: index " + i + " is out of range for a dataset of " + parent.size());
      }
    }
    this.parent = parent;
    this.indices = indices.clone();
  }

  /** The parent's indices of this subset's samples, in order. */
  public int[] indices() {
    return indices.clone();
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public Tensor[] get(int index) {
    return parent.get(indices[index]);
  }

  @Override
  public Batch getBatch(int[] idx) {
    int[] mapped = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      mapped[i] = indices[idx[i]];
    }
    return parent.getBatch(mapped);
  }
}
