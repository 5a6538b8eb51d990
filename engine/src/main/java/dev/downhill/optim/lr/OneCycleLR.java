package dev.downhill.optim.lr;

import dev.downhill.optim.Optimizer;
import dev.downhill.optim.ParamGroup;
import java.util.List;

/**
 * The 1cycle policy, like {@code OneCycleLR}: the learning rate rises from maxLr/divFactor to maxLr
 * over the first pctStart of {@code totalSteps}, then falls to initial/finalDivFactor (cosine or
 * linear annealing); with {@code cycleMomentum} the momentum (SGD, RMSprop) or beta1 (Adam, AdamW)
 * moves the opposite way between maxMomentum and baseMomentum. Step it after every batch; stepping
 * past totalSteps throws, as in PyTorch.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, OneCycleLR.options(0.1, 1000).pctStart(0.25));
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {

  /** OneCycleLR's options with PyTorch's defaults. */
  public static final class Options {
    final double maxLr;
    final int totalSteps;
    double pctStart = 0.3;
    boolean cosine = true;
    boolean cycleMomentum = true;
    double baseMomentum = 0.85;
    double maxMomentum = 0.95;
    double divFactor = 25;
    double finalDivFactor = 1e4;
    boolean threePhase = false;

    Options(double maxLr, int totalSteps) {
      this.maxLr = maxLr;
      this.totalSteps = totalSteps;
    }

    public Options pctStart(double v) { pctStart = v; return this; }
    /** {@code anneal_strategy}: "cos" (default) or "linear". */
    public Options annealStrategy(String v) {
      if (!v.equals("cos") && !v.equals("linear")) {
        throw new IllegalArgumentException("OneCycleLR: annealStrategy must be 'cos' or 'linear', got '" + v + "'");
      }
      cosine = v.equals("cos");
      return this;
    }
    public Options cycleMomentum(boolean v) { cycleMomentum = v; return this; }
    public Options baseMomentum(double v) { baseMomentum = v; return this; }
    public Options maxMomentum(double v) { maxMomentum = v; return this; }
    public Options divFactor(double v) { divFactor = v; return this; }
    public Options finalDivFactor(double v) { finalDivFactor = v; return this; }
    public Options threePhase(boolean v) { threePhase = v; return this; }
  }

  /** Options for a cycle peaking at {@code maxLr} over {@code totalSteps} steps ({@code epochs × stepsPerEpoch}). */
  public static Options options(double maxLr, int totalSteps) {
    return new Options(maxLr, totalSteps);
  }

  private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

  private final Options o;
  private final List<Phase> phases;
  private final String momentumKey;

  public OneCycleLR(Optimizer optimizer, Options options) {
    super(prepare(optimizer, options));
    this.o = options;
    double total = options.totalSteps;
    phases = options.threePhase
        ? List.of(new Phase(options.pctStart * total - 1, "initialLr", "maxLr", "maxMomentum", "baseMomentum"),
            new Phase(2 * options.pctStart * total - 2, "maxLr", "initialLr", "baseMomentum", "maxMomentum"),
            new Phase(total - 1, "initialLr", "minLr", "maxMomentum", "maxMomentum"))
        : List.of(new Phase(options.pctStart * total - 1, "initialLr", "maxLr", "maxMomentum", "baseMomentum"),
            new Phase(total - 1, "maxLr", "minLr", "baseMomentum", "maxMomentum"));
    momentumKey = momentumKey(optimizer, options);
    initialStep();
  }

  private static String momentumKey(Optimizer optimizer, Options o) {
    if (!o.cycleMomentum) {
      return null;
    }
    return optimizer.defaults().containsKey("beta1") ? "beta1" : "momentum";
  }

  /** Checks the options and writes PyTorch's per-group keys before the base constructor reads initialLr. */
  private static Optimizer prepare(Optimizer optimizer, Options o) {
    if (o.totalSteps <= 0) {
      throw new IllegalArgumentException("OneCycleLR: expected a positive totalSteps, got " + o.totalSteps);
    }
    if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
      throw new IllegalArgumentException("OneCycleLR: expected pctStart in [0, 1], got " + o.pctStart);
    }
    if (o.cycleMomentum && !optimizer.defaults().containsKey("momentum") && !optimizer.defaults().containsKey("beta1")) {
      throw new IllegalArgumentException("OneCycleLR: the optimizer has no momentum or beta1 to cycle;"
          + " pass cycleMomentum(false)");
    }
    String key = momentumKey(optimizer, o);
    for (ParamGroup g : optimizer.paramGroups()) {
      g.set("initialLr", o.maxLr / o.divFactor);
      g.set("maxLr", o.maxLr);
      g.set("minLr", g.getDouble("initialLr") / o.finalDivFactor);
      if (key != null) {
        g.set(key, o.maxMomentum);
        g.set("maxMomentum", o.maxMomentum);
        g.set("baseMomentum", o.baseMomentum);
      }
    }
    return optimizer;
  }

  private double anneal(double start, double end, double pct) {
    return o.cosine ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  @Override
  protected double[] computeLr() {
    int stepNum = lastEpoch;
    if (stepNum > o.totalSteps) {
      throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the specified number"
          + " of total steps is " + o.totalSteps);
    }
    return perGroup(i -> {
      ParamGroup g = optimizer.paramGroups().get(i);
      double start = 0;
      for (int k = 0; ; k++) {
        Phase ph = phases.get(k);
        if (stepNum <= ph.endStep() || k == phases.size() - 1) {
          double pct = (stepNum - start) / (ph.endStep() - start);
          double lr = anneal(g.getDouble(ph.startLr()), g.getDouble(ph.endLr()), pct);
          if (momentumKey != null) {
            g.set(momentumKey, anneal(g.getDouble(ph.startMomentum()), g.getDouble(ph.endMomentum()), pct));
          }
          return lr;
        }
        start = ph.endStep();
      }
    });
  }
}
