package dev.downhill.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an optimizer promises besides its formula: refusals, resuming, skipping, zeroGrad. */
class OptimizerBehaviourTest {

  private static Tensor param(float... v) {
    return Tensor.of(v).requiresGrad(true);
  }

  private static void refused(String expectedPart, Executable e) {
    var ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expectedPart), ex.getMessage());
  }

  @Test
  void invalidHyperParametersAreRefusedNamingTheValue() {
    List<Tensor> p = List.of(param(1f));
    refused("SGD: invalid learning rate value: -0.1", () -> new SGD(p, SGD.options().lr(-0.1)));
    refused("SGD: lr is required", () -> new SGD(p, SGD.options()));
    refused("SGD: invalid momentum value: -0.5", () -> new SGD(p, SGD.options().lr(0.1).momentum(-0.5)));
    refused("SGD: invalid weightDecay value: -1.0", () -> new SGD(p, SGD.options().lr(0.1).weightDecay(-1)));
    refused("nesterov momentum requires a momentum and zero dampening, got momentum=0.0",
        () -> new SGD(p, SGD.options().lr(0.1).nesterov(true)));
    refused("dampening=0.1", () -> new SGD(p, SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
    refused("Adam: invalid beta parameter at index 0: 1.0", () -> new Adam(p, Adam.options().betas(1.0, 0.999)));
    refused("Adam: invalid beta parameter at index 1: -0.1", () -> new Adam(p, Adam.options().betas(0.9, -0.1)));
    refused("Adam: invalid epsilon value: -1.0E-8", () -> new Adam(p, Adam.options().eps(-1e-8)));
    refused("AdamW: invalid learning rate value: -0.001", () -> new AdamW(p, AdamW.options().lr(-1e-3)));
    refused("RMSprop: invalid alpha value: -0.9", () -> new RMSprop(p, RMSprop.options().alpha(-0.9)));
    refused("RMSprop: invalid momentum value: -1.0", () -> new RMSprop(p, RMSprop.options().momentum(-1)));
    refused("Adagrad: invalid lrDecay value: -0.1", () -> new Adagrad(p, Adagrad.options().lrDecay(-0.1)));
    refused("Adagrad: invalid initialAccumulatorValue value: -1.0",
        () -> new Adagrad(p, Adagrad.options().initialAccumulatorValue(-1)));
    refused("SGD: optimizer got an empty parameter list", () -> new SGD(SGD.options().lr(0.1)));
    refused("unknown option 'betas'", () -> new SGD(SGD.options().lr(0.1), ParamGroup.of(p).set("betas", 0.9)));
    refused("more than one parameter group",
        () -> new SGD(SGD.options().lr(0.1), ParamGroup.of(p), ParamGroup.of(p)));
    refused("SGD: invalid learning rate value: -1.0",
        () -> new SGD(SGD.options().lr(0.1), ParamGroup.of(p).set("lr", -1.0)));
  }

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("SGD nesterov", (Function<List<Tensor>, Optimizer>) ps ->
            new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01))),
        Arguments.of("Adam amsgrad", (Function<List<Tensor>, Optimizer>) ps ->
            new Adam(ps, Adam.options().lr(0.05).amsgrad(true).weightDecay(0.01))),
        Arguments.of("AdamW", (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, AdamW.options().lr(0.05))),
        Arguments.of("RMSprop centered momentum", (Function<List<Tensor>, Optimizer>) ps ->
            new RMSprop(ps, RMSprop.options().lr(0.01).centered(true).momentum(0.5))),
        Arguments.of("Adagrad", (Function<List<Tensor>, Optimizer>) ps ->
            new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.01).initialAccumulatorValue(0.1))));
  }

  private static void train(Golden.Problem pb, Optimizer opt, int steps) {
    for (int s = 0; s < steps; s++) {
      opt.zeroGrad();
      pb.loss().get().backward();
      opt.step();
    }
  }

  /** Train 7 steps, save, load into a fresh optimizer over fresh parameters, train 8 more: the same bits as 15 straight. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void resumingFromAStateDictIsExact(String name, Function<List<Tensor>, Optimizer> make) {
    Golden.Problem straight = Golden.problem("multi");
    train(straight, make.apply(straight.params()), 15);

    Golden.Problem first = Golden.problem("multi");
    Optimizer a = make.apply(first.params());
    train(first, a, 7);
    Optimizer.StateDict saved = a.stateDict();
    List<float[]> checkpoint = first.params().stream().map(Tensor::toArray).toList();
    train(first, a, 3); // the saved dict is a copy: later steps must not reach it

    Golden.Problem resumed = Golden.problem("multi");
    try (var ignored = Autograd.noGrad()) {
      for (int i = 0; i < resumed.params().size(); i++) {
        resumed.params().get(i).copyFrom(Tensor.of(checkpoint.get(i), resumed.params().get(i).shape()));
      }
    }
    Optimizer b = make.apply(resumed.params());
    b.loadStateDict(saved);
    train(resumed, b, 8);
    assertArrayEquals(straight.flat(), resumed.flat(), name);
  }

  @Test
  void parametersWithoutAGradientAreSkippedAndGetNoState() {
    Golden.Problem pb = Golden.problem("multi");
    Tensor c = pb.params().get(2);
    float[] before = c.toArray();
    Adam opt = new Adam(pb.params(), Adam.options().lr(0.1));
    train(pb, opt, 3);
    assertArrayEquals(before, c.toArray());
    Optimizer.StateDict sd = opt.stateDict();
    assertEquals(List.of(0, 1), List.copyOf(sd.state().keySet()));
    assertEquals(3L, sd.state().get(0).get("step"));
  }

  @Test
  void zeroGradDropsGradientsByDefaultAndCanFillZeros() {
    Tensor w = param(1f, 2f);
    SGD opt = new SGD(List.of(w), SGD.options().lr(0.1));
    w.mul(w).sum().backward();
    opt.zeroGrad(false);
    assertNotNull(w.grad());
    assertArrayEquals(new float[] {0f, 0f}, w.grad().toArray());
    opt.zeroGrad();
    assertNull(w.grad());
  }

  @Test
  void loadingAMismatchedStateDictIsRefused() {
    Tensor w = param(1f, 2f);
    Adam a = new Adam(List.of(w), Adam.options());
    w.sum().backward();
    a.step();
    Adam other = new Adam(List.of(param(1f, 2f, 3f)), Adam.options());
    refused("state 'exp_avg' of parameter 0 has 2 values, the parameter has 3", () -> other.loadStateDict(a.stateDict()));
    Adam two = new Adam(Adam.options(), ParamGroup.of(param(1f)), ParamGroup.of(param(2f)));
    refused("loaded state dict has 1 parameter groups, this optimizer has 2", () -> two.loadStateDict(a.stateDict()));
  }

  @Test
  void theSameParameterTwiceInOneGroupIsRefused() {
    Tensor w = param(1f);
    refused("SGD: parameter group has the same parameter twice (at positions 0 and 2)",
        () -> new SGD(List.of(w, param(2f), w), SGD.options().lr(0.1)));
  }

  @Test
  void loadingOptionsOfTheWrongTypeOrValueIsRefusedAndChangesNothing() {
    Tensor w = param(1f, 2f);
    Adam a = new Adam(List.of(w), Adam.options().lr(0.01));
    Optimizer.StateDict sd = a.stateDict();
    sd.paramGroups().get(0).put("lr", "0.1");
    refused("Adam: option 'lr' must be a Double, got 0.1 (a String)", () -> a.loadStateDict(sd));
    sd.paramGroups().get(0).put("lr", -1.0);
    refused("Adam: invalid learning rate value: -1.0", () -> a.loadStateDict(sd));
    sd.paramGroups().get(0).put("lr", 0.5);
    sd.paramGroups().get(0).put("beta1", 1.5);
    refused("Adam: invalid beta parameter at index 0: 1.5", () -> a.loadStateDict(sd));
    assertEquals(0.01, a.paramGroups().get(0).lr());
    assertEquals(0.9, a.paramGroups().get(0).getDouble("beta1"));
    sd.paramGroups().get(0).put("beta1", 0.8);
    a.loadStateDict(sd);
    assertEquals(0.5, a.paramGroups().get(0).lr());
    assertEquals(0.8, a.paramGroups().get(0).getDouble("beta1"));
  }

  @Test
  void loadingStateOfTheWrongTypeIsRefusedNamingIt() {
    Tensor w = param(1f, 2f);
    Adam a = new Adam(List.of(w), Adam.options());
    w.sum().backward();
    a.step();
    Optimizer.StateDict sd = a.stateDict();
    sd.state().get(0).put("exp_avg", new double[2]);
    refused("Adam: state 'exp_avg' of parameter 0 must be a float[]", () -> a.loadStateDict(sd));
    sd.state().get(0).put("exp_avg", new float[2]);
    sd.state().get(0).put("step", "3");
    refused("Adam: state 'step' of parameter 0 must be a whole number >= 0, got 3", () -> a.loadStateDict(sd));
  }

  @Test
  void groupsKeepTheirOwnOptionsAndDefaultsFillTheRest() {
    Tensor a = param(1f);
    Tensor b = param(1f);
    SGD opt = new SGD(SGD.options().lr(0.1).momentum(0.9), ParamGroup.of(a), ParamGroup.of(b).set("lr", 0.01));
    assertEquals(0.1, opt.paramGroups().get(0).lr());
    assertEquals(0.01, opt.paramGroups().get(1).lr());
    assertEquals(0.9, opt.paramGroups().get(1).getDouble("momentum"));
    a.mul(2f).sum().backward();
    b.mul(2f).sum().backward();
    opt.step();
    assertEquals(1f - 0.1f * 2f, a.item());
    assertEquals(1f - 0.01f * 2f, b.item());
  }
}
