package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class GeneratorStateTest {
  @Test
  void lxmIsTheJdksL64X128MixRandom() {
    for (long seed : new long[] {0, 1, 42, -1, Long.MIN_VALUE, 0x6A09E667F3BCC909L, 123456789}) {
      RandomGenerator jdk = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
      Lxm mine = new Lxm(seed);
      for (int i = 0; i < 100_000; i++) {
        assertEquals(jdk.nextLong(), mine.nextLong(), "seed " + seed + ", draw " + i);
      }
    }
  }

  @Test
  void restoredStateContinuesTheSameNumbers() {
    Generator g = new Generator(7);
    Tensor.randn(g, 100);
    long[] snap = g.state();
    float[] expected = Tensor.rand(g, 50).toArray();
    Generator other = new Generator(99);
    other.setState(snap);
    assertArrayEquals(expected, Tensor.rand(other, 50).toArray());
    assertEquals(7, other.seed());
    g.setState(snap);
    assertArrayEquals(expected, Tensor.rand(g, 50).toArray());
  }

  @Test
  void refusesAStateThatIsNotOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Generator(1).setState(new long[] {1, 2, 3}));
    assertEquals("Generator.setState: not a state from Generator.state() (5 words, the second odd), got [1, 2, 3]", e.getMessage());
  }
}
