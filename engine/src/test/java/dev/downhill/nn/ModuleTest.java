package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.optim.AdamW;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module semantics: names, modes, zeroGrad, state dicts, printing, and the layers' documented behaviour. */
class ModuleTest {

  private static Sequential model(Generator g) {
    return new Sequential(new Linear(4, 8, g), new LayerNorm(8), new Dropout(0.5, g),
        new Residual(new Linear(8, 8, g)), new Linear(8, 2, false, g));
  }

  @Test
  void parametersHaveStableDottedNamesInRegistrationOrder() {
    Sequential m = model(new Generator(1));
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.f.weight", "3.f.bias", "4.weight"),
        List.copyOf(m.namedParameters().keySet()));
    assertEquals(7, m.parameters().size());
    assertSame(((Linear) m.get(0)).weight, m.namedParameters().get("0.weight"));
    class Net extends Module {
      final Sequential layers = registerModule("layers", new Sequential(new Linear(2, 3, new Generator(0))));
      final Tensor scale = registerParameter("scale", Parameter.of(Tensor.ones(1)));

      @Override
      public Tensor forward(Tensor x) {
        return layers.forward(x).mul(scale);
      }
    }
    assertEquals(List.of("scale", "layers.0.weight", "layers.0.bias"), List.copyOf(new Net().namedParameters().keySet()));
  }

  @Test
  void trainAndEvalReachEveryDescendant() {
    Sequential m = model(new Generator(1));
    m.eval();
    assertFalse(m.get(2).isTraining());
    assertFalse(((Residual) m.get(3)).namedChildren().get("f").isTraining());
    m.train();
    assertTrue(m.get(2).isTraining());
  }

  @Test
  void zeroGradDropsGradientsOrFillsZeros() {
    Sequential m = model(new Generator(1));
    m.eval();
    m.forward(Tensor.ones(3, 4)).sum().backward();
    Tensor w = ((Linear) m.get(0)).weight;
    m.zeroGrad(false);
    assertArrayEquals(new float[w.numel()], w.grad().toArray());
    m.zeroGrad();
    assertNull(w.grad());
  }

  @Test
  void stateDictRoundTripsAndRefusesMismatches() {
    Sequential a = model(new Generator(1));
    Sequential b = model(new Generator(2));
    Map<String, Tensor> sd = a.stateDict();
    assertNotEquals(a.namedParameters().get("0.weight").toArray()[0], b.namedParameters().get("0.weight").toArray()[0]);
    b.loadStateDict(sd);
    for (String k : sd.keySet()) {
      assertArrayEquals(a.namedParameters().get(k).toArray(), b.namedParameters().get(k).toArray(), k);
    }
    // the dict holds copies
    try (var ignored = dev.downhill.autograd.Autograd.noGrad()) {
      a.namedParameters().get("0.bias").addInPlace(Tensor.ones(1));
    }
    assertNotEquals(a.namedParameters().get("0.bias").toArray()[0], sd.get("0.bias").toArray()[0]);

    var wrongShape = new java.util.LinkedHashMap<>(sd);
    wrongShape.put("1.weight", Tensor.ones(7));
    var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrongShape));
    assertTrue(e.getMessage().contains("size mismatch for '1.weight'") && e.getMessage().contains("[7]")
        && e.getMessage().contains("[8]"), e.getMessage());
    var missing = new java.util.LinkedHashMap<>(sd);
    missing.remove("4.weight");
    missing.put("5.weight", Tensor.ones(1));
    e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(missing));
    assertTrue(e.getMessage().contains("missing keys [4.weight]") && e.getMessage().contains("unexpected keys [5.weight]"),
        e.getMessage());
  }

  @Test
  void printsLikePyTorch() {
    Sequential m = new Sequential(new Linear(2, 3, new Generator(0)), new Dropout(0.1, new Generator(0)));
    assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): Dropout(p=0.1, inplace=False)\n)",
        m.toString());
  }

  /** Expected strings are torch 1.13's {@code print(module)} for the same arguments. */
  @Test
  void printsNumbersAndFlagsAsPythonDoes() {
    assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", new LayerNorm(4).toString());
    assertEquals("LayerNorm((2, 3), eps=0.001, elementwise_affine=False)",
        new LayerNorm(new int[] {2, 3}, 1e-3, false).toString());
    assertEquals("Dropout(p=0.5, inplace=False)", new Dropout(0.5, new Generator(0)).toString());
    assertEquals("Softplus(beta=1, threshold=20)", new Softplus().toString());
    assertEquals("Softplus(beta=0.5, threshold=10.5)", new Softplus(0.5f, 10.5f).toString());
    assertEquals("LeakyReLU(negative_slope=0.2)", new LeakyReLU(0.2f).toString());
  }

  /** Python's repr(float) of each value, from CPython 3 (the interpreter torch 1.13 runs on). */
  @Test
  void pyReprMatchesPythonFloatRepr() {
    double[] values = {1e-05, 0.0001, 0.5, 0.1, 1.0, 1e16, 1e15, 123456.789, 1.5e-7, 2.5e20, -0.0, 0.01, 1e-3};
    String[] python = {"1e-05", "0.0001", "0.5", "0.1", "1.0", "1e+16", "1000000000000000.0", "123456.789",
        "1.5e-07", "2.5e+20", "-0.0", "0.01", "0.001"};
    for (int i = 0; i < values.length; i++) {
      assertEquals(python[i], PyRepr.of(values[i]), "repr(" + values[i] + ")");
    }
    assertEquals("True", PyRepr.of(true));
  }

  /** kaiming_uniform_(a=√5): bound √3·√(2/6)/√in (= 1/√in), then the bias U(±1/√in), drawn in that order. */
  @Test
  void linearInitialisesAsPyTorchDoes() {
    int in = 7;
    Linear lin = new Linear(in, 4, new Generator(3));
    Generator g = new Generator(3);
    double bound = Math.sqrt(3.0) * (Math.sqrt(2.0 / (1 + 5.0)) / Math.sqrt(in));
    assertEquals(1 / Math.sqrt(in), bound, 1e-15);
    float[] u = new float[28];
    g.fillUniform(u);
    float[] b = new float[4];
    g.fillUniform(b);
    for (int i = 0; i < u.length; i++) {
      assertEquals(u[i] * (float) (2 * bound) + (float) -bound, lin.weight.toArray()[i], "weight " + i);
    }
    double bb = 1 / Math.sqrt(in);
    for (int i = 0; i < b.length; i++) {
      assertEquals(b[i] * (float) (2 * bb) + (float) -bb, lin.bias.toArray()[i], "bias " + i);
    }
    var e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.ones(2, 6)));
    assertEquals("Linear: input of shape [2, 6] does not end with in_features=7", e.getMessage());
  }

  @Test
  void initHelpersUsePyTorchsFormulas() {
    Tensor w = Tensor.zeros(30, 20);
    assertEquals(20, Init.fanIn(w));
    assertEquals(30, Init.fanOut(w));
    Init.xavierUniform(w, 1.0, new Generator(0));
    double a = Math.sqrt(6.0 / 50);
    float max = w.abs().max().item();
    assertTrue(max <= a && max > 0.9 * a, "max " + max + " bound " + a);
    Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, "relu", new Generator(0));
    double std = Math.sqrt(w.mul(w).mean().item());
    assertEquals(Math.sqrt(2.0 / 30), std, 0.1 * Math.sqrt(2.0 / 30));
    assertEquals(5.0 / 3, Init.calculateGain("tanh", Double.NaN));
    assertEquals(Math.sqrt(2.0 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu", Double.NaN));
    assertArrayEquals(new float[] {2.5f, 2.5f}, Init.constant(Tensor.zeros(2), 2.5).toArray());
    var e = assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[3]"), e.getMessage());
  }

  @Test
  void dropoutIsInvertedInTrainingAndIdentityInEval() {
    Dropout d = new Dropout(0.25, new Generator(5));
    Tensor x = Tensor.ones(10000).requiresGrad(true);
    Tensor y = d.forward(x);
    float[] v = y.toArray();
    int kept = 0;
    for (float f : v) {
      assertTrue(f == 0f || f == (float) (1 / 0.75), "value " + f);
      kept += f != 0f ? 1 : 0;
    }
    assertEquals(7500, kept, 150); // ~3.5 standard deviations
    y.sum().backward();
    assertArrayEquals(v, x.grad().toArray()); // the gradient is the same mask
    d.eval();
    assertSame(x, d.forward(x));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(0)));
  }

  @Test
  void embeddingPicksRowsAndRefusesBadIndices() {
    Embedding e = new Embedding(5, 3, new Generator(0));
    Tensor idx = Tensor.of(new float[] {4, 0, 4, 2}, 2, 2);
    Tensor y = e.forward(idx);
    assertArrayEquals(new int[] {2, 2, 3}, y.shape());
    assertArrayEquals(e.weight.select(0, 4).toArray(), y.select(0, 0).select(0, 0).toArray());
    y.sum().backward();
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2}, e.weight.grad().toArray());
    var ex = assertThrows(IndexOutOfBoundsException.class, () -> e.forward(Tensor.of(new float[] {1, 5})));
    assertEquals("embedding: index 5 at position 1 is out of range for dimension 0 of size 5", ex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {1.5f})));
  }

  @Test
  void layerNormNormalizesTheTrailingDimensions() {
    LayerNorm ln = new LayerNorm(new int[] {2, 3}, 1e-5, true);
    Tensor x = Tensor.arange(12).reshape(2, 2, 3);
    Tensor y = ln.forward(x);
    Tensor row = y.select(0, 1).flatten();
    assertEquals(0f, row.mean().item(), 1e-6f);
    assertEquals(1f, row.mul(row).mean().item(), 1e-4f);
    var e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(2, 3, 2)));
    assertTrue(e.getMessage().contains("[2, 3, 2]"), e.getMessage());
  }

  @Test
  void aModelTrainsWithAdamW() {
    Generator g = new Generator(0);
    Sequential m = new Sequential(new Linear(1, 1, g));
    Tensor x = Tensor.randn(g, 100, 1);
    Tensor y = x.mul(3f).add(1f);
    AdamW opt = new AdamW(m.parameters(), AdamW.options().lr(0.1));
    float loss = 0;
    for (int i = 0; i < 300; i++) {
      opt.zeroGrad();
      Tensor l = m.forward(x).sub(y).pow(2f).mean();
      loss = l.item();
      l.backward();
      opt.step();
    }
    assertTrue(loss < 1e-3, "loss " + loss);
  }
}
