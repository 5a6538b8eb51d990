package dev.downhill.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files exchanged with PyTorch, both committed under {@code src/test/resources/interop/}:
 * {@code engine_written.*} are what this class writes (checked here byte for byte, so the committed
 * copy is what the engine writes today); {@code engine/src/test/python/safetensors_interop.py}, run
 * with Debian's python3-torch 1.13, reads them into torch tensors, checks every bit and loads the
 * model part with {@code load_state_dict}, then writes {@code torch_written.*} from torch tensors,
 * which the tests here read. To regenerate the engine side:
 * {@code ./mvnw test -pl engine -Dtest=InteropTest -Ddownhill.interop.write=$PWD/engine/src/test/resources/interop}.
 */
class InteropTest {
  @TempDir Path dir;

  /** The torch model's architecture: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)). */
  static Sequential model(Generator g) {
    return new Sequential(new Linear(4, 3, g), new ReLU(), new Linear(3, 2, g));
  }

  /** 24 float bit patterns, the first six special: a NaN with a payload, −0, ±inf, the least subnormal, the largest float. */
  static int[] patternBits() {
    int[] bits = new int[24];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = 0x3f800000 + i * 0x00123457 - (i % 2) * 0x40000000;
    }
    int[] special = {0x7fc01234, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x7f7fffff};
    System.arraycopy(special, 0, bits, 0, special.length);
    return bits;
  }

  static Tensor fromBits(int[] bits, int... shape) {
    float[] f = new float[bits.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = Float.intBitsToFloat(bits[i]);
    }
    return Tensor.of(f, shape);
  }

  static Map<String, Tensor> engineTensors() {
    Map<String, Tensor> m = new LinkedHashMap<>(model(new Generator(0)).stateDict());
    m.put("pattern", fromBits(patternBits(), 2, 3, 4));
    return m;
  }

  static void writeEngineFiles(Path to) throws IOException {
    Safetensors.saveFile(engineTensors(), to.resolve("engine_written.safetensors"), Map.of("format", "pt"));
    Npy.save(fromBits(patternBits(), 2, 3, 4), to.resolve("engine_written.npy"));
    // A checkpoint after one SGD step with momentum; the loss sum(p·c) makes every gradient exactly c,
    // so the file's bits depend on no kernel's rounding.
    Sequential m = model(new Generator(0));
    SGD opt = new SGD(m.parameters(), SGD.options().lr(0.5).momentum(0.9));
    Tensor loss = Tensor.scalar(0f);
    for (Tensor p : m.parameters()) {
      loss = loss.add(p.mul(Tensor.full(0.25f, p.shape())).sum());
    }
    loss.backward();
    opt.step();
    Checkpoint.save(to.resolve("engine_checkpoint.safetensors"), m, opt, null, 1);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = InteropTest.class.getResourceAsStream("/interop/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /interop/" + name);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void theCommittedEngineFilesAreWhatTheEngineWritesToday() throws IOException {
    String out = System.getProperty("downhill.interop.write");
    if (out != null) {
      writeEngineFiles(Path.of(out));
    }
    writeEngineFiles(dir);
    assertArrayEquals(Files.readAllBytes(dir.resolve("engine_written.safetensors")), resource("engine_written.safetensors"));
    assertArrayEquals(Files.readAllBytes(dir.resolve("engine_written.npy")), resource("engine_written.npy"));
    assertArrayEquals(Files.readAllBytes(dir.resolve("engine_checkpoint.safetensors")), resource("engine_checkpoint.safetensors"));
  }

  static int[] bits(Tensor t) {
    float[] f = t.toArray();
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  static int[] ints(JsonElement array) {
    return java.util.stream.StreamSupport.stream(array.getAsJsonArray().spliterator(), false).mapToInt(e -> (int) e.getAsLong()).toArray();
  }

  @Test
  void torchsFileLoadsBitForBitAndIntoTheSameArchitecture() throws IOException {
    Path st = dir.resolve("torch_written.safetensors");
    Files.write(st, resource("torch_written.safetensors"));
    JsonObject expected = JsonParser.parseString(new String(resource("torch_written.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    Map<String, Tensor> loaded = Safetensors.loadFile(st);
    JsonObject tensors = expected.getAsJsonObject("tensors");
    assertEquals(tensors.keySet(), loaded.keySet());
    for (String name : tensors.keySet()) {
      JsonObject t = tensors.getAsJsonObject(name);
      assertArrayEquals(ints(t.get("shape")), loaded.get(name).shape(), name);
      assertArrayEquals(ints(t.get("bits")), bits(loaded.get(name)), name);
    }
    assertArrayEquals(patternBits(), bits(loaded.get("pattern")), "torch's file carries the same bit patterns");
    Module m = model(new Generator(99));
    Map<String, Tensor> sd = new LinkedHashMap<>(loaded);
    sd.remove("pattern");
    m.loadStateDict(sd);
    JsonObject x = expected.getAsJsonObject("input");
    JsonObject y = expected.getAsJsonObject("output");
    float[] out = m.forward(fromBits(ints(x.get("bits")), ints(x.get("shape")))).toArray();
    float[] want = fromBits(ints(y.get("bits")), ints(y.get("shape"))).toArray();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], out[i], 1e-6f * Math.max(1, Math.abs(want[i])), "output " + i);
    }
    Path npy = dir.resolve("torch_written.npy");
    Files.write(npy, resource("torch_written.npy"));
    assertArrayEquals(patternBits(), bits(Npy.load(npy)));
    assertArrayEquals(new int[] {2, 3, 4}, Npy.load(npy).shape());
  }
}
