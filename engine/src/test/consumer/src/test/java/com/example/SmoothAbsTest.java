package com.example;

import dev.downhill.autograd.GradCheck;
import dev.downhill.autograd.Tensor;
import dev.downhill.io.Safetensors;
import dev.downhill.testing.TensorArbitraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SmoothAbsTest {
  @Provide
  Arbitrary<Tensor> xs() {
    return TensorArbitraries.tensors(TensorArbitraries.shapes(3, 9), TensorArbitraries.values(-3, 3));
  }

  @Property(tries = 50)
  void gradientMatchesFiniteDifferences(@ForAll("xs") Tensor x) {
    GradCheck.assertGradients(in -> SmoothAbs.apply(in[0]), x);
  }

  /** The engine's file formats need their JSON library at run time: a missing dependency shows here. */
  @Example
  void savesAndLoadsSafetensors() throws Exception {
    Path p = Files.createTempFile("consumer", ".safetensors");
    Safetensors.saveFile(Map.of("x", Tensor.of(new float[] {1, 2, 3})), p);
    float[] back = Safetensors.loadFile(p).get("x").toArray();
    if (!java.util.Arrays.equals(back, new float[] {1, 2, 3})) {
      throw new AssertionError("read back " + java.util.Arrays.toString(back));
    }
    Files.delete(p);
  }
}
