package dev.downhill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  static TensorDataset rows(int n) {
    Tensor x = Tensor.arange(n * 2f).reshape(n, 2);      // row i = [2i, 2i+1]
    Tensor y = Tensor.arange(n);                          // label i
    return new TensorDataset(x, y);
  }

  static List<Integer> labels(DataLoader loader) {
    List<Integer> out = new ArrayList<>();
    for (Batch b : loader) {
      for (float v : b.y().toArray()) {
        out.add((int) v);
      }
      // the batch gathered exactly its own rows
      float[] x = b.x().toArray();
      float[] y = b.y().toArray();
      for (int i = 0; i < y.length; i++) {
        assertEquals(2 * y[i], x[2 * i]);
        assertEquals(2 * y[i] + 1, x[2 * i + 1]);
      }
    }
    return out;
  }

  @Test
  void inOrderBatchesAndTheirCount() {
    DataLoader loader = new DataLoader(rows(10), 4);
    assertEquals(3, loader.size());
    List<int[]> shapes = new ArrayList<>();
    for (Batch b : loader) {
      shapes.add(b.x().shape());
    }
    assertEquals(List.of("[4, 2]", "[4, 2]", "[2, 2]"), shapes.stream().map(Arrays::toString).toList());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), labels(loader));
    DataLoader drop = new DataLoader(rows(10), 4, false, true, null);
    assertEquals(2, drop.size());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), labels(drop));
  }

  @Test
  void fullBatchSingleSampleAndMiniBatchAreTheSameApi() {
    TensorDataset d = rows(6);
    assertEquals(1, new DataLoader(d, d.size()).size());
    assertEquals(6, new DataLoader(d, 1).size());
    assertEquals(2, new DataLoader(d, 3).size());
    for (Batch b : new DataLoader(d, 1, true, false, new Generator(0))) {
      assertArrayEquals(new int[] {1, 2}, b.x().shape());
    }
  }

  @Test
  void shuffleIsAPermutationEachEpochReshuffledAndReproducible() {
    DataLoader a = new DataLoader(rows(50), 8, true, false, new Generator(5));
    DataLoader b = new DataLoader(rows(50), 8, true, false, new Generator(5));
    List<Integer> e1 = labels(a);
    List<Integer> e2 = labels(a);
    assertEquals(50, new HashSet<>(e1).size());
    assertNotEquals(e1, e2, "a new order every epoch");
    assertEquals(e1, labels(b));
    assertEquals(e2, labels(b));
    // the order is the generator's permutation, cut into batches
    int[] perm = new Generator(5).permutation(50);
    assertEquals(Arrays.stream(perm).boxed().toList(), e1);
  }

  @Test
  void tensorDatasetNamesTheTensorsThatDiffer() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(4), Tensor.zeros(3, 1)));
    assertEquals("TensorDataset: size mismatch between tensors: tensor 0 has shape [4, 2] (4 samples), tensor 2 has shape [3, 1] (3)",
        e.getMessage());
  }

  @Test
  void aDatasetOfYourOwnIsStacked() {
    Dataset squares = new Dataset() {
      @Override
      public int size() {
        return 5;
      }

      @Override
      public Tensor[] get(int i) {
        return new Tensor[] {Tensor.of(new float[] {i, i * i}), Tensor.scalar(i)};
      }
    };
    List<Integer> seen = new ArrayList<>();
    for (Batch b : new DataLoader(squares, 2, true, false, new Generator(1))) {
      assertEquals(2, b.x().dim());
      assertEquals(1, b.y().dim());
      for (int i = 0; i < b.size(); i++) {
        float v = b.y().get(i);
        assertEquals(v * v, b.x().get(i, 1));
        seen.add((int) v);
      }
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(seen));
  }

  @Test
  void randomSplitByLengthsAndFractions() {
    TensorDataset d = rows(10);
    List<Subset> parts = Dataset.randomSplit(d, new int[] {7, 3}, new Generator(2));
    assertEquals(7, parts.get(0).size());
    assertEquals(3, parts.get(1).size());
    Set<Integer> all = new HashSet<>();
    for (Subset s : parts) {
      for (int i : s.indices()) {
        assertFalse(!all.add(i), "disjoint");
      }
      assertEquals(Arrays.stream(s.indices()).boxed().toList(), labels(new DataLoader(s, 2)));
    }
    assertEquals(10, all.size());
    assertArrayEquals(Arrays.copyOfRange(new Generator(2).permutation(10), 7, 10), parts.get(1).indices());
    List<Subset> byFraction = Dataset.randomSplit(rows(11), new double[] {0.5, 0.3, 0.2}, new Generator(2));
    assertEquals(List.of(6, 3, 2), byFraction.stream().map(Subset::size).toList()); // 5,3,2 + one dealt to the first
    var e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(d, new int[] {5, 4}, new Generator(0)));
    assertEquals("randomSplit: sum of input lengths [5, 4] is 9, the dataset has 10 samples", e.getMessage());
  }
}
