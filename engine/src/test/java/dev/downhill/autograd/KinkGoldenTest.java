package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.optim.Golden;
import dev.downhill.nn.Attention;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ops at their kinks (relu'(0), abs'(0), max/min ties over a dimension and overall, maximum
 * ties, clamp at its bounds, norm at zero, where with equal branches) and every op of issue 11 on
 * fixed inputs, and attention (the functional form and the nanoGPT module) against PyTorch 1.13: forward values, indices and the input gradients for a fixed
 * upstream gradient, from {@code src/test/python/golden_tensor_ops.py}'s
 * {@code golden/tensor_ops.json}. Values must agree to 1e-6 relative (most agree bit for bit).
 */
class KinkGoldenTest {
  static final double TOLERANCE = 1e-6;

  /** The Java side of each golden case: the same op on the same inputs. */
  static final Map<String, Function<Tensor[], Object>> OPS = new LinkedHashMap<>();

  static {
    OPS.put("relu at 0", x -> x[0].relu());
    OPS.put("abs at 0", x -> x[0].abs());
    OPS.put("max over all, ties", x -> x[0].max());
    OPS.put("min over all, ties", x -> x[0].min());
    OPS.put("max over dim 1, ties", x -> x[0].max(1));
    OPS.put("min over dim 0, ties", x -> x[0].min(0));
    OPS.put("max over dim 0, keepdim", x -> x[0].max(0, true));
    OPS.put("maximum, ties", x -> x[0].maximum(x[1]));
    OPS.put("minimum, ties, broadcast", x -> x[0].minimum(x[1]));
    OPS.put("clamp at its bounds", x -> x[0].clamp(0f, 1f));
    OPS.put("clamp, min above max", x -> x[0].clamp(2f, 1f));
    OPS.put("norm at zero", x -> x[0].norm());
    OPS.put("norm over dim 1, one row zero", x -> x[0].norm(1, false));
    OPS.put("where with equal branches", x -> Tensor.where(x[0].gt(0f), x[1], x[2]));
    OPS.put("sin", x -> x[0].sin());
    OPS.put("cos", x -> x[0].cos());
    OPS.put("where, broadcast", x -> Tensor.where(x[0].gt(0f), x[1], x[2]));
    OPS.put("maskedFill, causal", x -> x[0].maskedFill(x[1], -1e9f));
    OPS.put("indexSelect dim 1, repeats", x -> x[0].indexSelect(1, x[1]));
    OPS.put("indexSelect dim 0", x -> x[0].indexSelect(0, x[1]));
    OPS.put("gather dim 1, repeats", x -> x[0].gather(1, x[1]));
    OPS.put("gather dim 0, smaller index", x -> x[0].gather(0, x[1]));
    OPS.put("narrow dim 1", x -> x[0].narrow(1, 1, 2));
    OPS.put("select dim 1", x -> x[0].select(1, -1));
    OPS.put("stack dim 1", x -> Tensor.stack(1, x[0], x[1]));
    OPS.put("split 2 along dim 0, weighted", x -> weighted(x[0].split(2, 0), false));
    OPS.put("chunk 3 along dim 1, weighted", x -> weighted(x[0].chunk(3, 1), true));
    OPS.put("expand", x -> x[0].expand(2, 3, 2));
    OPS.put("tril -1", x -> x[0].tril(-1));
    OPS.put("triu 1", x -> x[0].triu(1));
    OPS.put("topk 2 dim 1", x -> x[0].topk(2, 1));
    OPS.put("topk 2 dim 0, smallest", x -> x[0].topk(2, 0, false));
    OPS.put("var dim 1 unbiased", x -> x[0].var(1, 1, false));
    OPS.put("var dim 0 population, keepdim", x -> x[0].var(0, 0, true));
    OPS.put("var all", x -> x[0].var(1));
    OPS.put("std dim 1 unbiased, keepdim", x -> x[0].std(1, 1, true));
    OPS.put("std all, population", x -> x[0].std(0));
    OPS.put("meshgrid xy, weighted", x -> weighted(Tensor.meshgrid("xy", x[0], x[1]), true));
    OPS.put("meshgrid ij, first grid", x -> Tensor.meshgrid("ij", x[0], x[1])[0]);
    OPS.put("eq", x -> x[0].eq(x[1]));
    OPS.put("ne", x -> x[0].ne(x[1]));
    OPS.put("lt, broadcast", x -> x[0].lt(x[1]));
    OPS.put("le", x -> x[0].le(x[1]));
    OPS.put("gt", x -> x[0].gt(x[1]));
    OPS.put("ge", x -> x[0].ge(x[1]));
    OPS.put("scaledDotProductAttention, causal", x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], null, true));
    OPS.put("scaledDotProductAttention, float mask, L != S",
        x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], x[3], false));
  }

  /** Cases another test checks: the attention module, in {@code nn.CausalSelfAttentionTest}. */
  static final java.util.Set<String> ELSEWHERE = java.util.Set.of("CausalSelfAttention, 2 heads");


  /** Σ (k + 1)·Σ p_k (or of p_k², when {@code squares}), as the script's weighted sums. */
  static Tensor weighted(Tensor[] pieces, boolean squares) {
    Tensor total = Tensor.scalar(0f);
    for (int k = 0; k < pieces.length; k++) {
      Tensor p = squares ? pieces[k].mul(pieces[k]) : pieces[k];
      total = total.add(p.sum().mul(k + 1f));
    }
    return total;
  }

  static final JsonObject GOLDEN = load();

  static JsonObject load() {
    try (Reader r = new InputStreamReader(KinkGoldenTest.class.getResourceAsStream("/golden/tensor_ops.json"),
        StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }



  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i], a = actual[i];
      boolean ok = Float.isNaN(e) ? Float.isNaN(a) : e == a || Math.abs(a - e) <= TOLERANCE * Math.max(1, Math.abs(e));
      if (!ok) {
        throw new AssertionError(what + " at " + i + ": PyTorch " + e + ", downhill " + a);
      }
    }
  }

  static List<JsonObject> cases() {
    List<JsonObject> out = new ArrayList<>();
    GOLDEN.getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
    return out;
  }

  @TestFactory
  Stream<DynamicTest> eachOpMatchesPyTorch() {
    return cases().stream().filter(c -> !ELSEWHERE.contains(c.get("name").getAsString())).map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
      String name = c.get("name").getAsString();
      JsonArray ins = c.getAsJsonArray("inputs");
      boolean backward = c.has("grads");
      Tensor[] xs = new Tensor[ins.size()];
      for (int i = 0; i < xs.length; i++) {
        JsonObject in = ins.get(i).getAsJsonObject();
        int[] shape = Golden.ints(in.get("shape"));
        xs[i] = Tensor.of(Golden.floats(in.get("values")), shape);
        if (backward && !c.getAsJsonArray("grads").get(i).isJsonNull()) {
          xs[i].requiresGrad(true);
        }
      }
      Object result = OPS.get(name).apply(xs);

      Tensor y = result instanceof Tensor.ValuesIndices vi ? vi.values() : (Tensor) result;
      assertArrayEquals(Golden.ints(c.get("shape")), y.shape(), name + ": shape");
      assertClose(Golden.floats(c.get("output")), y.toArray(), name + ": output");
      if (c.has("indices")) {
        assertClose(Golden.floats(c.get("indices")), ((Tensor.ValuesIndices) result).indices().toArray(), name + ": indices");
      }
      if (backward) {
        y.backward(Tensor.of(Golden.floats(c.get("upstream")), y.shape()));
        for (int i = 0; i < xs.length; i++) {
          JsonElement g = c.getAsJsonArray("grads").get(i);
          if (g.isJsonNull()) {
            assertNull(xs[i].grad(), name + ": input " + i + " takes no gradient");
          } else {
            assertNotNull(xs[i].grad(), name + ": input " + i + " got no gradient");
            assertClose(Golden.floats(g), xs[i].grad().toArray(), name + ": gradient of input " + i);
          }
        }
      }
    }));
  }

  @Test
  void everyGoldenCaseHasItsJavaOpAndTheOtherWayRound() {
    TreeSet<String> golden = new TreeSet<>(cases().stream().map(c -> c.get("name").getAsString()).toList());
    golden.removeAll(ELSEWHERE);
    assertEquals(new TreeSet<>(OPS.keySet()), golden);
  }
}
