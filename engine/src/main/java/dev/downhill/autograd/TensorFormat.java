package dev.downhill.autograd;

import java.util.Locale;

/**
 * Prints tensors the way PyTorch does: one number format chosen for the whole tensor (whole numbers
 * as {@code 2.}, otherwise 4 decimals, or scientific notation when magnitudes span more than 1000×,
 * exceed 1e8 or fall below 1e-4), equal widths, rows wrapped at 80 columns, and more than 1000
 * elements summarised to 3 at each edge.
 */
final class TensorFormat {
  private TensorFormat() {}

  private static final int LINE_WIDTH = 80;
  private static final int THRESHOLD = 1000;
  private static final int EDGE = 3;

  static String format(Tensor t) {
    String prefix = "tensor(";
    float[] v = t.toArray();
    boolean summarize = v.length > THRESHOLD;
    Style style = Style.of(v);
    int width = 0;
    for (float x : v) {
      width = Math.max(width, style.format(x).length());
    }
    StringBuilder sb = new StringBuilder(prefix);
    if (t.shape.length == 0) {
      sb.append(style.format(v[0]));
    } else {
      block(sb, v, 0, t.shape, 0, style, width, prefix.length(), summarize);
    }
    if (t.gradFn != null) {
      sb.append(", gradFn=<").append(t.gradFn.op).append('>');
    } else if (t.requiresGrad) {
      sb.append(", requiresGrad=true");
    }
    return sb.append(')').toString();
  }

  /** Appends the sub-tensor starting at flat index {@code base} whose shape is shape[dim..]. */
  private static void block(StringBuilder sb, float[] v, int base, int[] shape, int dim, Style style, int width,
      int indent, boolean summarize) {
    int n = shape[dim];
    int stride = Shapes.prod(shape, dim + 1, shape.length);
    sb.append('[');
    if (dim == shape.length - 1) {
      int perLine = Math.max(1, (LINE_WIDTH - indent - 1) / (width + 2));
      int col = 0;
      for (int i = 0; i < n; i++) {
        if (summarize && n > 2 * EDGE && i == EDGE) {
          sb.append("...,");
          sb.append(' ');
          i = n - EDGE;
          col++;
        }
        if (col > 0 && col % perLine == 0) {
          sb.setLength(sb.length() - 1); // drop the space before the line break
          sb.append('\n').append(" ".repeat(indent + 1));
        }
        String s = style.format(v[base + i]);
        sb.append(" ".repeat(width - s.length())).append(s);
        if (i < n - 1) {
          sb.append(", ");
        }
        col++;
      }
    } else {
      String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
      for (int i = 0; i < n; i++) {
        if (summarize && n > 2 * EDGE && i == EDGE) {
          sb.append("...").append(sep);
          i = n - EDGE;
        }
        block(sb, v, base + i * stride, shape, dim + 1, style, width, indent + 1, summarize);
        if (i < n - 1) {
          sb.append(sep);
        }
      }
    }
    sb.append(']');
  }

  /** The one number format a tensor's elements share. */
  private record Style(boolean integers, boolean scientific) {
    static Style of(float[] v) {
      double maxAbs = 0;
      double minAbs = Double.POSITIVE_INFINITY;
      boolean integers = true;
      boolean any = false;
      for (float x : v) {
        if (!Float.isFinite(x)) {
          continue;
        }
        if (x != Math.ceil(x)) {
          integers = false;
        }
        if (x != 0) {
          any = true;
          maxAbs = Math.max(maxAbs, Math.abs(x));
          minAbs = Math.min(minAbs, Math.abs(x));
        }
      }
      if (!any) {
        return new Style(integers, false);
      }
      boolean wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
      return integers ? new Style(true, wide) : new Style(false, wide || minAbs < 1e-4);
    }

    String format(float x) {
      if (Float.isNaN(x)) {
        return "nan";
      }
      if (Float.isInfinite(x)) {
        return x > 0 ? "inf" : "-inf";
      }
      if (scientific) {
        return String.format(Locale.ROOT, "%.4e", x);
      }
      if (integers) {
        return String.format(Locale.ROOT, "%.0f.", x);
      }
      return String.format(Locale.ROOT, "%.4f", x);
    }
  }
}
