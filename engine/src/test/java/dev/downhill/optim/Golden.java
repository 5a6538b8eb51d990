package dev.downhill.optim;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.autograd.Tensor;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The PyTorch golden values ({@code golden/optim.json}, written by
 * {@code engine/src/test/python/golden_optim.py} with torch 1.13), and the two problems they were
 * computed on, rebuilt here with the same float32 arithmetic.
 */
public final class Golden {
  private Golden() {}

  private static JsonObject root;

  /** The parsed JSON, read once. */
  public static synchronized JsonObject json() {
    if (root == null) {
      try (Reader r = new InputStreamReader(Golden.class.getResourceAsStream("/golden/optim.json"), StandardCharsets.UTF_8)) {
        root = JsonParser.parseReader(r).getAsJsonObject();
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** A JSON array of numbers as floats; the strings "nan", "inf" and "-inf" stand for the non-finite ones. */
  public static float[] floats(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      JsonElement v = a.get(i);
      f[i] = v.getAsJsonPrimitive().isString() ? switch (v.getAsString()) {
        case "nan" -> Float.NaN;
        case "inf" -> Float.POSITIVE_INFINITY;
        case "-inf" -> Float.NEGATIVE_INFINITY;
        default -> throw new IllegalArgumentException("golden: not a number: " + v.getAsString());
      } : v.getAsFloat();
    }
    return f;
  }

  /** A JSON array of whole numbers (a shape). */
  public static int[] ints(JsonElement e) {
    return e.getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray();
  }

  public static double[] doubles(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  /** A problem: its parameters and its loss (a fresh graph per call). */
  public record Problem(List<Tensor> params, java.util.function.Supplier<Tensor> loss) {
    /** All parameters flattened and concatenated, as the JSON records them. */
    public float[] flat() {
      int n = params.stream().mapToInt(Tensor::numel).sum();
      float[] out = new float[n];
      int k = 0;
      for (Tensor p : params) {
        float[] v = p.toArray();
        System.arraycopy(v, 0, out, k, v.length);
        k += v.length;
      }
      return out;
    }
  }

  /** quad1: (w − 5)² from w = 0; multi: two weighted quadratics over a [5] and b [2, 3], and c [3] left out of the loss. */
  public static Problem problem(String name) {
    if (name.equals("quad1")) {
      Tensor w = Tensor.of(new float[] {0f}).requiresGrad(true);
      Tensor t = Tensor.of(new float[] {5f});
      return new Problem(List.of(w), () -> w.sub(t).pow(2f).sum());
    }
    Tensor a = Tensor.of(new float[] {1f, -2f, 0.5f, 3f, -1f}).requiresGrad(true);
    Tensor b = Tensor.of(new float[] {0.2f, -0.4f, 1.2f, 2f, -3f, 0.7f}, 2, 3).requiresGrad(true);
    Tensor c = Tensor.of(new float[] {0.25f, -0.5f, 1f}).requiresGrad(true);
    Tensor ta = Tensor.of(new float[] {0.5f, -1f, 2f, 0f, 1.5f});
    Tensor ca = Tensor.of(new float[] {0.05f, 0.3f, 1f, 2f, 3.5f});
    Tensor tb = Tensor.of(new float[] {1f, 1f, 1f, -1f, -1f, -1f}, 2, 3);
    Tensor cb = Tensor.of(new float[] {0.1f, 0.5f, 1.5f, 0.2f, 0.8f, 2.5f}, 2, 3);
    return new Problem(List.of(a, b, c),
        () -> ca.mul(a.sub(ta).pow(2f)).sum().add(cb.mul(b.sub(tb).pow(2f)).sum()));
  }

  /** Worst relative error |a − e| / max(|e|, floor) over the arrays. */
  public static double relError(float[] expected, float[] actual, double floor) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double err = Math.abs(actual[i] - e) / Math.max(Math.abs(e), floor);
      if (Double.isNaN(err)) {
        return Double.POSITIVE_INFINITY;
      }
      worst = Math.max(worst, err);
    }
    return worst;
  }
}
