package dev.downhill.kernels;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

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
 * two, 2^⌊n/2⌋ and 2^⌈n/2⌉, so that results in the subnormal range round once. Inputs above 88.8
 * give +∞ and below −104 give 0 by a compare and a blend; NaN goes through the formula and stays NaN.
 * Speed, 16 384 floats in L1 on one thread, side by side in one process: 0.28 ns per element against
 * lanewise EXP's 0.21 (clamping the input first, with Java's NaN rules for min and max, took 0.57
 * against 0.31).
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
  /** Below it e^x is 0 (e^−104 is a third of the smallest subnormal); above HI it is +∞. */
  static final float LO = -104f;
  /** Above it e^x is +∞ (from 88.73 up the formula itself overflows to +∞). */
  static final float HI = 88.8f;

  /** e^x, lane by lane, with exactly {@link #exp(float)}'s operations. */
  public static FloatVector exp(FloatVector x) {
    FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
    FloatVector n = t.sub(ROUND);
    IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
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
    return y.mul(s1).mul(s2).blend(Float.POSITIVE_INFINITY, x.compare(GT, HI)).blend(0f, x.compare(LT, LO));
  }

  /** e^x for one float, with exactly the operations of {@link #exp(FloatVector)}. */
  public static float exp(float x) {
    if (x > HI) {
      return Float.POSITIVE_INFINITY;
    }
    if (x < LO) {
      return 0f;
    }
    float t = Math.fma(x, LOG2E, ROUND); // NaN goes on through the formula and comes out NaN
    float n = t - ROUND;
    int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
    float r = Math.fma(n, -LN2_HI, x);
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
