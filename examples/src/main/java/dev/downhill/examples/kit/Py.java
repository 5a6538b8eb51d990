package dev.downhill.examples.kit;

import java.math.BigDecimal;
import java.util.StringJoiner;

/** Numbers written as Python writes them, for the lines the chapters print. */
public final class Py {
  private Py() {}

  /** {@code repr(float)}: the shortest digits that read back to {@code v}, laid out as CPython does. */
  public static String repr(double v) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }
    String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
    if (v == 0) {
      return sign + "0.0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).abs().stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int decpt = digits.length() - d.scale();
    if (decpt <= -4 || decpt > 16) {
      int exp = decpt - 1;
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    if (decpt <= 0) {
      return sign + "0." + "0".repeat(-decpt) + digits;
    }
    if (decpt >= digits.length()) {
      return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
    }
    return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
  }

  /**
   * {@code repr} of the Python literal a float32 constant was written from: the shortest digits
   * that read back to the float ({@code 0.01f} prints {@code 0.01}, as {@code lr = 0.01} does).
   */
  public static String repr(float v) {
    return Float.isFinite(v) && v != 0 ? repr(Double.parseDouble(Float.toString(v))) : repr((double) v);
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
