package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.OptimizerKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, like {@code torch.optim.Adagrad}: at step t (from 1),
 * <pre>
 *   clr = lr / (1 + (t − 1)·lrDecay)
 *   g = g + weightDecay·p                 if weightDecay ≠ 0
 *   sum = sum + g²                        (sum starts at initialAccumulatorValue)
 *   p = p − clr·g / (√sum + eps)
 * </pre>
 * Defaults: lr 0.01, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10, minimize. State
 * per parameter: {@code step}, {@code sum}.
 */
public final class Adagrad extends Optimizer {

  /** Adagrad's options with PyTorch's defaults. */
  public static final class Options {
    double lr = 1e-2;
    double lrDecay = 0;
    double weightDecay = 0;
    double initialAccumulatorValue = 0;
    double eps = 1e-10;
    boolean maximize = false;

    public Options lr(double v) { lr = v; return this; }
    public Options lrDecay(double v) { lrDecay = v; return this; }
    public Options weightDecay(double v) { weightDecay = v; return this; }
    public Options initialAccumulatorValue(double v) { initialAccumulatorValue = v; return this; }
    public Options eps(double v) { eps = v; return this; }
    public Options maximize(boolean v) { maximize = v; return this; }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lr", lr);
      m.put("lrDecay", lrDecay);
      m.put("weightDecay", weightDecay);
      m.put("initialAccumulatorValue", initialAccumulatorValue);
      m.put("eps", eps);
      m.put("maximize", maximize);
      return m;
    }
  }

  /** Options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /** Adagrad over {@code params}, one group. */
  public Adagrad(List<Tensor> params, Options options) {
    this(options, ParamGroup.of(params));
  }

  /** Adagrad over parameter groups; options a group does not set come from {@code options}. */
  public Adagrad(Options options, ParamGroup... groups) {
    super("Adagrad", new ArrayList<>(List.of(groups)), options.toMap());
  }

  @Override
  protected void validate(ParamGroup g) {
    requireAtLeastZero("Adagrad", "learning rate", g.lr());
    requireAtLeastZero("Adagrad", "lrDecay", g.getDouble("lrDecay"));
    requireAtLeastZero("Adagrad", "weightDecay", g.getDouble("weightDecay"));
    requireAtLeastZero("Adagrad", "initialAccumulatorValue", g.getDouble("initialAccumulatorValue"));
    requireAtLeastZero("Adagrad", "epsilon", g.getDouble("eps"));
  }

  @Override
  protected void update(ParamGroup g, Tensor p, Tensor grad, State s) {
    int n = p.numel();
    float[] sum = s.getOrCreate("sum", n, (float) g.getDouble("initialAccumulatorValue"));
    long t = ++s.step;
    double clr = g.lr() / (1 + (t - 1) * g.getDouble("lrDecay"));
    float sign = g.getBoolean("maximize") ? -1f : 1f;
    float wd = (float) g.getDouble("weightDecay");
    float eps = (float) g.getDouble("eps");
    p.updateInPlace((pa, po, size) -> grad.readRange((ga, go, gn) ->
        OptimizerKernels.adagrad(pa, po, ga, go, sum, 0, size, sign, wd, eps, (float) clr)));
  }
}
