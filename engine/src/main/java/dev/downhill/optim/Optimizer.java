package dev.downhill.optim;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.OpTrace;
import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every optimizer, like {@code torch.optim.Optimizer}: parameter groups with their own
 * hyper-parameters, per-parameter state, {@link #step()}, {@link #zeroGrad()} and a state dict to
 * save and resume training exactly.
 *
 * <p>{@link #step()} runs without recording a graph and updates, in place, every parameter that has
 * a gradient; parameters whose gradient is null are skipped (their state does not advance). Each
 * parameter is updated by one fused kernel pass ({@code dev.downhill.kernels.OptimizerKernels}).
 */
public abstract class Optimizer {
  private final String name;
  private final String traceName;
  private final Map<String, Object> defaults;
  private final List<ParamGroup> groups = new ArrayList<>();
  private final Map<Tensor, State> state = new IdentityHashMap<>();

  /** A parameter's running state: the step count and named buffers of the parameter's size. */
  protected static final class State {
    /** Steps taken for this parameter. */
    public long step;
    final Map<String, float[]> buffers = new LinkedHashMap<>();

    /** The buffer called {@code key}, or null if it does not exist yet. */
    public float[] get(String key) {
      return buffers.get(key);
    }

    /** The buffer called {@code key}, created filled with {@code init} when missing. */
    public float[] getOrCreate(String key, int n, float init) {
      return buffers.computeIfAbsent(key, k -> {
        float[] b = new float[n];
        dev.downhill.kernels.Elementwise.fill(b, 0, n, init);
        return b;
      });
    }
  }

  /**
   * @param name the optimizer's name for messages
   * @param groups parameter groups; their missing options are taken from {@code defaults}
   * @param defaults every option this optimizer has, with its default value
   */
  protected Optimizer(String name, List<ParamGroup> groups, Map<String, Object> defaults) {
    this.name = name;
    this.traceName = name + ".step";
    this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
    }
    for (ParamGroup g : groups) {
      addParamGroup(g);
    }
  }

  /** Adds a group (say, layers unfrozen later), filling its missing options from the defaults. */
  public final void addParamGroup(ParamGroup group) {
    checkOptions(group);
    if (group.params().isEmpty()) {
      throw new IllegalArgumentException(name + ": a parameter group has no parameters");
    }
    Map<Tensor, Integer> seen = new IdentityHashMap<>();
    for (int i = 0; i < group.params().size(); i++) {
      Tensor p = group.params().get(i);
      if (!p.isLeaf()) {
        throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (made by '" + p.gradFn() + "')");
      }
      Integer first = seen.putIfAbsent(p, i);
      if (first != null) {
        throw new IllegalArgumentException(name + ": parameter group has the same parameter twice (at positions "
            + first + " and " + i + "); it would be updated twice per step");
      }
      for (ParamGroup other : groups) {
        for (Tensor q : other.params()) {
          if (q == p) {
            throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group");
          }
        }
      }
    }
    validate(group);
    groups.add(group);
  }

  /** Refuses unknown options and options of the wrong type; fills the missing ones from the defaults. */
  private void checkOptions(ParamGroup group) {
    for (String key : group.options().keySet()) {
      if (!defaults.containsKey(key)) {
        throw new IllegalArgumentException(name + ": unknown option '" + key + "' in a parameter group; known: "
            + defaults.keySet());
      }
    }
    defaults.forEach(group::putIfAbsent);
    for (Map.Entry<String, Object> e : defaults.entrySet()) {
      Object v = group.options().get(e.getKey());
      if (v == null || v.getClass() != e.getValue().getClass()) {
        throw new IllegalArgumentException(name + ": option '" + e.getKey() + "' must be a "
            + e.getValue().getClass().getSimpleName() + ", got " + v
            + (v == null ? "" : " (a " + v.getClass().getSimpleName() + ")"));
      }
    }
  }

  /** Refuses invalid hyper-parameters with an IllegalArgumentException naming the value. */
  protected abstract void validate(ParamGroup group);

  /**
   * Updates one parameter in place from its gradient (non-null) and its state, through
   * {@link Tensor#updateInPlace} (which records the change). An optimizer outside this package may
   * keep {@code grad}: it is handed out as {@code param.grad()} hands it out, so zeroGrad never
   * reuses its array. This package's optimizers only borrow it ({@link Autograd#borrowGrad}).
   */
  protected abstract void update(ParamGroup group, Tensor param, Tensor grad, State state);

  /**
   * Updates every parameter of a group that has a gradient: {@code params.get(i)} from
   * {@code grads.get(i)} and {@code states.get(i)}. This default calls {@link #update} for each in
   * turn; an optimizer whose update is one elementwise kernel may override it to make one pass over
   * the whole group, split over threads as one range (Adam and AdamW do), with the same bits.
   */
  protected void updateGroup(ParamGroup group, List<Tensor> params, List<Tensor> grads, List<State> states) {
    for (int i = 0; i < params.size(); i++) {
      update(group, params.get(i), grads.get(i), states.get(i));
    }
  }

  private static final String OWN_PACKAGE = Optimizer.class.getPackageName();

  /** One optimization step over every parameter that has a gradient. */
  public void step() {
    long t0 = OpTrace.start();
    double bytes = 0;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      for (ParamGroup g : groups) {
        List<Tensor> params = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        List<State> states = new ArrayList<>();
        for (Tensor p : g.params()) {
          // Lent to this package's optimizers, which keep no reference; an optimizer of the user's own
          // might keep it, so it gets the gradient handed out, which a later zeroGrad never reuses.
          Tensor grad = OWN_PACKAGE.equals(getClass().getPackageName()) ? Autograd.borrowGrad(p) : p.grad();
          if (grad == null) {
            continue;
          }
          params.add(p);
          grads.add(grad);
          states.add(state.computeIfAbsent(p, k -> new State()));
        }
        updateGroup(g, params, grads, states);
        for (int i = 0; i < params.size(); i++) {
          // param read and written, grad read, each buffer read and written
          bytes += 4.0 * params.get(i).numel() * (3 + 2 * states.get(i).buffers.size());
        }
      }
    }
    OpTrace.stop(traceName, t0, 0, bytes);
  }

  /**
   * Drops every parameter's gradient (sets it to null), as PyTorch 2.x's {@code zero_grad()} does by
   * default: the next backward allocates fresh gradients, and {@link #step()} skips a parameter that
   * got none.
   */
  public void zeroGrad() {
    zeroGrad(true);
  }

  /** {@code setToNone}: drop the gradients; otherwise fill existing ones with zeros (PyTorch 1.x). */
  public void zeroGrad(boolean setToNone) {
    for (ParamGroup g : groups) {
      Autograd.zeroGrad(g.params(), setToNone);
    }
  }

  /** The parameter groups, in order (live: schedules change their {@code lr}). */
  public List<ParamGroup> paramGroups() {
    return Collections.unmodifiableList(groups);
  }

  /** The optimizer's name, as messages use it. */
  protected final String name() {
    return name;
  }

  /** Every option with its default value. */
  public Map<String, Object> defaults() {
    return defaults;
  }

  /**
   * A deep copy of the optimizer's state, like {@code optimizer.state_dict()}: parameters are
   * numbered in group order from 0; {@code state} maps a parameter's number to its {@code step}
   * (a Long) and buffers (float[] copies); {@code paramGroups} holds each group's options and its
   * {@code params} (the numbers).
   */
  public StateDict stateDict() {
    Map<Integer, Map<String, Object>> st = new LinkedHashMap<>();
    List<Map<String, Object>> gs = new ArrayList<>();
    int index = 0;
    for (ParamGroup g : groups) {
      Map<String, Object> opts = new LinkedHashMap<>(g.options());
      List<Integer> ids = new ArrayList<>();
      for (Tensor p : g.params()) {
        State s = state.get(p);
        if (s != null) {
          Map<String, Object> copy = new LinkedHashMap<>();
          copy.put("step", s.step);
          s.buffers.forEach((k, v) -> copy.put(k, v.clone()));
          st.put(index, copy);
        }
        ids.add(index++);
      }
      opts.put("params", ids);
      gs.add(opts);
    }
    return new StateDict(st, gs);
  }

  /**
   * Loads a state dict made by {@link #stateDict()} of an optimizer of the same kind over parameters
   * of the same shapes in the same groups: copies options and state, so the next {@link #step()}
   * continues exactly where the saved optimizer stopped.
   */
  public void loadStateDict(StateDict dict) {
    if (dict.paramGroups().size() != groups.size()) {
      throw new IllegalArgumentException(name + ": loaded state dict has " + dict.paramGroups().size()
          + " parameter groups, this optimizer has " + groups.size());
    }
    List<Tensor> flat = new ArrayList<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup g = groups.get(gi);
      Object ids = dict.paramGroups().get(gi).get("params");
      int saved = ids instanceof List<?> l ? l.size() : -1;
      if (saved != g.params().size()) {
        throw new IllegalArgumentException(name + ": loaded state dict has a group " + gi + " of " + saved
            + " parameters, this optimizer's has " + g.params().size());
      }
      flat.addAll(g.params());
    }
    Map<Tensor, State> loaded = new IdentityHashMap<>();
    for (Map.Entry<Integer, Map<String, Object>> e : dict.state().entrySet()) {
      int i = e.getKey();
      if (i < 0 || i >= flat.size()) {
        throw new IllegalArgumentException(name + ": state for parameter " + i + ", but there are " + flat.size());
      }
      Tensor p = flat.get(i);
      State s = new State();
      for (Map.Entry<String, Object> b : e.getValue().entrySet()) {
        Object v = b.getValue();
        if (b.getKey().equals("step")) {
          if (!(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < 0) {
            throw new IllegalArgumentException(name + ": state 'step' of parameter " + i
                + " must be a whole number >= 0, got " + v);
          }
          s.step = ((Number) v).longValue();
        } else if (!(v instanceof float[] buffer)) {
          throw new IllegalArgumentException(name + ": state '" + b.getKey() + "' of parameter " + i
              + " must be a float[], got " + v);
        } else if (buffer.length != p.numel()) {
          throw new IllegalArgumentException(name + ": state '" + b.getKey() + "' of parameter " + i + " has "
              + buffer.length + " values, the parameter has " + p.numel());
        } else {
          s.buffers.put(b.getKey(), buffer.clone());
        }
      }
      loaded.put(p, s);
    }
    // Stage each group's new options on a copy and check it as the constructor would; commit only
    // when every group passed, so a bad dict leaves the optimizer as it was.
    List<ParamGroup> staged = new ArrayList<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup copy = ParamGroup.of(groups.get(gi).params());
      groups.get(gi).options().forEach(copy::put);
      dict.paramGroups().get(gi).forEach((k, v) -> {
        if (!k.equals("params")) {
          copy.put(k, v);
        }
      });
      // Check the optimizer's own options only: a schedule adds keys of its own (initialLr, maxLr, ...).
      ParamGroup own = ParamGroup.of(copy.params());
      copy.options().forEach((k, v) -> {
        if (defaults.containsKey(k)) {
          own.put(k, v);
        }
      });
      checkOptions(own);
      validate(own);
      staged.add(copy);
    }
    for (int gi = 0; gi < groups.size(); gi++) {
      staged.get(gi).options().forEach(groups.get(gi)::put);
    }
    state.clear();
    state.putAll(loaded);
  }

  /** The saved state of an optimizer; see {@link #stateDict()}. */
  public record StateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) {}

  /** A per-group scalar for a kernel; refuses what PyTorch refuses. */
  static void requireAtLeastZero(String optimizer, String what, double v) {
    if (!(v >= 0.0)) {
      throw new IllegalArgumentException(optimizer + ": invalid " + what + " value: " + v);
    }
  }

  static void requireBeta(String optimizer, int index, double v) {
    if (!(v >= 0.0 && v < 1.0)) {
      throw new IllegalArgumentException(optimizer + ": invalid beta parameter at index " + index + ": " + v
          + " (must be in [0, 1))");
    }
  }
}
