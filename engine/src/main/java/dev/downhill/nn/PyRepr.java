package dev.downhill.nn;

import java.math.BigDecimal;

/**
 * Numbers and flags written as Python's {@code repr} writes them, so a module prints the line
 * PyTorch prints: {@code 1e-05}, {@code 0.5}, {@code 1.0}, {@code True}. Public so that programs
 * printing the lines a Python script prints (the examples) use the same layout.
 */
public final class PyRepr {
  private PyRepr() {}

  /** Python's {@code repr(float)} of {@code v}: the shortest digits that read back to {@code v}. */
  public static String of(double v) {
    return Double.isFinite(v) ? format(Double.toString(v), v) : special(v);
  }

  /**
   * A float option written with the shortest digits that read back to the float (so 0.2f prints
   * {@code 0.2}, as the Python literal the user would have passed), laid out as Python's repr.
   */
  public static String of(float v) {
    return Float.isFinite(v) ? format(Float.toString(v), v) : special(v);
  }

  /** A number whose PyTorch default is a Python int ({@code Softplus(beta=1)}): integral values print as ints. */
  static String intOrFloat(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15f ? Long.toString((long) v) : of(v);
  }

  /** Python's {@code True}/{@code False}. */
  static String of(boolean b) {
    return b ? "True" : "False";
  }

  private static String special(double v) {
    return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  }

  /** Lays out Java's shortest digits the way CPython's float_repr does (exponent form when decpt ≤ −4 or > 16). */
  private static String format(String javaShortest, double v) {
    String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
    if (v == 0) {
      return sign + "0.0";
    }
    BigDecimal d = new BigDecimal(javaShortest).abs().stripTrailingZeros();
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
}
