package dev.downhill.autograd;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints tensors the way PyTorch's {@code torch/_tensor_str.py} does, so output can be compared
 * with a PyTorch session character for character: one number format chosen for the whole tensor
 * (whole numbers as {@code 2.}, otherwise 4 decimals, or scientific notation when magnitudes span
 * more than 1000×, exceed 1e8 or fall below 1e-4), equal widths, rows wrapped at 80 columns, and
 * more than 1000 elements summarised to 3 at each edge.
 *
 * <p>PyTorch's quirks are kept on purpose: the format and the width come only from the nonzero
 * finite values (so {@code nan}, {@code inf} and zeros are padded but never widen a column), and
 * from only the printed edges of a summarised tensor; the summary marker is the element
 * {@code " ..."}; a line holds {@code (80 − indent) / (width + 2)} elements; numbers round half to
 * even from their exact binary value, as Python's {@code format} does (Java's {@code %f} rounds
 * half up).
 */
final class TensorFormat {
  private TensorFormat() {}

  private static final int LINE_WIDTH = 80;
  private static final int THRESHOLD = 1000;
  private static final int EDGE = 3;
  private static final int PRECISION = 4;

  static String format(Tensor t) {
    String prefix = "tensor(";
    float[] v = t.toArray();
    StringBuilder sb = new StringBuilder(prefix);
    if (v.length == 0) {
      sb.append("[]");
      if (t.shape.length != 1) {
        sb.append(", size=").append(tuple(t.shape));
      }
    } else if (t.shape.length == 0) {
      sb.append(Style.of(v).format(v[0]));
    } else {
      boolean summarize = v.length > THRESHOLD;
      Style style = Style.of(summarize ? edges(v, t.shape) : v);
      block(sb, v, 0, t.shape, 0, style, prefix.length(), summarize);
    }
    if (t.gradFn != null) {
      sb.append(", gradFn=<").append(t.gradFn.op).append('>');
    } else if (t.requiresGrad) {
      sb.append(", requiresGrad=true");
    }
    return sb.append(')').toString();
  }

  /** Python's str of a shape tuple: {@code (2, 0)}, {@code (0,)}. */
  private static String tuple(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** The values a summarised print shows; PyTorch picks the format from these alone. */
  private static float[] edges(float[] v, int[] shape) {
    List<Float> out = new ArrayList<>();
    collectEdges(v, 0, shape, 0, out);
    float[] e = new float[out.size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = out.get(i);
    }
    return e;
  }

  private static void collectEdges(float[] v, int base, int[] shape, int dim, List<Float> out) {
    int n = shape[dim];
    int stride = Shapes.prod(shape, dim + 1, shape.length);
    for (int i = 0; i < n; i++) {
      if (n > 2 * EDGE && i == EDGE) {
        i = n - EDGE;
      }
      if (dim == shape.length - 1) {
        out.add(v[base + i]);
      } else {
        collectEdges(v, base + i * stride, shape, dim + 1, out);
      }
    }
  }

  /** Appends the sub-tensor starting at flat index {@code base} whose shape is shape[dim..]. */
  private static void block(StringBuilder sb, float[] v, int base, int[] shape, int dim, Style style, int indent,
      boolean summarize) {
    int n = shape[dim];
    int stride = Shapes.prod(shape, dim + 1, shape.length);
    sb.append('[');
    if (dim == shape.length - 1) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (summarize && n > 2 * EDGE && i == EDGE) {
          items.add(" ...");
          i = n - EDGE;
        }
        items.add(style.format(v[base + i]));
      }
      int perLine = Math.max(1, (LINE_WIDTH - indent) / (style.width + 2));
      for (int k = 0; k < items.size(); k++) {
        if (k > 0) {
          sb.append(k % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
        }
        sb.append(items.get(k));
      }
    } else {
      String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
      for (int i = 0; i < n; i++) {
        if (summarize && n > 2 * EDGE && i == EDGE) {
          sb.append("...").append(sep);
          i = n - EDGE;
        }
        block(sb, v, base + i * stride, shape, dim + 1, style, indent + 1, summarize);
        if (i < n - 1) {
          sb.append(sep);
        }
      }
    }
    sb.append(']');
  }

  /** The one number format a tensor's elements share, and the width they are padded to. */
  private record Style(boolean integers, boolean scientific, int width) {
    static Style of(float[] v) {
      double maxAbs = 0;
      double minAbs = Double.POSITIVE_INFINITY;
      boolean integers = true;
      boolean any = false;
      for (float x : v) {
        if (!Float.isFinite(x) || x == 0) {
          continue;
        }
        any = true;
        if (x != Math.ceil(x)) {
          integers = false;
        }
        maxAbs = Math.max(maxAbs, Math.abs(x));
        minAbs = Math.min(minAbs, Math.abs(x));
      }
      if (!any) {
        return new Style(true, false, 1);
      }
      boolean wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
      Style s = new Style(integers, wide || (!integers && minAbs < 1e-4), 1);
      int width = 1;
      for (float x : v) {
        if (Float.isFinite(x) && x != 0) {
          width = Math.max(width, s.text(x).length());
        }
      }
      return new Style(integers, s.scientific, width);
    }

    String format(float x) {
      String s = text(x);
      return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private String text(float x) {
      if (Float.isNaN(x)) {
        return "nan";
      }
      if (Float.isInfinite(x)) {
        return x > 0 ? "inf" : "-inf";
      }
      String sign = x < 0 || (x == 0 && 1f / x < 0) ? "-" : "";
      BigDecimal abs = new BigDecimal(Math.abs((double) x));
      if (scientific) {
        return sign + scientific(abs);
      }
      if (integers) {
        return sign + abs.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
      }
      return sign + abs.setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Python's {@code '{:.4e}'} of a non-negative value: {@code 1.0000e-05}. */
    private static String scientific(BigDecimal abs) {
      if (abs.signum() == 0) {
        return "0." + "0".repeat(PRECISION) + "e+00";
      }
      BigDecimal r = abs.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
      String digits = r.unscaledValue().toString();
      int exponent = r.precision() - r.scale() - 1;
      digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
      int e = Math.abs(exponent);
      return digits.charAt(0) + "." + digits.substring(1) + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
  }
}
