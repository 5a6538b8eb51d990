package dev.downhill.autograd;

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
  private final Lxm bits; // the JDK's L64X128MixRandom, with state that can be saved (Lxm)
  private long seed;

  /** A generator seeded with {@code seed}. */
  public Generator(long seed) {
    this.seed = seed;
    this.bits = new Lxm(seed);
  }

  /**
   * A snapshot of this generator, like {@code torch.Generator.get_state()}: {seed, then the four
   * state words of L64X128MixRandom}. {@link #setState} on any generator continues from here.
   */
  public long[] state() {
    long[] w = bits.words();
    return new long[] {seed, w[0], w[1], w[2], w[3]};
  }

  /** Restores a snapshot from {@link #state()}: the next numbers are those that followed it. */
  public void setState(long[] state) {
    if (state.length != 5 || (state[1] & 1) == 0) {
      throw new IllegalArgumentException("Generator.setState: not a state from Generator.state() (5 words, the second odd), got "
          + java.util.Arrays.toString(state));
    }
    seed = state[0];
    bits.set(state[1], state[2], state[3], state[4]);
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
  /**
   * A uniformly random permutation of 0 … n−1, by the Fisher–Yates shuffle (one
   * {@link #nextLong(long, long)} per position from the last down), like {@code torch.randperm}.
   */
  public int[] permutation(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
    }
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = (int) nextLong(0, i + 1L);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * Draws {@code count} category indices from the weights {@code w[wo, wo+n)} (non-negative,
   * finite, not all zero: checked by the caller) into {@code out[oo, oo+count)}: one
   * {@link #nextDouble()} per draw, scaled to the total weight and looked up in the running sums
   * (in double). Without {@code replacement} a drawn category's weight drops to zero for the rest
   * of the draws, as in {@code torch.multinomial}.
   */
  public void sampleCategorical(float[] w, int wo, int n, int count, boolean replacement, float[] out, int oo) {
    double[] cum = new double[n];
    float[] weight = java.util.Arrays.copyOfRange(w, wo, wo + n);
    for (int k = 0; k < count; k++) {
      double total = 0;
      for (int j = 0; j < n; j++) {
        total += weight[j];
        cum[j] = total;
      }
      double u = nextDouble() * total;
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) { // first j with cum[j] > u: never a zero-weight category
        int mid = (lo + hi) >>> 1;
        if (cum[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      while (weight[lo] == 0f) {
        lo--; // u rounded up to the total: take the last category that has weight
      }
      out[oo + k] = lo;
      if (!replacement) {
        weight[lo] = 0f;
      }
    }
  }
}
