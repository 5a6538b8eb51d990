package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The gradient of a broadcast ({@link Broadcast#reduceTo}): its row-sum fast path against the general walk. */
class BroadcastTest {

  record Case(int[] gShape, int[] target, float[] g) {}

  /**
   * g of rank 1–4 (sizes 1–9, now and then 40–300 so the sums run through whole vectors), and a
   * target made from it: a non-empty suffix of g's shape (a bias), with up to two leading 1s, and
   * sometimes a dimension of the suffix set to 1 (not a row sum: the walk's case).
   */
  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> size = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 9)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(40, 300)));
    return size.list().ofMinSize(1).ofMaxSize(4).filter(l -> l.stream().mapToLong(i -> i).reduce(1, (a, b) -> a * b) < 100_000)
        .flatMap(dims -> Combinators.combine(Arbitraries.integers().between(1, dims.size()),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(-3, dims.size() - 1))
            .flatAs((kept, ones, squash) -> {
              int[] gShape = dims.stream().mapToInt(i -> i).toArray();
              int[] target = new int[ones + kept];
              Arrays.fill(target, 1);
              System.arraycopy(gShape, gShape.length - kept, target, ones, kept);
              if (squash >= 0 && squash < kept) target[ones + squash] = 1;
              int[] t = target.length > gShape.length ? Arrays.copyOfRange(target, target.length - gShape.length, target.length) : target;
              return Arbitraries.longs().map(seed -> new Case(gShape, t, values(Shapes.size(gShape), seed)));
            }));
  }

  /** Mostly values in [-100, 100], sometimes ±0, ±1e8 (so the order of the adds shows), NaN or ±∞. */
  static float[] values(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] special = {0f, -0f, 1e8f, -1e8f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = r.nextInt(50) == 0 ? special[r.nextInt(special.length)] : (r.nextInt(2_000_001) - 1_000_000) / 1e4f;
    }
    return g;
  }

  @Property(tries = 300)
  void rowSumsGiveTheWalksBits(@ForAll("cases") Case c) {
    float[] fast = Broadcast.reduceTo(c.g(), c.gShape(), c.target());
    if (Arrays.equals(c.gShape(), c.target())) {
      assertSame(c.g(), fast); // nothing to sum: the gradient itself
      return;
    }
    float[] walk = Broadcast.reduceByWalk(c.g(), c.gShape(), c.target(), new float[Shapes.size(c.target())]);
    String what = Shapes.str(c.gShape()) + " -> " + Shapes.str(c.target());
    assertEquals(walk.length, fast.length, what);
    for (int i = 0; i < walk.length; i++) {
      // floatToIntBits: one NaN for all (payloads and the sign of a NaN are no contract), ±0 apart.
      assertEquals(Float.floatToIntBits(walk[i]), Float.floatToIntBits(fast[i]), what + " at " + i);
    }
  }

  @Example
  void whichReductionsAreRowSums() {
    assertEquals(10, Broadcast.leadingRows(new int[] {10, 500}, new int[] {500}));
    assertEquals(10, Broadcast.leadingRows(new int[] {10, 500}, new int[] {1, 500}));
    assertEquals(6, Broadcast.leadingRows(new int[] {2, 3, 4, 5}, new int[] {4, 5}));
    assertEquals(-1, Broadcast.leadingRows(new int[] {10, 500}, new int[] {10, 1}));
    assertEquals(-1, Broadcast.leadingRows(new int[] {2, 3, 4}, new int[] {3, 1}));
    assertEquals(-1, Broadcast.leadingRows(new int[] {10, 500}, new int[] {}));
    assertEquals(-1, Broadcast.leadingRows(new int[] {10, 500}, new int[] {1, 1}));
  }
}
