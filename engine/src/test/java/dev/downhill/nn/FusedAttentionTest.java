package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.downhill.autograd.Function;
import dev.downhill.autograd.FusedAttention;
import dev.downhill.autograd.GradCheck;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.ScalarSdpa;
import dev.downhill.kernels.Sdpa;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused attention op against the composed one (its oracle: batched matmul, maskedFill, softmax),
 * the {@link Sdpa} kernels against their scalar twin, the packed [B, T, 3·C] form against split,
 * view and transpose, the same bits on 1 and 2 threads, and a wrong attention backward that the
 * gradient check rejects.
 */
class FusedAttentionTest {
  static void assertClose(float[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
    }
  }

  /** Forward and the gradients of all inputs under a drawn upstream gradient. */
  static float[][] valueAndGrads(java.util.function.Function<Tensor[], Tensor> f, Tensor upstream, Tensor... inputs) {
    Tensor[] xs = Arrays.stream(inputs).map(t -> t.detach().requiresGrad(true)).toArray(Tensor[]::new);
    Tensor y = f.apply(xs);
    y.backward(upstream);
    float[][] out = new float[xs.length + 1][];
    out[0] = y.toArray();
    for (int i = 0; i < xs.length; i++) {
      out[i + 1] = xs[i].grad().toArray();
    }
    return out;
  }

