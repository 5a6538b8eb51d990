package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.optim.Golden;
import dev.downhill.autograd.GradCheck;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The attention module against nanoGPT's forward written out in PyTorch (golden case
 * "CausalSelfAttention, 2 heads" of {@code golden/tensor_ops.json}), its gradient on drawn shapes,
 * and the causal rule: no output position depends on a later input position.
 */
class CausalSelfAttentionTest {
  static JsonObject golden(String name) {
    try (Reader r = new InputStreamReader(CausalSelfAttentionTest.class.getResourceAsStream("/golden/tensor_ops.json"),
        StandardCharsets.UTF_8)) {
      for (JsonElement c : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("cases")) {
        if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
          return c.getAsJsonObject();
        }
      }
      throw new IllegalStateException("no golden case " + name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }


  static Tensor tensor(JsonObject in) {
    return Tensor.of(Golden.floats(in.get("values")), in.getAsJsonArray("shape").asList().stream().mapToInt(JsonElement::getAsInt).toArray());
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 2e-6 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
    }
  }

  @Test
  void matchesNanoGptsForwardAndBackwardInPyTorch() {
    JsonObject c = golden("CausalSelfAttention, 2 heads");
    JsonArray in = c.getAsJsonArray("inputs");
    CausalSelfAttention attn = new CausalSelfAttention(8, 2, 0.0, new Generator(0));
    List<String> names = List.of("c_attn.weight", "c_attn.bias", "c_proj.weight", "c_proj.bias");
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      state.put(names.get(i), tensor(in.get(i + 1).getAsJsonObject()));
    }
    attn.loadStateDict(state);
    assertEquals(names, List.copyOf(attn.namedParameters().keySet()), "nanoGPT's parameter names");
    Tensor x = tensor(in.get(0).getAsJsonObject()).requiresGrad(true);
    Tensor y = attn.forward(x);
    assertClose(Golden.floats(c.get("output")), y.toArray(), "output");
    y.backward(Tensor.of(Golden.floats(c.get("upstream")), y.shape()));
    JsonArray grads = c.getAsJsonArray("grads");
    assertClose(Golden.floats(grads.get(0)), x.grad().toArray(), "gradient of x");
    for (int i = 0; i < names.size(); i++) {
      assertClose(Golden.floats(grads.get(i + 1)), attn.namedParameters().get(names.get(i)).grad().toArray(), names.get(i));
    }
  }

  @Property(tries = 15)
  void gradientsPassGradCheck(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 1, max = 5) int t,
      @ForAll @IntRange(min = 1, max = 2) int heads, @ForAll @IntRange(min = 0, max = 99) int seed) {
    int c = 2 * heads;
    CausalSelfAttention attn = new CausalSelfAttention(c, heads, 0.0, new Generator(seed));
    Tensor x = Tensor.randn(new Generator(seed + 1), b, t, c);
    GradCheck.assertGradients(xs -> attn.forward(xs[0]), x);
    Tensor q = Tensor.randn(new Generator(seed + 2), b, heads, t, 3);
    Tensor k = Tensor.randn(new Generator(seed + 3), b, heads, t + 1, 3);
    Tensor v = Tensor.randn(new Generator(seed + 4), b, heads, t + 1, 2);
    GradCheck.assertGradients(xs -> Attention.scaledDotProductAttention(xs[0], xs[1], xs[2], null, false), q, k, v);
    GradCheck.assertGradients(xs -> Attention.scaledDotProductAttention(xs[0], xs[1], xs[2], null, true), q, k, v);
  }

  @Test
  void noPositionSeesTheFuture() {
    CausalSelfAttention attn = new CausalSelfAttention(4, 2, 0.0, new Generator(1));
    Tensor x = Tensor.randn(new Generator(2), 1, 6, 4);
    float[] before = attn.forward(x).toArray();
    Tensor changed = x.copy();
    changed.set(100f, 0, 4, 1); // position 4 only
    float[] after = attn.forward(changed).toArray();
    assertArrayEquals(java.util.Arrays.copyOf(before, 4 * 4), java.util.Arrays.copyOf(after, 4 * 4), "positions 0-3 unchanged");
    assertThrows(AssertionError.class, () -> assertArrayEquals(before, after), "position 4 changed");
  }

  @Test
  void refusesShapesThatDoNotFit() {
    assertEquals("CausalSelfAttention: nEmbd 6 must be a positive multiple of nHead 4",
        assertThrows(IllegalArgumentException.class, () -> new CausalSelfAttention(6, 4, 0, new Generator(0))).getMessage());
    CausalSelfAttention attn = new CausalSelfAttention(4, 2, 0, new Generator(0));
    assertEquals("CausalSelfAttention: input must be [B, T, 4], got [2, 4]",
        assertThrows(IllegalArgumentException.class, () -> attn.forward(Tensor.zeros(2, 4))).getMessage());
    assertEquals("scaledDotProductAttention: q [1, 2, 3], k [1, 2, 4] and v [1, 2, 3] do not fit: need q [..., L, E],"
        + " k [..., S, E], v [..., S, Ev]", assertThrows(IllegalArgumentException.class,
        () -> Attention.scaledDotProductAttention(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 2, 4), Tensor.zeros(1, 2, 3), null,
            false)).getMessage());
  }
}
