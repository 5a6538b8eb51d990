package dev.downhill.data;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples that can be fetched by index, like {@code torch.utils.data.Dataset}: implement
 * {@link #size()} and {@link #get(int)} (one sample: a few tensors without the batch dimension, say
 * features [d] and a label []); override {@link #getBatch(int[])} when rows can be gathered at once
 * (as {@link TensorDataset} does).
 */
public interface Dataset {
  /** The number of samples. */
  int size();

  /** Sample {@code index} (0 ≤ index &lt; size()): its tensors, without a batch dimension. */
  Tensor[] get(int index);

  /**
   * The samples at {@code indices}, stacked along a new first dimension (PyTorch's default collate):
   * component {@code k} of the batch has shape [indices.length, ...shape of get(i)[k]].
   */
  default Batch getBatch(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("Dataset.getBatch: no indices");
    }
    Tensor[][] samples = new Tensor[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      samples[i] = get(indices[i]);
    }
    Tensor[] out = new Tensor[samples[0].length];
    for (int k = 0; k < out.length; k++) {
      Tensor[] column = new Tensor[indices.length];
      for (int i = 0; i < indices.length; i++) {
        column[i] = samples[i][k];
      }
      out[k] = Tensor.stack(0, column);
    }
    return new Batch(out);
  }

  /**
   * Splits {@code dataset} at random into non-overlapping subsets of the given {@code lengths}
   * (which must add up to its size), like {@code torch.utils.data.random_split}: one permutation
   * of all indices is drawn from {@code gen} and cut in order.
   */
  static List<Subset> randomSplit(Dataset dataset, int[] lengths, Generator gen) {
    long total = 0;
    for (int n : lengths) {
      if (n < 0) {
        throw new IllegalArgumentException("randomSplit: a length is negative: " + java.util.Arrays.toString(lengths));
      }
      total += n;
    }
    if (total != dataset.size()) {
      throw new IllegalArgumentException("randomSplit: sum of input lengths " + java.util.Arrays.toString(lengths) + " is "
          + total + ", the dataset has " + dataset.size() + " samples");
    }
    int[] perm = gen.permutation(dataset.size());
    List<Subset> out = new ArrayList<>();
    int start = 0;
    for (int n : lengths) {
      out.add(new Subset(dataset, java.util.Arrays.copyOfRange(perm, start, start + n)));
      start += n;
    }
    return out;
  }

  /**
   * {@link #randomSplit(Dataset, int[], Generator)} by fractions that add up to 1, as PyTorch 1.13
   * does: each subset gets floor(fraction·size) samples and the rest are dealt one by one to the
   * subsets in order.
   */
  static List<Subset> randomSplit(Dataset dataset, double[] fractions, Generator gen) {
    double sum = 0;
    for (double f : fractions) {
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException("randomSplit: fraction at index " + f + " is not between 0 and 1");
      }
      sum += f;
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("randomSplit: fractions " + java.util.Arrays.toString(fractions) + " sum to " + sum
          + ", not 1");
    }
    int n = dataset.size();
    int[] lengths = new int[fractions.length];
    int given = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = (int) Math.floor(n * fractions[i]);
      given += lengths[i];
    }
    for (int i = 0; given < n; i = (i + 1) % lengths.length, given++) {
      lengths[i]++;
    }
    return randomSplit(dataset, lengths, gen);
  }
}
