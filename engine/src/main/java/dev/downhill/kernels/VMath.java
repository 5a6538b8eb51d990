package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x of our own, in a vector form and a one-lane form that perform the very same float operations,
 * so they agree bit for bit, before and after C2 compiles a loop.
 *
 * <p>Why not {@code lanewise(EXP)}: until C2 compiles a loop the Vector API runs its Java fallback
 * ({@code Math.exp} per lane), and afterwards the JDK's vector math library (SVML on x64). The two
 * differ by up to an ulp, so the same training run gave other bits in a fresh JVM, and a softmax
 * changed its result at its 4721st call. Every kernel here that needs e^x (softmax, cross-entropy,
 * sigmoid, tanh, SiLU, softplus, GELU, exp) uses this one instead.
 *
 * <p>How: x = n·ln 2 + r with n the nearest whole number to x·log₂e (by the 1.5·2²³ rounding trick)
 * and r reduced in two fused steps (Cody and Waite's split of ln 2), e^r by Cephes' degree-7
 * polynomial in Horner form with fused multiply-adds, then the scale 2ⁿ applied as two powers of
 * two, 2^⌊n/2⌋ and 2^⌈n/2⌉, so that results in the subnormal range round once. Inputs are clamped to
 * [−104, 89] first (NaN stays NaN): above 88.73 the result is +∞, below −103.97 it is 0.
 * Measured: within 1 ulp of {@code (float) Math.exp(x)} over every 97th float bit pattern.
 */
public final class VMath {
  private VMath() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  static final float LOG2E = 1.44269504088896341f;
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  /** 1.5·2²³: adding it rounds to a whole number, whose value then sits in the low mantissa bits. */
  static final float ROUND = 12582912f;
  static final int ROUND_BITS = 0x4B400000;
  static final float P5 = 1.9875691500e-4f;
  static final float P4 = 1.3981999507e-3f;
  static final float P3 = 8.3334519073e-3f;
  static final float P2 = 4.1665795894e-2f;
  static final float P1 = 1.6666665459e-1f;
  static final float P0 = 5.0000001201e-1f;
  static final float LO = -104f;
  static final float HI = 89f;

  /** e^x, lane by lane, with exactly {@link #exp(float)}'s operations. */
  public static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(LO).min(HI);
    FloatVector t = xc.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
    FloatVector n = t.sub(ROUND);
    IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = r.fma(FloatVector.broadcast(S, P5), FloatVector.broadcast(S, P4));
    p = p.fma(r, FloatVector.broadcast(S, P3));
    p = p.fma(r, FloatVector.broadcast(S, P2));
    p = p.fma(r, FloatVector.broadcast(S, P1));
    p = p.fma(r, FloatVector.broadcast(S, P0));
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector n1 = ni.lanewise(ASHR, 1);
    IntVector n2 = ni.sub(n1);
    FloatVector s1 = n1.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = n2.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
    return y.mul(s1).mul(s2);
  }

  /** e^x for one float, with exactly the operations of {@link #exp(FloatVector)}. */
  public static float exp(float x) {
    float xc = Math.min(Math.max(x, LO), HI);
    float t = Math.fma(xc, LOG2E, ROUND);
    float n = t - ROUND;
    int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
    float r = Math.fma(n, -LN2_HI, xc);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(r, P5, P4);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P1);
    p = Math.fma(p, r, P0);
    float y = Math.fma(p, r * r, r) + 1f;
    int n1 = ni >> 1;
    int n2 = ni - n1;
    return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
  }
}
