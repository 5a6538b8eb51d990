package dev.downhill.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.optim.Golden;
import dev.downhill.autograd.GeluApproximate;
import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Activations and losses against PyTorch (1.13, float32): forward values and input gradients for a
 * fixed upstream gradient, for every option combination the generator script
 * ({@code src/test/python/golden_activations_losses.py}) writes into
 * {@code golden/activations_losses.json}.
 */
class GoldenTest {
  private static final JsonObject GOLDEN = load();

  private static JsonObject load() {
    try (Reader r = new InputStreamReader(GoldenTest.class.getResourceAsStream("/golden/activations_losses.json"),
        StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }



  static Tensor tensor(JsonObject c, String values, String shape) {
    float[] v = Golden.floats(c.get(values));
    int[] s = Golden.ints(c.get(shape));
    return s.length == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, s);
  }

  /** |a − b| ≤ 2e-5·|b| + 2e-6·scale; NaN only where PyTorch has NaN. */
  static void assertNear(float[] expected, float[] actual, float scale, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i], a = actual[i];
      boolean ok = Float.isNaN(e) ? Float.isNaN(a) : Float.isInfinite(e) ? e == a
          : Math.abs(e - a) <= 2e-5f * Math.abs(e) + 2e-6f * scale;
      if (!ok) fail(what + ": index " + i + ": PyTorch " + e + ", downhill " + a);
    }
  }

  static float maxAbs(float[] v) {
    float m = 1f;
    for (float x : v) if (Float.isFinite(x)) m = Math.max(m, Math.abs(x));
    return m;
  }

  // ---- activations ----

  @TestFactory
  Stream<DynamicTest> activationsMatchPyTorch() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : GOLDEN.getAsJsonArray("activations")) {
      JsonObject c = e.getAsJsonObject();
      String name = c.get("name").getAsString();
      JsonObject o = c.getAsJsonObject("options");
      tests.add(DynamicTest.dynamicTest(name + " " + o, () -> {
        Tensor x = tensor(c, "x", "shape").requiresGrad(true);
        Tensor y = activation(name, o, x);
        float[] expectedY = Golden.floats(c.get("y"));
        assertNear(expectedY, y.toArray(), maxAbs(expectedY), name + " forward");
        y.backward(Tensor.of(Golden.floats(c.get("upstream")), Golden.ints(c.get("shape"))));
        float[] expectedGrad = Golden.floats(c.get("grad"));
        assertNear(expectedGrad, x.grad().toArray(), maxAbs(expectedGrad), name + " grad");
      }));
    }
    return tests.stream();
  }

  static Tensor activation(String name, JsonObject o, Tensor x) {
    return switch (name) {
      case "relu" -> x.relu();
      case "leakyRelu" -> o.has("negativeSlope") ? x.leakyRelu(o.get("negativeSlope").getAsFloat()) : x.leakyRelu();
      case "sigmoid" -> x.sigmoid();
      case "tanh" -> x.tanh();
      case "gelu" -> o.has("approximate") && o.get("approximate").getAsString().equals("tanh") ? x.gelu(GeluApproximate.TANH) : x.gelu();
      case "geluTanh" -> x.gelu(GeluApproximate.TANH);
      case "silu" -> x.silu();
      case "softplus" -> o.has("beta") ? x.softplus(o.get("beta").getAsFloat(), o.get("threshold").getAsFloat()) : x.softplus();
      case "softmax" -> x.softmax(o.get("dim").getAsInt());
      case "logSoftmax" -> x.logSoftmax(o.get("dim").getAsInt());
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** NaN, ±inf, ±0, ±100, tiny: forward values as PyTorch's, up to rounding (and the sign of a zero). */
  @TestFactory
  Stream<DynamicTest> specialValuesMatchPyTorch() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : GOLDEN.getAsJsonArray("specials")) {
      JsonObject c = e.getAsJsonObject();
      String name = c.get("name").getAsString();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        float[] x = Golden.floats(c.get("x"));
        float[] y = activation(name, new JsonObject(), Tensor.of(x)).toArray();
        float[] expected = Golden.floats(c.get("y"));
        for (int i = 0; i < x.length; i++) {
          float d = expected[i], a = y[i];
          // PyTorch flushes sigmoid(−100) to 0 where downhill keeps the subnormal 3.7e-44
          boolean ok = Float.isNaN(d) ? Float.isNaN(a) : Float.isInfinite(d) ? d == a
              : Math.abs(d - a) <= 4 * Math.ulp(d) || Math.abs(d - a) <= 1e-40f;
          if (!ok) fail(name + "(" + x[i] + "): PyTorch " + d + ", downhill " + a);
        }
      }));
    }
    return tests.stream();
  }

  /** The exact GELU (PyTorch in double) over [−16, 16]: within GELU_ULPS where the value is not tiny. */
  @Test
  void geluIsAccurateAgainstTheDoubleReference() {
    JsonObject ref = GOLDEN.getAsJsonObject("geluReference");
    float[] x = Golden.floats(ref.get("x"));
    JsonArray exact = ref.getAsJsonArray("gelu");
    float[] y = Tensor.of(x).gelu().toArray();
    for (int i = 0; i < x.length; i++) {
      float e = (float) exact.get(i).getAsDouble();
      if (Math.abs(e) < 1e-30f) {
        assertEquals(e, y[i], 1e-30f, "gelu(" + x[i] + ")");
        continue;
      }
      long ulps = Math.abs((long) Float.floatToIntBits(e) - Float.floatToIntBits(y[i]));
      if (ulps > dev.downhill.kernels.Activations.GELU_ULPS) {
        fail("gelu(" + x[i] + "): exact " + e + ", downhill " + y[i] + " (" + ulps + " ulps)");
      }
    }
  }

  // ---- losses ----

  @TestFactory
  Stream<DynamicTest> lossesMatchPyTorch() {
    List<DynamicTest> tests = new ArrayList<>();
    int k = 0;
    for (JsonElement e : GOLDEN.getAsJsonArray("losses")) {
      JsonObject c = e.getAsJsonObject();
      String name = c.get("name").getAsString();
      String label = (k++) + " " + name + " " + c.getAsJsonObject("options") + (c.get("weight").isJsonNull() ? "" : " weighted")
          + (c.get("posWeight").isJsonNull() ? "" : " posWeight");
      tests.add(DynamicTest.dynamicTest(label, () -> {
        Tensor x = tensor(c, "input", "inputShape").requiresGrad(true);
        Tensor t = tensor(c, "target", "targetShape");
        Tensor loss = loss(name, c, x, t);
        assertArrayEquals(Golden.ints(c.get("lossShape")), loss.shape(), label + ": shape");
        float[] expected = Golden.floats(c.get("loss"));
        assertNear(expected, loss.toArray(), maxAbs(expected), label + " loss");
        float[] up = Golden.floats(c.get("upstream"));
        loss.backward(loss.dim() == 0 ? Tensor.scalar(up[0]) : Tensor.of(up, loss.shape()));
        float[] grad = Golden.floats(c.get("grad"));
        assertNear(grad, x.grad().toArray(), maxAbs(grad), label + " grad");
      }));
    }
    return tests.stream();
  }

  static Tensor loss(String name, JsonObject c, Tensor x, Tensor t) {
    JsonObject o = c.getAsJsonObject("options");
    Reduction r = Reduction.valueOf(o.get("reduction").getAsString().toUpperCase(java.util.Locale.ROOT));
    Tensor w = c.get("weight").isJsonNull() ? null : Tensor.of(Golden.floats(c.get("weight")));
    Tensor pw = c.get("posWeight").isJsonNull() ? null : Tensor.of(Golden.floats(c.get("posWeight")));
    CrossEntropyOptions ce = CrossEntropyOptions.defaults().reduction(r).weight(w);
    if (o.has("ignoreIndex")) ce = ce.ignoreIndex(o.get("ignoreIndex").getAsInt());
    if (o.has("labelSmoothing")) ce = ce.labelSmoothing(o.get("labelSmoothing").getAsFloat());
    return switch (name) {
      case "mseLoss" -> Loss.mseLoss(x, t, r);
      case "l1Loss" -> Loss.l1Loss(x, t, r);
      case "smoothL1Loss" -> Loss.smoothL1Loss(x, t, o.get("beta").getAsFloat(), r);
      case "huberLoss" -> Loss.huberLoss(x, t, o.get("delta").getAsFloat(), r);
      case "crossEntropy" -> Loss.crossEntropy(x, t, ce);
      case "nllLoss" -> Loss.nllLoss(x, t, ce);
      case "binaryCrossEntropy" -> Loss.binaryCrossEntropy(x, t, w, r);
      case "binaryCrossEntropyWithLogits" -> Loss.binaryCrossEntropyWithLogits(x, t, w, pw, r);
      default -> throw new IllegalArgumentException(name);
    };
  }
}
