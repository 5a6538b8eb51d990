package dev.downhill.data;

import dev.downhill.autograd.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a {@link Dataset}, like {@code torch.utils.data.DataLoader(dataset, batch_size,
 * shuffle, drop_last, generator)}: each {@link #iterator()} is one epoch. With {@code shuffle} the
 * epoch's order is a permutation drawn from the generator when the epoch starts, so every epoch
 * differs and the same seed gives the same order on every machine; without it the order is 0, 1, …
 * Only the batch's rows are gathered.
 *
 * <p>Full-batch gradient descent, stochastic (one sample) and mini-batch are the same loop with a
 * different {@code batchSize}: {@code dataset.size()}, 1, or something between.
 *
 * <pre>{@code
 * var loader = new DataLoader(new TensorDataset(x, y), 32, true, false, gen);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *   for (Batch b : loader) { ... model.forward(b.x()) ... b.y() ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final Generator gen;

  /**
   * @param batchSize samples per batch (the last may be smaller unless {@code dropLast})
   * @param shuffle draw a new order every epoch from {@code gen}
   * @param dropLast skip a last batch smaller than {@code batchSize}
   * @param gen the generator of the shuffles; may be null without shuffle
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator gen) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("DataLoader: batchSize should be a positive integer, got " + batchSize);
    }
    if (shuffle && gen == null) {
      throw new IllegalArgumentException("DataLoader: shuffle needs a Generator (for the same order on every machine)");
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.gen = gen;
  }

  /** Batches in order, the last one possibly smaller; no shuffle. */
  public DataLoader(Dataset dataset, int batchSize) {
    this(dataset, batchSize, false, false, null);
  }

  /** The number of batches per epoch ({@code len(loader)}). */
  public int size() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The dataset. */
  public Dataset dataset() {
    return dataset;
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  /** One epoch: draws the order now (with shuffle), then gathers each batch when it is asked for. */
  @Override
  public Iterator<Batch> iterator() {
    int n = dataset.size();
    int[] order;
    if (shuffle) {
      order = gen.permutation(n);
    } else {
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
    int batches = size();
    return new Iterator<>() {
      int next = 0;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
        }
        int from = next++ * batchSize;
        int to = Math.min(from + batchSize, n);
        return dataset.getBatch(java.util.Arrays.copyOfRange(order, from, to));
      }
    };
  }
}
