package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.downhill.autograd.Tensor;
import dev.downhill.optim.Golden;
import org.junit.jupiter.api.Test;

/**
 * LayerNorm's output and gradients (input, weight, bias) against torch.nn.LayerNorm. PyTorch
 * multiplies by a reciprocal square root where this engine divides by the square root, and sums
 * in another order, so a few ulp apart: bound 1e-5 relative to max(|expected|, 1).
 */
class LayerNormGoldenTest {
  @Test
  void matchesPyTorch() {
    double worst = 0;
    for (JsonElement e : Golden.json().getAsJsonArray("layerNorm")) {
      JsonObject c = e.getAsJsonObject();
      int[] shape = c.getAsJsonArray("shape").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
      int[] ns = c.getAsJsonArray("normalizedShape").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
      LayerNorm ln = new LayerNorm(ns, 1e-5, true);
      ln.loadStateDict(java.util.Map.of("weight", Tensor.of(Golden.floats(c.get("weight")), ns),
          "bias", Tensor.of(Golden.floats(c.get("bias")), ns)));
      Tensor x = Tensor.of(Golden.floats(c.get("x")), shape).requiresGrad(true);
      Tensor y = ln.forward(x);
      y.backward(Tensor.of(Golden.floats(c.get("v")), shape));
      worst = Math.max(worst, Golden.relError(Golden.floats(c.get("y")), y.toArray(), 1));
      worst = Math.max(worst, Golden.relError(Golden.floats(c.get("gradX")), x.grad().toArray(), 1));
      worst = Math.max(worst, Golden.relError(Golden.floats(c.get("gradWeight")), ln.weight.grad().toArray(), 1));
      worst = Math.max(worst, Golden.relError(Golden.floats(c.get("gradBias")), ln.bias.grad().toArray(), 1));
    }
    System.out.println("LayerNormGoldenTest: worst relative error " + worst);
    assertTrue(worst <= 1e-5, "worst relative error " + worst);
  }
}
