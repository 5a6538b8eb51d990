package dev.downhill.autograd;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A seeded source of random numbers for {@link Tensor#rand}, {@link Tensor#randn},
 * {@link Tensor#randint} and parameter initialisation, like {@code torch.Generator}.
 *
 * <p>The same seed gives the same numbers on every machine, JDK and thread count: the bits come
 * from the JDK's L64X128MixRandom, whose algorithm its javadoc specifies, and every conversion to
 * floats here is spelled out rather than left to a JDK default. A generator is not thread-safe; the
 * factories fill tensors sequentially from it.
 */
public final class Generator {
  private final RandomGenerator bits;
  private final long seed;

  /** A generator seeded with {@code seed}. */
  public Generator(long seed) {
    this.seed = seed;
    this.bits = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
  }

  /** The seed this generator started from. */
  public long seed() {
    return seed;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (bits.nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform float on [0, 1) with 24 random bits (never rounds up to 1). */
  public float nextFloat() {
    return (bits.nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Standard normal, by the Box–Muller transform (one value per call; StrictMath keeps it bit-identical across platforms). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1], so the log is finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /** Uniform integer in [low, high); {@code high > low}. */
  public long nextLong(long low, long high) {
    if (high <= low) {
      throw new IllegalArgumentException("randint: high " + high + " must be greater than low " + low);
    }
    long range = high - low;
    // Rejection keeps every value equally likely; the bound is the largest multiple of range.
    long limit = Long.MAX_VALUE - (Long.MAX_VALUE % range);
    long r;
    do {
      r = bits.nextLong() >>> 1;
    } while (r >= limit);
    return low + r % range;
  }

  /** Fills {@code out} in index order with {@link #nextFloat()}. */
  public void fillUniform(float[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = nextFloat();
    }
  }

  /** Fills {@code out} in index order with {@link #nextGaussian()} rounded to float. */
  public void fillNormal(float[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) nextGaussian();
    }
  }

  /** Fills {@code out} in index order with whole numbers from {@link #nextLong(long, long)}. */
  public void fillIntegers(float[] out, long low, long high) {
    for (int i = 0; i < out.length; i++) {
      out[i] = nextLong(low, high);
    }
  }
}
