package dev.downhill.autograd;

/**
 * The JDK's L64X128MixRandom (an LXM generator: a 64-bit LCG plus xoroshiro128, mixed by Doug Lea's
 * function) written out so its four state words can be saved and restored, which the JDK's class does
 * not allow. Seeding and {@link #nextLong()} follow {@code jdk.internal.random.L64X128MixRandom}
 * line for line; {@code LxmTest} checks the output against the JDK's own generator.
 */
final class Lxm {
  private static final long M = 0xd1342543de82ef95L;
  private static final long GOLDEN_RATIO_64 = 0x9e3779b97f4a7c15L;
  private static final long SILVER_RATIO_64 = 0x6A09E667F3BCC909L;

  private long a;
  private long s;
  private long x0;
  private long x1;

  /** The state {@code RandomGeneratorFactory.of("L64X128MixRandom").create(seed)} starts from. */
  Lxm(long seed) {
    seed ^= SILVER_RATIO_64;
    set(mixMurmur64(seed), 1, mixStafford13(seed), mixStafford13(seed + GOLDEN_RATIO_64));
  }

  void set(long a, long s, long x0, long x1) {
    this.a = a | 1;
    this.s = s;
    this.x0 = x0;
    this.x1 = x1;
    if ((x0 | x1) == 0) { // xoroshiro's state must not be all zero
      long v = s;
      this.x0 = mixStafford13(v += GOLDEN_RATIO_64);
      this.x1 = mixStafford13(v + GOLDEN_RATIO_64);
    }
  }

  /** {a, s, x0, x1}. */
  long[] words() {
    return new long[] {a, s, x0, x1};
  }

  long nextLong() {
    long result = mixLea64(s + x0);
    s = M * s + a;
    long q0 = x0;
    long q1 = x1;
    q1 ^= q0;
    q0 = Long.rotateLeft(q0, 24);
    q0 = q0 ^ q1 ^ (q1 << 16);
    q1 = Long.rotateLeft(q1, 37);
    x0 = q0;
    x1 = q1;
    return result;
  }

  private static long mixMurmur64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static long mixStafford13(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long mixLea64(long z) {
    z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
    z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
    return z ^ (z >>> 32);
  }
}
