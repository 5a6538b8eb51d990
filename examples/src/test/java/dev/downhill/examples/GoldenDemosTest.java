package dev.downhill.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.downhill.optim.Adam;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.SGD;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The deterministic demos print what PyTorch prints for the chapters' code (golden/demos.json): every
 * golden line appears, in order, in the demo's output; and the numbers behind the lines agree with
 * torch's to a relative 1e-6 (of max(|expected|, 1)).
 */
class GoldenDemosTest {
  static final double TOL = 1e-6;

  @ParameterizedTest
  @ValueSource(strings = {"gd-1d", "gd-2d-surface", "ch8-loss", "ch8-gradient", "ch8-lr", "ch8-optimizers", "ch8-explode"})
  void printsTorchsLines(String id) {
    List<String> printed = DemoRuns.run(id).lines();
    int at = 0;
    for (String expected : Golden.lines(id)) {
      int found = printed.subList(at, printed.size()).indexOf(expected);
      if (found < 0) {
        fail(id + ": expected the line\n  " + expected + "\nafter line " + at + " of\n" + String.join("\n", printed));
      }
      at += found + 1;
    }
  }

  @Test
  void chapter8GradientPrintsExactlyTheChaptersLines() {
    assertEquals(Golden.lines("ch8-gradient"), DemoRuns.run("ch8-gradient").lines());
  }

  @Test
  void gd1dPath() {
    double[] expected = Golden.values("gd-1d", "steps");
    double[] actual = Gd1d.steps().stream().mapToDouble(Float::doubleValue).toArray();
    close("gd-1d steps", expected, actual);
  }

  @Test
  void gd2dPath() {
    List<float[]> path = Gd2dSurface.path();
    double[] x = path.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = path.stream().mapToDouble(p -> p[1]).toArray();
    close("gd-2d x", Golden.values("gd-2d-surface", "x"), x);
    close("gd-2d y", Golden.values("gd-2d-surface", "y"), y);
  }

  @Test
  void ch8LrLosses() {
    for (float lr : new float[] {0.01f, 0.1f, 0.5f, 1.0f, 1.5f}) {
      String key = dev.downhill.examples.kit.Py.repr(lr);
      close("ch8-lr " + key, Golden.values("ch8-lr", key), Ch8Lr.trainWithLr(lr, 20));
    }
  }

  @Test
  void ch8OptimizerTrajectories() {
    close("SGD", Golden.values("ch8-optimizers", "sgd"),
        Ch8Optimizers.trajectory(p -> new SGD(p, SGD.options().lr(0.1))));
    close("momentum", Golden.values("ch8-optimizers", "momentum"),
        Ch8Optimizers.trajectory(p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9))));
    close("Adam", Golden.values("ch8-optimizers", "adam"),
        Ch8Optimizers.trajectory(p -> new Adam(p, Adam.options().lr(1e-3))));
    close("AdamW", Golden.values("ch8-optimizers", "adamw"),
        Ch8Optimizers.trajectory(p -> new AdamW(p, AdamW.options().lr(1e-4).weightDecay(0.01))));
  }

  @Test
  void ch8ExplodeIsTwoToTheFiftyThenOne() {
    assertEquals(Math.pow(2, 50), Golden.value("ch8-explode", "grad"));
    assertEquals(Golden.value("ch8-explode", "clipped"), 1.0, 1e-6);
  }

  static void close(String what, double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1);
      worst = Math.max(worst, err);
      assertTrue(err <= TOL, what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
    System.out.println("GoldenDemosTest " + what + ": worst relative error " + worst);
  }
}
