package dev.downhill.kernels;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;

/** {@link Masks#dropout} against its twin: bitwise, and nothing written outside the output range. */
class MasksTest {
  @Property(tries = 200)
  void dropoutMatchesItsTwin(@ForAll("lengths") int n, @ForAll @FloatRange(min = 0, max = 1) float p) {
    float[] u = new float[n + 3];
    java.util.Random r = new java.util.Random(n);
    for (int i = 0; i < u.length; i++) u[i] = r.nextFloat();
    float[] a = new float[n + 5];
    float[] b = new float[n + 5];
    java.util.Arrays.fill(a, 7f);
    java.util.Arrays.fill(b, 7f);
    Masks.dropout(u, 2, p, 1.5f, a, 1, n);
    Masks.dropoutScalar(u, 2, p, 1.5f, b, 1, n);
    Floats.assertClose(b, a, 0, "dropout p=" + p);
    float[] sevens = new float[n + 5];
    java.util.Arrays.fill(sevens, 7f);
    ElementwiseTest.assertUntouchedOutside(sevens, a, 1, n, "dropout");
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> lengths() {
    return Arbitraries.integers().between(0, 300);
  }
}
