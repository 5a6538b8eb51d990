package dev.downhill.optim;

import dev.downhill.autograd.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyper-parameters, like one dict of {@code optimizer.param_groups}. Options
 * not set here are filled from the optimizer's defaults when the optimizer is built; schedules
 * change a group's {@code lr} (and, for OneCycleLR, its momentum) between steps.
 *
 * <pre>{@code
 * var opt = new SGD(SGD.options().lr(0.01).momentum(0.9),
 *     ParamGroup.of(backbone.parameters()),
 *     ParamGroup.of(head.parameters()).set("lr", 0.1));
 * }</pre>
 *
 * Option names are the optimizer's option methods: {@code lr}, {@code momentum}, {@code dampening},
 * {@code nesterov}, {@code weightDecay}, {@code maximize}, {@code beta1}, {@code beta2}, {@code eps},
 * {@code amsgrad}, {@code alpha}, {@code centered}, {@code lrDecay}, {@code initialAccumulatorValue}.
 * Numbers are kept as doubles, flags as booleans.
 */
public final class ParamGroup {
  private final List<Tensor> params;
  private final Map<String, Object> options = new LinkedHashMap<>();

  private ParamGroup(List<Tensor> params) {
    this.params = List.copyOf(params);
  }

  /** A group of {@code params} (in this order), with no options of its own yet. */
  public static ParamGroup of(List<Tensor> params) {
    return new ParamGroup(params);
  }

  /** A group of {@code params}. */
  public static ParamGroup of(Tensor... params) {
    return new ParamGroup(List.of(params));
  }

  /** Sets a numeric option for this group. */
  public ParamGroup set(String option, double value) {
    options.put(option, value);
    return this;
  }

  /** Sets a flag for this group. */
  public ParamGroup set(String option, boolean value) {
    options.put(option, value);
    return this;
  }

  /** The parameters, in order. */
  public List<Tensor> params() {
    return params;
  }

  /** This group's options (read-only view). */
  public Map<String, Object> options() {
    return Collections.unmodifiableMap(options);
  }

  /** The learning rate. */
  public double lr() {
    return getDouble("lr");
  }

  /** Sets the learning rate, as a schedule does. */
  public void setLr(double lr) {
    options.put("lr", lr);
  }

  /** Whether this group has {@code option}. */
  public boolean has(String option) {
    return options.containsKey(option);
  }

  /** A numeric option. */
  public double getDouble(String option) {
    Object v = options.get(option);
    if (!(v instanceof Double d)) {
      throw new IllegalArgumentException("ParamGroup: option '" + option + "' is " + (v == null ? "not set" : "not a number: " + v));
    }
    return d;
  }

  /** A flag. */
  public boolean getBoolean(String option) {
    Object v = options.get(option);
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("ParamGroup: option '" + option + "' is " + (v == null ? "not set" : "not a flag: " + v));
    }
    return b;
  }

  void putIfAbsent(String option, Object value) {
    options.putIfAbsent(option, value);
  }

  void put(String option, Object value) {
    options.put(option, value);
  }
}
