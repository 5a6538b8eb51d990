package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.downhill.autograd.Tensor;
import dev.downhill.optim.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Utils#clipGradNorm} and {@link Utils#clipGradValue} against torch.nn.utils (golden values). */
class ClipGradTest {

  /** Three parameters with the golden gradients, and a fourth without a gradient. */
  private static List<Tensor> params(JsonObject c) {
    List<Tensor> ps = new ArrayList<>();
    var shapes = c.getAsJsonArray("shapes");
    for (int i = 0; i < shapes.size(); i++) {
      int[] shape = shapes.get(i).getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray();
      Tensor p = Tensor.zeros(shape).requiresGrad(true);
      Tensor g = Tensor.of(Golden.floats(c.getAsJsonArray("grads").get(i)), shape);
      p.mul(g).sum().backward(); // leaves exactly g in p.grad()
      ps.add(p);
    }
    ps.add(Tensor.zeros(2).requiresGrad(true));
    return ps;
  }

  @Test
  void clipGradNormMatchesPyTorch() {
    double worst = 0;
    int n = 0;
    for (JsonElement e : Golden.json().getAsJsonArray("clip")) {
      JsonObject c = e.getAsJsonObject();
      List<Tensor> ps = params(c);
      String nt = c.get("normType").getAsString();
      double normType = nt.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(nt);
      float total = Utils.clipGradNorm(ps, c.get("maxNorm").getAsDouble(), normType, true);
      String what = "normType " + nt + " maxNorm " + c.get("maxNorm");
      worst = Math.max(worst, Math.abs(total - c.get("total").getAsDouble()) / c.get("total").getAsDouble());
      for (int i = 0; i < 3; i++) {
        float[] expected = Golden.floats(c.getAsJsonArray("clipped").get(i));
        worst = Math.max(worst, Golden.relError(expected, ps.get(i).grad().toArray(), 1e-3));
      }
      assertEquals(null, ps.get(3).grad(), what);
      n++;
    }
    System.out.println("ClipGradTest: " + n + " cases, worst relative error " + worst);
    // Norms are sums in another order than PyTorch's: a few ulp, far below this bound.
    assertTrue(worst <= 1e-6, "worst relative error " + worst);
    assertTrue(n >= 16);
  }

  @Test
  void theCoefficientIsAlwaysAppliedAndNonFiniteNormsCanBeRefused() {
    Tensor p = Tensor.zeros(2).requiresGrad(true);
    p.mul(Tensor.of(new float[] {Float.NaN, 1f})).sum().backward();
    assertTrue(Float.isNaN(Utils.clipGradNorm(List.of(p), 1.0)));
    assertTrue(Float.isNaN(p.grad().toArray()[1]), "NaN coefficient applied, as PyTorch");
    var e = assertThrows(IllegalStateException.class, () -> Utils.clipGradNorm(List.of(p), 1.0, 2.0, true));
    assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    assertEquals(0f, Utils.clipGradNorm(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0));
    var bad = assertThrows(IllegalArgumentException.class, () -> Utils.clipGradNorm(List.of(p), 1.0, 0.5, false));
    assertTrue(bad.getMessage().contains("0.5"), bad.getMessage());
  }

  @Test
  void clipGradValueClampsEveryGradient() {
    Tensor p = Tensor.zeros(4).requiresGrad(true);
    p.mul(Tensor.of(new float[] {-3f, -0.5f, 0.25f, 9f})).sum().backward();
    Utils.clipGradValue(List.of(p, Tensor.zeros(1).requiresGrad(true)), 1.0);
    assertArrayEquals(new float[] {-1f, -0.5f, 0.25f, 1f}, p.grad().toArray());
  }

  /** Teeth: clipping by maxNorm/total (no 1e-6) misses the golden values at the bound used above. */
  @Test
  void aMissingEpsilonWouldBeCaught() {
    JsonObject c = Golden.json().getAsJsonArray("clip").get(0).getAsJsonObject();
    List<Tensor> ps = params(c);
    float total = Utils.clipGradNorm(ps, 1000.0); // no clipping: just the norm
    float coef = (float) c.get("maxNorm").getAsDouble() / total;
    float[] g = Golden.floats(c.getAsJsonArray("grads").get(0));
    for (int i = 0; i < g.length; i++) {
      g[i] *= coef;
    }
    double err = Golden.relError(Golden.floats(c.getAsJsonArray("clipped").get(0)), g, 1e-3);
    assertTrue(err > 1e-6, "relative error " + err);
  }
}
