package dev.downhill.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.downhill.autograd.Tensor;
import dev.downhill.optim.Adam;
import dev.downhill.optim.Golden;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.ParamGroup;
import dev.downhill.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every schedule against torch.optim.lr_scheduler (1.13): two groups (lr 0.1 and 0.02), the
 * learning rates after construction and after each of 30 steps, equal as doubles (PyTorch computes
 * them in Python doubles with the same formulas; only {@code cos} and {@code pow} could differ, by an
 * ulp). OneCycleLR's momentum (SGD) and beta1 (Adam) too.
 */
class ScheduleGoldenTest {
  static final double TOLERANCE = 1e-12;

  private static Optimizer sgd() {
    return new SGD(SGD.options().lr(0.1).momentum(0.9), ParamGroup.of(Tensor.zeros(2).requiresGrad(true)),
        ParamGroup.of(Tensor.zeros(3).requiresGrad(true)).set("lr", 0.02));
  }

  private static Optimizer adam() {
    return new Adam(Adam.options().lr(0.1), ParamGroup.of(Tensor.zeros(2).requiresGrad(true)),
        ParamGroup.of(Tensor.zeros(3).requiresGrad(true)).set("lr", 0.02));
  }

  private static JsonObject golden(String name) {
    for (JsonElement e : Golden.json().getAsJsonArray("schedules")) {
      if (e.getAsJsonObject().get("schedule").getAsString().equals(name)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError(name);
  }

  /** Runs the schedule as the script does and returns the worst relative difference. */
  private static double compare(String name, Optimizer opt, Function<Optimizer, LRScheduler> make, String momentumKey) {
    JsonObject g = golden(name);
    LRScheduler s = make.apply(opt);
    JsonArray lrs = g.getAsJsonArray("lrs");
    JsonArray moms = g.has("momentum") ? g.getAsJsonArray("momentum") : null;
    double worst = 0;
    for (int k = 0; k < lrs.size(); k++) {
      if (k > 0) {
        opt.step();
        s.step();
      }
      double[] expected = Golden.doubles(lrs.get(k));
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(opt.paramGroups().get(i).lr() - expected[i]) / Math.max(Math.abs(expected[i]), Double.MIN_NORMAL));
        if (moms != null) {
          double m = Golden.doubles(moms.get(k))[i];
          worst = Math.max(worst, Math.abs(opt.paramGroups().get(i).getDouble(momentumKey) - m) / m);
        }
      }
    }
    return worst;
  }

  private static void check(String name, Optimizer opt, Function<Optimizer, LRScheduler> make, String momentumKey) {
    double err = compare(name, opt, make, momentumKey);
    System.out.println("ScheduleGoldenTest: " + name + " worst relative error " + err);
    assertTrue(err <= TOLERANCE, name + ": worst relative error " + err);
  }

  @Test
  void stepLR() {
    check("StepLR", sgd(), o -> new StepLR(o, 3, 0.5), null);
  }

  @Test
  void exponentialLR() {
    check("ExponentialLR", sgd(), o -> new ExponentialLR(o, 0.9), null);
  }

  @Test
  void cosineAnnealingLRPastTMax() {
    check("CosineAnnealingLR", sgd(), o -> new CosineAnnealingLR(o, 10, 0.001), null);
  }

  @Test
  void linearLR() {
    check("LinearLR", sgd(), o -> new LinearLR(o, 0.25, 1.0, 8), null);
  }

  @Test
  void lambdaLR() {
    check("LambdaLR", sgd(), o -> new LambdaLR(o, e -> 1.0 / (1.0 + e)), null);
  }

  @Test
  void oneCycleLRWithMomentum() {
    check("OneCycleLR", sgd(), o -> new OneCycleLR(o, OneCycleLR.options(0.5, 30)), "momentum");
  }

  @Test
  void oneCycleLRThreePhaseLinearWithAdamBeta1() {
    check("OneCycleLR-threePhase-linear-Adam", adam(),
        o -> new OneCycleLR(o, OneCycleLR.options(0.5, 30).threePhase(true).annealStrategy("linear").pctStart(0.25)),
        "beta1");
  }

  @Test
  void sequentialWarmUpThenCosine() {
    check("SequentialLR", sgd(), o -> new SequentialLR(o,
        List.of(new LinearLR(o, 0.1, 1.0, 5), new CosineAnnealingLR(o, 20)), 5), null);
  }

  /** Teeth: the closed-form cosine instead of PyTorch's recursive one after T_max is caught. */
  @Test
  void theWrongFormulaIsCaught() {
    double err = compare("CosineAnnealingLR", sgd(), o -> new LRScheduler(o) {
      { initialStep(); }

      @Override
      protected double[] computeLr() {
        double[] lr = new double[groups()];
        for (int i = 0; i < lr.length; i++) {
          lr[i] = 0.001 + (baseLrs[i] - 0.001) * (1 + Math.cos(Math.PI * Math.min(lastEpoch, 10) / 10)) / 2;
        }
        return lr;
      }
    }, null);
    assertTrue(err > TOLERANCE, "relative error " + err);
  }

  @Test
  void stepEpochJumpsWithTheClosedFormAndOneCycleStopsAtTheEnd() {
    Optimizer opt = sgd();
    StepLR s = new StepLR(opt, 3, 0.5);
    s.step(7);
    assertEquals(0.1 * 0.25, opt.paramGroups().get(0).lr(), 1e-15);
    Optimizer o2 = sgd();
    OneCycleLR one = new OneCycleLR(o2, OneCycleLR.options(0.5, 3));
    for (int i = 0; i < 3; i++) {
      one.step();
    }
    var e = assertThrows(IllegalStateException.class, one::step);
    assertTrue(e.getMessage().contains("total steps is 3"), e.getMessage());
    var bad = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(), 0));
    assertTrue(bad.getMessage().contains("got 0"), bad.getMessage());
  }
}
