package dev.downhill.examples.kit;

import dev.downhill.nn.PyRepr;
import java.util.StringJoiner;

/** Numbers written as Python writes them, for the lines the chapters print. */
public final class Py {
  private Py() {}

  /** {@code repr(float)}: the shortest digits that read back to {@code v}, laid out as CPython does. */
  public static String repr(double v) {
    return PyRepr.of(v);
  }

  /**
   * {@code repr} of the Python literal a float32 constant was written from: the shortest digits
   * that read back to the float ({@code 0.01f} prints {@code 0.01}, as {@code lr = 0.01} does).
   */
  public static String repr(float v) {
    return PyRepr.of(v);
  }

  /** {@code repr(list)} of Python floats, e.g. {@code [25.0, 16.0]}; a float32 value prints as the double it widens to, as {@code tensor.item()} gives. */
  public static String list(double... values) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (double v : values) {
      j.add(repr(v));
    }
    return j.toString();
  }

  /** The first {@code n} values, like Python's {@code xs[:n]}. */
  public static double[] head(double[] values, int n) {
    return java.util.Arrays.copyOf(values, Math.min(n, values.length));
  }
}