  @Property(tries = 60)
  void fusedMatchesComposed(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 9) int l,
      @ForAll @IntRange(min = 1, max = 9) int s, @ForAll @IntRange(min = 1, max = 20) int e,
      @ForAll @IntRange(min = 1, max = 20) int ev, @ForAll boolean causal, @ForAll @IntRange(min = 0, max = 999) int seed) {
    Generator gen = new Generator(seed);
    Tensor q = Tensor.randn(gen, batch, 2, l, e);
    Tensor k = Tensor.randn(gen, batch, 2, s, e);
    Tensor v = Tensor.randn(gen, batch, 2, s, ev);
    Tensor g = Tensor.randn(gen, batch, 2, l, ev);
    float[][] fused = valueAndGrads(x -> FusedAttention.apply(x[0], x[1], x[2], causal), g, q, k, v);
    float[][] composed = valueAndGrads(x -> Attention.scaledDotProductAttentionMath(x[0], x[1], x[2], null, causal), g, q, k, v);
    String[] what = {"output", "dq", "dk", "dv"};
    for (int i = 0; i < 4; i++) {
      assertClose(composed[i], fused[i], 2e-5, what[i]);
    }
  }

  @Property(tries = 40)
  void packedMatchesSplitViewAndTranspose(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 10) int t,
      @ForAll @IntRange(min = 1, max = 4) int heads, @ForAll @IntRange(min = 1, max = 18) int d,
      @ForAll @IntRange(min = 0, max = 999) int seed) {
    int c = heads * d;
    Generator gen = new Generator(seed);
    Tensor qkv = Tensor.randn(gen, b, t, 3 * c);
    Tensor g = Tensor.randn(gen, b, t, c);
    float[][] fused = valueAndGrads(x -> FusedAttention.packed(x[0], heads, true), g, qkv);
    float[][] composed = valueAndGrads(x -> {
      Tensor[] parts = x[0].split(c, 2);
      Tensor q = parts[0].reshape(b, t, heads, d).transpose(1, 2);
      Tensor k = parts[1].reshape(b, t, heads, d).transpose(1, 2);
      Tensor v = parts[2].reshape(b, t, heads, d).transpose(1, 2);
      return Attention.scaledDotProductAttentionMath(q, k, v, null, true).transpose(1, 2).reshape(b, t, c);
    }, g, qkv);
    assertClose(composed[0], fused[0], 2e-5, "output");
    assertClose(composed[1], fused[1], 2e-5, "gradient of qkv");
  }

  @Property(tries = 60)
  void kernelsMatchTheirScalarTwinAndWriteOnlyTheirRows(@ForAll @IntRange(min = 1, max = 12) int l,
      @ForAll @IntRange(min = 0, max = 12) int s, @ForAll @IntRange(min = 1, max = 40) int e,
      @ForAll @IntRange(min = 1, max = 40) int ev, @ForAll @IntRange(min = 0, max = 5) int pad, @ForAll boolean causal,
      @ForAll @IntRange(min = 0, max = 999) int seed) {
    java.util.Random r = new java.util.Random(seed);
    int qs = e + pad, ks = e + pad + 1, vs = ev + pad, os = ev + pad, gs = ev + 2;
    float[] q = rand(r, 3 + l * qs), k = rand(r, 1 + s * ks), v = rand(r, 2 + s * vs), g = rand(r, l * gs);
    float scale = (float) (1 / Math.sqrt(e));
    float[][] outs = new float[2][];
    float[][] pRuns = new float[2][];
    float[][][] grads = new float[2][][];
    for (int twin = 0; twin < 2; twin++) {
      int ps = Sdpa.rowStride(s);
      float[] out = filled(l * os, 7f), p = filled(l * ps, 7f), ds = new float[l * ps];
      float[] scratch = new float[Math.max(e, ev) * ps];
      float[] dq = filled(l * qs, 7f), dk = filled(s * ks, 7f), dv = filled(s * vs, 7f);
      if (twin == 0) {
        Sdpa.forward(l, s, e, ev, scale, causal, q, 3, qs, k, 1, ks, v, 2, vs, p, 0, out, 0, os, scratch);
        Sdpa.backward(l, s, e, ev, scale, causal, q, 3, qs, k, 1, ks, v, 2, vs, p, 0, g, 0, gs, ds, scratch, dq, 0, qs, dk, 0, ks, dv, 0, vs);
      } else {
        ScalarSdpa.forward(l, s, e, ev, scale, causal, q, 3, qs, k, 1, ks, v, 2, vs, p, 0, out, 0, os, scratch);
        ScalarSdpa.backward(l, s, e, ev, scale, causal, q, 3, qs, k, 1, ks, v, 2, vs, p, 0, g, 0, gs, ds, scratch, dq, 0, qs, dk, 0, ks,
            dv, 0, vs);
      }
      outs[twin] = out;
      pRuns[twin] = p;
      grads[twin] = new float[][] {dq, dk, dv};
      assertPadding(out, l, os, ev, "out");
      assertPadding(dq, l, qs, e, "dq");
      assertPadding(dk, s, ks, e, "dk");
      assertPadding(dv, s, vs, ev, "dv");
      for (int i = 0; i < l; i++) {
        for (int j = causal ? Math.min(i + 1, s) : s; j < ps; j++) {
          assertEquals(0f, p[i * ps + j], "p above the diagonal or past s");
        }
      }
    }
    assertClose(outs[1], outs[0], 1e-5, "out");
    assertClose(pRuns[1], pRuns[0], 1e-6, "p");
    String[] what = {"dq", "dk", "dv"};
    for (int i = 0; i < 3; i++) {
      assertClose(grads[1][i], grads[0][i], 1e-5, what[i]);
    }
  }

  static float[] rand(java.util.Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }

  /** The floats between rows (stride minus width) still hold their 7s. */
  static void assertPadding(float[] a, int rows, int stride, int width, String what) {
    for (int i = 0; i < rows; i++) {
      for (int c = width; c < stride; c++) {
        assertEquals(7f, a[i * stride + c], what + ": padding of row " + i + " written");
      }
    }
  }

  @Test
  void sameBitsOnOneAndTwoThreads() {
    int before = Parallel.threads();
    try {
      float[][][] runs = new float[2][][];
      for (int n = 1; n <= 2; n++) {
        Parallel.setThreads(n);
        Generator gen = new Generator(5);
        Tensor qkv = Tensor.randn(gen, 64, 8, 3 * 64);
        runs[n - 1] = valueAndGrads(x -> FusedAttention.packed(x[0], 4, true), Tensor.randn(gen, 64, 8, 64), qkv);
      }
      assertArrayEquals(runs[0][0], runs[1][0], "output");
      assertArrayEquals(runs[0][1], runs[1][1], "gradient");
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void gradCheckPassesTheFusedOpAndCatchesAWrongAttentionBackward() {
    Generator gen = new Generator(3);
    Tensor q = Tensor.randn(gen, 2, 4, 3), k = Tensor.randn(gen, 2, 5, 3), v = Tensor.randn(gen, 2, 5, 2);
    GradCheck.assertGradients(x -> FusedAttention.apply(x[0], x[1], x[2], false), q, k, v);
    GradCheck.assertGradients(x -> FusedAttention.apply(x[0], x[1], x[2], true), q, k, v);
    GradCheck.assertGradients(x -> FusedAttention.packed(x[0], 2, true), Tensor.randn(gen, 2, 5, 12));
    // The classic slip: the softmax backward without its row term, ds = p·dp instead of p·(dp − Σ p·dp).
    Function wrong = new Function("attention, softmax backward without its row term") {
      protected Tensor forward(Context ctx, Tensor... x) {
        ctx.saveForBackward(x);
        return FusedAttention.apply(x[0], x[1], x[2], false);
      }

      protected Tensor[] backward(Context ctx, Tensor g) {
        Tensor sq = ctx.saved(0), sk = ctx.saved(1), sv = ctx.saved(2);
        float scale = (float) (1 / Math.sqrt(3));
        Tensor p = sq.matmul(sk.transpose(-2, -1)).mul(scale).softmax(-1);
        Tensor ds = p.mul(g.matmul(sv.transpose(-2, -1))).mul(scale);
        return new Tensor[] {ds.matmul(sk), ds.transpose(-2, -1).matmul(sq), p.transpose(-2, -1).matmul(g)};
      }
    };
    AssertionError caught = assertThrows(AssertionError.class, () -> GradCheck.assertGradients(x -> wrong.apply(x), q, k, v));
    assertEquals(true, caught.getMessage().contains("input 0") || caught.getMessage().contains("input 1"), caught.getMessage());
  }

  @Test
  void refusesShapesItCannotTake() {
    assertEquals("attention: packed qkv must be [B, T, 3·C] with C a multiple of nHead 4, got [2, 3, 18]",
        assertThrows(IllegalArgumentException.class, () -> FusedAttention.packed(Tensor.zeros(2, 3, 18), 4, true)).getMessage());
    assertEquals("scaledDotProductAttention (fused): leading dimensions of q [2, 3, 4], k [1, 3, 4] and v [2, 3, 4] differ",
        assertThrows(IllegalArgumentException.class,
            () -> FusedAttention.apply(Tensor.zeros(2, 3, 4), Tensor.zeros(1, 3, 4), Tensor.zeros(2, 3, 4), false)).getMessage());
  }

  @Test
  void broadcastLeadingDimensionsAndMasksStillTakeTheComposedPath() {
    Generator gen = new Generator(9);
    Tensor q = Tensor.randn(gen, 2, 3, 4), k = Tensor.randn(gen, 1, 5, 4), v = Tensor.randn(gen, 1, 5, 2);
    assertArrayEquals(Attention.scaledDotProductAttentionMath(q, k, v, null, true).toArray(),
        Attention.scaledDotProductAttention(q, k, v, null, true).toArray());
    Tensor mask = Tensor.randn(gen, 3, 5);
    assertArrayEquals(Attention.scaledDotProductAttentionMath(q, k, v, mask, false).toArray(),
        Attention.scaledDotProductAttention(q, k, v, mask, false).toArray());
  }
}
