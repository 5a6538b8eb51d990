package dev.downhill.nn;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or a model, like {@code torch.nn.Module}: it owns parameters and sub-modules registered
 * under names, and maps an input tensor to an output in {@link #forward}.
 *
 * <p>Names are stable and dotted, in registration order: a module's own parameters first, then each
 * child's, depth first ({@code layers.0.weight}, {@code layers.0.bias}, {@code layers.1.weight}, ...).
 * {@link #stateDict()} and {@link #loadStateDict} use the same names.
 */
public abstract class Module {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** The module's computation; shapes are documented by each module. */
  public abstract Tensor forward(Tensor input);

  /**
   * Registers {@code param} (a leaf that requires grad, see {@link Parameter#of}) under {@code name}
   * and returns it; a null parameter (say, no bias) registers nothing.
   */
  protected final Tensor registerParameter(String name, Tensor param) {
    checkName(name);
    if (param == null) {
      return null;
    }
    if (!param.isLeaf() || !param.requiresGrad()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
          + "' must be a leaf tensor that requires grad (use Parameter.of)");
    }
    params.put(name, param);
    return param;
  }

  /** Registers {@code module} as a child under {@code name} and returns it. */
  protected final <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": a name must be non-empty and contain no dot, got '"
          + name + "'");
    }
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' is already registered");
    }
  }

  /** Every parameter of this module and its descendants, in {@link #namedParameters()} order, each once. */
  public final List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters by dotted name, in registration order; a tensor shared by two modules appears once (first name). */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    collect("", out, seen);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen) {
    params.forEach((n, p) -> {
      if (seen.add(p)) {
        out.put(prefix + n, p);
      }
    });
    children.forEach((n, c) -> c.collect(prefix + n + ".", out, seen));
  }

  /** The direct children by name, in registration order. */
  public final Map<String, Module> namedChildren() {
    return java.util.Collections.unmodifiableMap(children);
  }

  /** Training mode for this module and every descendant (Dropout drops); returns this. */
  public final Module train() {
    return train(true);
  }

  /** Sets training mode ({@code true}) or evaluation mode recursively; returns this. */
  public final Module train(boolean mode) {
    training = mode;
    children.values().forEach(c -> c.train(mode));
    return this;
  }

  /** Evaluation mode recursively (Dropout passes its input through); returns this. */
  public final Module eval() {
    return train(false);
  }

  /** Whether this module is in training mode (the default). */
  public final boolean isTraining() {
    return training;
  }

  /**
   * Drops the gradient of every parameter (sets it to null), as PyTorch 2.x's {@code zero_grad()}
   * does by default; the next backward allocates fresh ones.
   */
  public final void zeroGrad() {
    zeroGrad(true);
  }

  /** {@code setToNone}: drop the gradients; otherwise fill existing ones with zeros. */
  public final void zeroGrad(boolean setToNone) {
    Autograd.zeroGrad(parameters(), setToNone);
  }

  /**
   * Copies of every parameter's values by dotted name (detached: later training does not change them).
   * Unlike PyTorch, whose {@code state_dict()} holds detached tensors sharing the parameters' storage
   * and lists a tied parameter under each of its names, a parameter shared by two modules appears once,
   * under its first name, as in {@link #namedParameters()}.
   */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    namedParameters().forEach((n, p) -> out.put(n, p.copy()));
    return out;
  }

  /**
   * Copies {@code state}'s values into the parameters of the same names (strict, like
   * {@code load_state_dict(strict=True)}): a missing or unexpected key, or a shape that differs,
   * throws IllegalArgumentException naming the key and shapes, and then nothing is copied.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Tensor> mine = namedParameters();
    Set<String> missing = new LinkedHashSet<>(mine.keySet());
    missing.removeAll(state.keySet());
    Set<String> unexpected = new LinkedHashSet<>(state.keySet());
    unexpected.removeAll(mine.keySet());
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: missing keys " + missing
          + ", unexpected keys " + unexpected);
    }
    for (Map.Entry<String, Tensor> e : mine.entrySet()) {
      int[] want = e.getValue().shape();
      int[] got = state.get(e.getKey()).shape();
      if (!Arrays.equals(want, got)) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: size mismatch for '"
            + e.getKey() + "': copying a parameter of shape " + Arrays.toString(got) + ", the parameter in this module has shape "
            + Arrays.toString(want));
      }
    }
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      mine.forEach((n, p) -> p.copyFrom(state.get(n)));
    }
  }

  /** What goes between the parentheses of this module's line in {@link #toString()}. */
  protected String extraRepr() {
    return "";
  }

  /** PyTorch's module print: {@code Sequential(\n  (0): Linear(in_features=2, ...)\n)}. */
  @Override
  public String toString() {
    String name = getClass().getSimpleName();
    if (children.isEmpty()) {
      return name + "(" + extraRepr() + ")";
    }
    StringBuilder sb = new StringBuilder(name).append("(");
    if (!extraRepr().isEmpty()) {
      sb.append("\n  ").append(extraRepr());
    }
    children.forEach((n, c) -> sb.append("\n  (").append(n).append("): ").append(c.toString().replace("\n", "\n  ")));
    return sb.append("\n)").toString();
  }
}
