package dev.downhill.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;

/** golden/demos.json, written by src/test/python/golden_demos.py from PyTorch. */
final class Golden {
  private Golden() {}

  static final JsonObject ALL = load();

  private static JsonObject load() {
    try (Reader r = new InputStreamReader(Golden.class.getResourceAsStream("/golden/demos.json"), StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read golden/demos.json", e);
    }
  }

  static List<String> lines(String id) {
    return StreamSupport.stream(ALL.getAsJsonObject(id).getAsJsonArray("lines").spliterator(), false)
        .map(JsonElement::getAsString).toList();
  }

  static double[] values(String id, String key) {
    JsonArray a = ALL.getAsJsonObject(id).getAsJsonObject("values").getAsJsonArray(key);
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  static double value(String id, String key) {
    return ALL.getAsJsonObject(id).getAsJsonObject("values").get(key).getAsDouble();
  }
}
