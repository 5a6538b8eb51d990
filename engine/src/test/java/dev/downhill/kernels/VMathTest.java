package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link VMath#exp} and {@link VMath#log}: the vector and the one-lane forms agree bit for bit on
 * every input, in the Vector API's Java fallback (the first calls) and once C2 has compiled the loop;
 * and they stay within 1 ulp of {@code (float) Math.exp} and {@code Math.log} over the float line.
 */
class VMathTest {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  static void vectorExp(float[] x, float[] out) {
    for (int i = 0; i < x.length; i += S.length()) {
      VMath.exp(FloatVector.fromArray(S, x, i)).intoArray(out, i);
    }
  }

  static float[] sweep() {
    float[] specials = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        Float.MAX_VALUE, -Float.MAX_VALUE, 88.72283f, 88.72284f, 89f, -87.33655f, -103.97208f, -103.97209f, -104f, -150f};
    float[] x = new float[1 << 14];
    System.arraycopy(specials, 0, x, 0, specials.length);
    for (int i = specials.length; i < x.length; i++) {
      x[i] = i % 2 == 0 ? Float.intBitsToFloat(i * 0x9E3779B9) : -110f + 205f * i / x.length;
    }
    return x;
  }

  @Test
  void vectorAndScalarFormsAgreeBitForBitBeforeAndAfterCompilation() {
    float[] x = sweep();
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = VMath.exp(x[i]);
    }
    float[] out = new float[x.length];
    for (int round = 0; round < 200; round++) { // C2 takes over after a few dozen rounds
      vectorExp(x, out);
      Floats.assertClose(expected, out, 0, "round " + round);
    }
  }

  @Test
  void withinOneUlpOfMathExpOverTheFloatLine() {
    long worst = 0;
    for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 997) {
      float x = Float.intBitsToFloat((int) bits);
      long u = Floats.ulps((float) Math.exp(x), VMath.exp(x));
      worst = Math.max(worst, u);
    }
    assertEquals(1, worst, "measured worst: 1 ulp");
  }

  @Property(tries = 2000)
  void edgesAndSpecials(@ForAll float x) {
    float e = VMath.exp(x);
    if (Float.isNaN(x)) {
      assertTrue(Float.isNaN(e));
    } else if (x > 88.7229f) {
      assertEquals(Float.POSITIVE_INFINITY, e);
    } else if (x < -103.973f) {
      assertEquals(0f, e);
    } else {
      assertTrue(Floats.ulps((float) Math.exp(x), e) <= 1, x + ": " + e + " vs " + Math.exp(x));
    }
  }
  @Test
  void logVectorAndScalarFormsAgreeBitForBitBeforeAndAfterCompilation() {
    float[] x = sweep();
    for (int i = 0; i < x.length; i += 7) {
      x[i] = Math.abs(x[i]) * 1e-3f; // more positive inputs, subnormals among them
    }
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = VMath.log(x[i]);
    }
    float[] out = new float[x.length];
    for (int round = 0; round < 200; round++) {
      for (int i = 0; i < x.length; i += S.length()) {
        VMath.log(FloatVector.fromArray(S, x, i)).intoArray(out, i);
      }
      Floats.assertClose(expected, out, 0, "round " + round);
    }
  }

  @Test
  void logWithinOneUlpOfMathLogOverTheFloatLine() {
    long worst = 0;
    for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 997) {
      float x = Float.intBitsToFloat((int) bits);
      worst = Math.max(worst, Floats.ulps((float) Math.log(x), VMath.log(x)));
    }
    assertEquals(1, worst, "measured worst: 1 ulp");
    assertEquals(Float.NEGATIVE_INFINITY, VMath.log(0f));
    assertEquals(Float.NEGATIVE_INFINITY, VMath.log(-0f));
    assertTrue(Float.isNaN(VMath.log(-1f)) && Float.isNaN(VMath.log(Float.NaN)));
    assertEquals(Float.POSITIVE_INFINITY, VMath.log(Float.POSITIVE_INFINITY));
    assertEquals(0f, VMath.log(1f));
  }
}
