package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.OptimizerKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, like {@code torch.optim.SGD}. For each
 * parameter, with g its gradient (negated when maximize):
 * <pre>
 *   g = g + weightDecay·p                              if weightDecay ≠ 0
 *   b = g  (first step)   b = momentum·b + (1 − dampening)·g  (later)     if momentum ≠ 0
 *   g = g + momentum·b  (nesterov)   or   g = b
 *   p = p − lr·g
 * </pre>
 * State per parameter: {@code momentum_buffer}. {@code lr} has no default, as in PyTorch.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * }</pre>
 */
public final class SGD extends Optimizer {

  /** SGD's options with PyTorch's defaults (momentum 0, dampening 0, no nesterov, no decay, minimize). */
  public static final class Options {
    double lr = Double.NaN;
    double momentum = 0;
    double dampening = 0;
    boolean nesterov = false;
    double weightDecay = 0;
    boolean maximize = false;

    public Options lr(double v) { lr = v; return this; }
    public Options momentum(double v) { momentum = v; return this; }
    public Options dampening(double v) { dampening = v; return this; }
    public Options nesterov(boolean v) { nesterov = v; return this; }
    public Options weightDecay(double v) { weightDecay = v; return this; }
    public Options maximize(boolean v) { maximize = v; return this; }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lr", lr);
      m.put("momentum", momentum);
      m.put("dampening", dampening);
      m.put("nesterov", nesterov);
      m.put("weightDecay", weightDecay);
      m.put("maximize", maximize);
      return m;
    }
  }

  /** Options with PyTorch's defaults; {@code lr} must be set. */
  public static Options options() {
    return new Options();
  }

  /** SGD over {@code params}, one group. */
  public SGD(List<Tensor> params, Options options) {
    this(options, ParamGroup.of(params));
  }

  /** SGD over parameter groups; options a group does not set come from {@code options}. */
  public SGD(Options options, ParamGroup... groups) {
    super("SGD", new ArrayList<>(List.of(groups)), options.toMap());
  }

  @Override
  protected void validate(ParamGroup g) {
    double lr = g.lr();
    if (Double.isNaN(lr)) {
      throw new IllegalArgumentException("SGD: lr is required (torch.optim.SGD has no default learning rate)");
    }
    requireAtLeastZero("SGD", "learning rate", lr);
    requireAtLeastZero("SGD", "momentum", g.getDouble("momentum"));
    requireAtLeastZero("SGD", "weightDecay", g.getDouble("weightDecay"));
    if (g.getBoolean("nesterov") && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
      throw new IllegalArgumentException("SGD: nesterov momentum requires a momentum and zero dampening, got momentum="
          + g.getDouble("momentum") + " dampening=" + g.getDouble("dampening"));
    }
  }

  @Override
  protected void update(ParamGroup g, Tensor p, Tensor grad, State s) {
    float momentum = (float) g.getDouble("momentum");
    boolean first = s.get("momentum_buffer") == null;
    float[] buf = momentum != 0f ? s.getOrCreate("momentum_buffer", p.numel(), 0f) : null;
    float sign = g.getBoolean("maximize") ? -1f : 1f;
    float wd = (float) g.getDouble("weightDecay");
    float keep = (float) (1 - g.getDouble("dampening"));
    boolean nesterov = g.getBoolean("nesterov");
    float lr = (float) g.lr();
    p.updateInPlace((pa, po, n) -> grad.readRange((ga, go, gn) ->
        OptimizerKernels.sgd(pa, po, ga, go, buf, 0, n, sign, wd, momentum, keep, nesterov, first, lr)));
    s.step++;
  }
}
