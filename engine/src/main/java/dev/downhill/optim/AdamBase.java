package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.OptimizerKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Adam} and {@link AdamW} share: options, validation and the fused update. */
public abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
  private final boolean decoupled;

  /** Options of Adam and AdamW; {@link Adam#options()} and {@link AdamW#options()} give PyTorch's defaults. */
  public static final class Options {
    double lr;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean amsgrad = false;
    boolean maximize = false;

    Options(double lr, double weightDecay) {
      this.lr = lr;
      this.weightDecay = weightDecay;
    }

    public Options lr(double v) { lr = v; return this; }
    /** PyTorch's {@code betas=(beta1, beta2)}. */
    public Options betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
    public Options eps(double v) { eps = v; return this; }
    public Options weightDecay(double v) { weightDecay = v; return this; }
    public Options amsgrad(boolean v) { amsgrad = v; return this; }
    public Options maximize(boolean v) { maximize = v; return this; }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lr", lr);
      m.put("beta1", beta1);
      m.put("beta2", beta2);
      m.put("eps", eps);
      m.put("weightDecay", weightDecay);
      m.put("amsgrad", amsgrad);
      m.put("maximize", maximize);
      return m;
    }
  }

  AdamBase(String name, boolean decoupled, List<ParamGroup> groups, Options options) {
    super(name, groups, options.toMap());
    this.decoupled = decoupled;
  }

  @Override
  protected void validate(ParamGroup g) {
    String n = name();
    requireAtLeastZero(n, "learning rate", g.lr());
    requireAtLeastZero(n, "epsilon", g.getDouble("eps"));
    requireBeta(n, 0, g.getDouble("beta1"));
    requireBeta(n, 1, g.getDouble("beta2"));
    requireAtLeastZero(n, "weightDecay", g.getDouble("weightDecay"));
  }

  @Override
  protected void update(ParamGroup g, Tensor p, Tensor grad, State s) {
    updateGroup(g, List.of(p), List.of(grad), List.of(s));
  }

  /** One pass over the whole group ({@link OptimizerKernels#adamGroup}): the same bits as one call per tensor. */
  @Override
  protected void updateGroup(ParamGroup g, List<Tensor> params, List<Tensor> grads, List<State> states) {
    int k = params.size();
    if (k == 0) {
      return;
    }
    boolean amsgrad = g.getBoolean("amsgrad");
    double lr = g.lr();
    double wd = g.getDouble("weightDecay");
    double beta1 = g.getDouble("beta1");
    double beta2 = g.getDouble("beta2");
    float[][] m = new float[k][];
    float[][] v = new float[k][];
    float[][] vmax = amsgrad ? new float[k][] : null;
    int[] n = new int[k];
    float[] stepSize = new float[k];
    float[] bc2Sqrt = new float[k];
    for (int i = 0; i < k; i++) {
      State s = states.get(i);
      n[i] = params.get(i).numel();
      m[i] = s.getOrCreate("exp_avg", n[i], 0f);
      v[i] = s.getOrCreate("exp_avg_sq", n[i], 0f);
      if (amsgrad) {
        vmax[i] = s.getOrCreate("max_exp_avg_sq", n[i], 0f);
      }
      long t = ++s.step;
      // The per-step scalars in double, as PyTorch computes them in Python.
      stepSize[i] = (float) (lr / (1 - Math.pow(beta1, t)));
      bc2Sqrt[i] = (float) Math.sqrt(1 - Math.pow(beta2, t));
    }
    float decay = decoupled ? (float) (1 - lr * wd) : 1f;
    float l2 = decoupled ? 0f : (float) wd;
    float sign = g.getBoolean("maximize") ? -1f : 1f;
    float eps = (float) g.getDouble("eps");
    Tensor.updateInPlace(params, grads, (pa, po, ga, go) -> OptimizerKernels.adamGroup(pa, po, ga, go, m, v, vmax, n,
        sign, decay, l2, (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), stepSize, bc2Sqrt, eps));
  }

  @Override
  public String toString() {
    return name() + paramGroups().get(0).options();
  }
}
