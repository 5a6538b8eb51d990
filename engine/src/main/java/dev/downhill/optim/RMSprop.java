package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.OptimizerKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, like {@code torch.optim.RMSprop}:
 * <pre>
 *   g = g + weightDecay·p                                   if weightDecay ≠ 0
 *   sq = alpha·sq + (1 − alpha)·g²
 *   centered: ga = alpha·ga + (1 − alpha)·g,  avg = √(sq − ga²) + eps;   else avg = √sq + eps
 *   momentum > 0: b = momentum·b + g/avg,  p = p − lr·b;                 else p = p − lr·g/avg
 * </pre>
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, not centered, minimize. State
 * per parameter: {@code step}, {@code square_avg}, {@code grad_avg} (centered), {@code momentum_buffer}.
 */
public final class RMSprop extends Optimizer {

  /** RMSprop's options with PyTorch's defaults. */
  public static final class Options {
    double lr = 1e-2;
    double alpha = 0.99;
    double eps = 1e-8;
    double weightDecay = 0;
    double momentum = 0;
    boolean centered = false;
    boolean maximize = false;

    public Options lr(double v) { lr = v; return this; }
    public Options alpha(double v) { alpha = v; return this; }
    public Options eps(double v) { eps = v; return this; }
    public Options weightDecay(double v) { weightDecay = v; return this; }
    public Options momentum(double v) { momentum = v; return this; }
    public Options centered(boolean v) { centered = v; return this; }
    public Options maximize(boolean v) { maximize = v; return this; }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lr", lr);
      m.put("alpha", alpha);
      m.put("eps", eps);
      m.put("weightDecay", weightDecay);
      m.put("momentum", momentum);
      m.put("centered", centered);
      m.put("maximize", maximize);
      return m;
    }
  }

  /** Options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /** RMSprop over {@code params}, one group. */
  public RMSprop(List<Tensor> params, Options options) {
    this(options, ParamGroup.of(params));
  }

  /** RMSprop over parameter groups; options a group does not set come from {@code options}. */
  public RMSprop(Options options, ParamGroup... groups) {
    super("RMSprop", new ArrayList<>(List.of(groups)), options.toMap());
  }

  @Override
  protected void validate(ParamGroup g) {
    requireAtLeastZero("RMSprop", "learning rate", g.lr());
    requireAtLeastZero("RMSprop", "epsilon", g.getDouble("eps"));
    requireAtLeastZero("RMSprop", "momentum", g.getDouble("momentum"));
    requireAtLeastZero("RMSprop", "weightDecay", g.getDouble("weightDecay"));
    requireAtLeastZero("RMSprop", "alpha", g.getDouble("alpha"));
  }

  @Override
  protected void update(ParamGroup g, Tensor p, Tensor grad, State s) {
    int n = p.numel();
    double alpha = g.getDouble("alpha");
    double momentum = g.getDouble("momentum");
    float[] sq = s.getOrCreate("square_avg", n, 0f);
    float[] gavg = g.getBoolean("centered") ? s.getOrCreate("grad_avg", n, 0f) : null;
    float[] buf = momentum > 0 ? s.getOrCreate("momentum_buffer", n, 0f) : null;
    s.step++;
    float sign = g.getBoolean("maximize") ? -1f : 1f;
    float wd = (float) g.getDouble("weightDecay");
    float eps = (float) g.getDouble("eps");
    float lr = (float) g.lr();
    p.updateInPlace((pa, po, size) -> grad.readRange((ga, go, gn) ->
        OptimizerKernels.rmsprop(pa, po, ga, go, sq, 0, gavg, 0, buf, 0, size, sign, wd, (float) alpha,
            (float) (1 - alpha), eps, (float) momentum, lr)));
  }
}
