package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Value generators and float comparisons shared by the kernel tests. */
final class Floats {
  private Floats() {}

  /** Sizes up to a few vectors, so every loop runs its vector part, its tail, or both. */
  static Arbitrary<Integer> lengths() {
    return Arbitraries.integers().between(0, 300);
  }

  static Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(0, 5);
  }

  /**
   * Mostly ordinary numbers in [-100, 100] (built from integers: jqwik's scaled floats are slow to
   * generate), often small integers (so that ties and exact zeros occur), sometimes any
   * bit pattern at all (subnormals, huge values, NaN payloads) and the IEEE specials.
   */
  static Arbitrary<Float> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.integers().between(-10_000_000, 10_000_000).map(i -> i / 1e5f)),
        Tuple.of(3, Arbitraries.integers().between(-3, 3).map(i -> (float) i)),
        Tuple.of(2, Arbitraries.integers().map(Float::intBitsToFloat)),
        Tuple.of(1, Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE)));
  }

  static Arbitrary<float[]> arrays(int length, Arbitrary<Float> values) {
    return values.array(float[].class).ofSize(length);
  }

  /** Equal bit patterns, except that all NaNs are one value (payloads are not part of any contract). */
  static boolean sameBits(float x, float y) {
    return Float.floatToIntBits(x) == Float.floatToIntBits(y);
  }

  /**
   * Distance in units in the last place: the number of floats between x and y. NaN is only near NaN
   * and an infinity only near itself; the two zeros are one point.
   */
  static long ulps(float x, float y) {
    if (Float.isNaN(x) || Float.isNaN(y)) return Float.isNaN(x) && Float.isNaN(y) ? 0 : Long.MAX_VALUE;
    if (Float.isInfinite(x) || Float.isInfinite(y)) return x == y ? 0 : Long.MAX_VALUE;
    return Math.abs(ordinal(x) - ordinal(y));
  }

  private static long ordinal(float x) {
    int bits = Float.floatToRawIntBits(x);
    return bits >= 0 ? bits : -(long) (bits & 0x7fffffff);
  }

  /** Fails unless both arrays agree everywhere: bitwise when {@code maxUlps == 0}, else within it. */
  static void assertClose(float[] expected, float[] actual, long maxUlps, String what) {
    for (int j = 0; j < expected.length; j++) {
      boolean ok = maxUlps == 0 ? sameBits(expected[j], actual[j]) : ulps(expected[j], actual[j]) <= maxUlps;
      if (!ok) {
        fail(String.format("%s: index %d: expected %s (0x%08x), got %s (0x%08x)", what, j,
            expected[j], Float.floatToRawIntBits(expected[j]), actual[j], Float.floatToRawIntBits(actual[j])));
      }
    }
  }
}
