package dev.downhill.autograd;

import dev.downhill.kernels.Layout;
import java.util.Arrays;

/**
 * Shape ops. Reshapes and row slices are views (same storage, new shape or offset) whose backward
 * just re-reads or places the gradient; permutations and concatenation copy.
 */
final class Views {
  private Views() {}

  /** A view of x's storage from {@code offset} with {@code shape}, whose gradient flows back unchanged in layout. */
  static Tensor view(String op, Tensor x, int offset, int[] shape) {
    Tensor y = new Tensor(x.storage, offset, shape);
    if (!Autograd.recording(x)) {
      return y;
    }
    int start = offset - x.offset;
    return y.madeBy(new Node(op, shape, x) {
      void backward(float[] g, Grads grads) {
        if (g.length == x.size) {
          grads.add(0, g); // same elements, other shape
        } else {
          float[] gx = new float[x.size];
          System.arraycopy(g, 0, gx, start, g.length);
          grads.add(0, gx);
        }
      }
    });
  }

  static Tensor reshape(Tensor x, int[] newShape, String op) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Arrays.toString(newShape));
        }
        infer = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException(op + ": invalid dimension " + s[i] + " in " + Arrays.toString(newShape));
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || x.size % known != 0) {
        throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape) + " is invalid for "
            + Shapes.str(x.shape) + " (" + x.size + " elements)");
      }
      s[infer] = (int) (x.size / known);
    } else if (known != x.size) {
      throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape) + " is invalid for "
          + Shapes.str(x.shape) + " (" + x.size + " elements)");
    }
    return view(op, x, x.offset, s);
  }

  static Tensor squeeze(Tensor x) {
    return view("squeeze", x, x.offset, Arrays.stream(x.shape).filter(d -> d != 1).toArray());
  }

  static Tensor squeeze(Tensor x, int dim) {
    if (x.shape.length == 0) {
      Shapes.dim("squeeze", dim, 0);
      return view("squeeze", x, x.offset, new int[0]);
    }
    int d = Shapes.dim("squeeze", dim, x.shape.length);
    int[] s = x.shape[d] == 1 ? Shapes.reduced(x.shape, d, false) : x.shape.clone();
    return view("squeeze", x, x.offset, s);
  }

  static Tensor unsqueeze(Tensor x, int dim) {
    int r = x.shape.length + 1;
    if (dim < -r || dim >= r) {
      // Shapes.dim would report the rank of the result, not of the tensor the user passed.
      throw new IndexOutOfBoundsException("unsqueeze: dimension " + dim + " is out of range for a tensor of rank "
          + x.shape.length + " (expected " + -r + " to " + (r - 1) + ")");
    }
    int d = dim < 0 ? dim + r : dim;
    int[] s = new int[r];
    for (int i = 0, j = 0; i < r; i++) {
      s[i] = i == d ? 1 : x.shape[j++];
    }
    return view("unsqueeze", x, x.offset, s);
  }

  // d expand(x) = g summed over the broadcast dimensions
  static Tensor expand(Tensor x, int[] sizes) {
    int r = sizes.length;
    if (r < x.shape.length) {
      throw new IllegalArgumentException("expand: " + r + " sizes given for a tensor of shape " + Shapes.str(x.shape)
          + "; need at least " + x.shape.length);
    }
    int[] s = sizes.clone();
    int pad = r - x.shape.length;
    for (int i = 0; i < r; i++) {
      int own = i < pad ? 1 : x.shape[i - pad];
      if (s[i] == -1 && i >= pad) {
        s[i] = own;
      }
      if (s[i] < 0 || (own != 1 && own != s[i])) {
        throw new IllegalArgumentException("expand: shape " + Shapes.str(x.shape) + " cannot expand to "
            + Arrays.toString(sizes) + " (dimension " + i + ": " + own + " to " + sizes[i] + "; only size-1 dimensions expand)");
      }
    }
    long t0 = OpTrace.start();
    Tensor y = Tensor.wrap(Broadcast.expand(x.array(), x.offset, x.shape, s), s);
    OpTrace.stop("expand", t0, 0, 4.0 * (x.size + y.size));
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node("expand", s, x) {
      void backward(float[] g, Grads grads) {
        grads.add(0, Broadcast.reduceTo(g, s, x.shape));
      }
    });
  }

  // d permute(x, p) = permute(g, inverse(p))
  static Tensor permute(Tensor x, int[] perm, String op) {
    int r = x.shape.length;
    if (perm.length != r) {
      throw new IllegalArgumentException(op + ": " + perm.length + " dimensions given for a tensor of shape " + Shapes.str(x.shape));
    }
    int[] p = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      p[i] = Shapes.dim(op, perm[i], r);
      if (seen[p[i]]) {
        throw new IllegalArgumentException(op + ": dimension " + perm[i] + " repeats in " + Arrays.toString(perm));
      }
      seen[p[i]] = true;
    }
    int[] s = new int[r];
    int[] inverse = new int[r];
    for (int i = 0; i < r; i++) {
      s[i] = x.shape[p[i]];
      inverse[p[i]] = i;
    }
    long t0 = OpTrace.start();
    float[] out = new float[x.size];
    Layout.permute(x.array(), x.offset, x.shape, p, out, 0);
    OpTrace.stop(op, t0, 0, 8.0 * x.size);
    Tensor y = Tensor.wrap(out, s);
    if (!Autograd.recording(x)) {
      return y;
    }
    return y.madeBy(new Node(op, s, x) {
      void backward(float[] g, Grads grads) {
        float[] gx = new float[g.length];
        Layout.permute(g, 0, s, inverse, gx, 0);
        grads.add(0, gx);
      }
    });
  }

  // d cat(x₀, x₁, …) = the matching slices of g
  static Tensor cat(int dim, Tensor... xs) {
    if (xs.length == 0) {
      throw new IllegalArgumentException("cat: needs at least one tensor");
    }
    int[] first = xs[0].shape;
    if (first.length == 0) {
      throw new IllegalArgumentException("cat: 0-dimensional tensors cannot be concatenated");
    }
    int d = Shapes.dim("cat", dim, first.length);
    int total = 0;
    for (Tensor t : xs) {
      boolean ok = t.shape.length == first.length;
      for (int i = 0; ok && i < first.length; i++) {
        ok = i == d || t.shape[i] == first[i];
      }
      if (!ok) {
        throw new IllegalArgumentException("cat: shapes " + Shapes.str(first) + " and " + Shapes.str(t.shape)
            + " differ outside dimension " + d);
      }
      total += t.shape[d];
    }
    int[] s = first.clone();
    s[d] = total;
    int outer = Shapes.prod(first, 0, d);
    int inner = Shapes.prod(first, d + 1, first.length);
    long t0 = OpTrace.start();
    float[] out = new float[Shapes.size(s)];
    int[] chunk = new int[xs.length]; // elements per outer row contributed by each input
    int[] at = new int[xs.length];    // where each input's chunk starts inside an output row
    int rowLen = total * inner;
    for (int k = 0, pos = 0; k < xs.length; k++) {
      chunk[k] = xs[k].shape[d] * inner;
      at[k] = pos;
      pos += chunk[k];
      for (int o = 0; o < outer; o++) {
        System.arraycopy(xs[k].array(), xs[k].offset + o * chunk[k], out, o * rowLen + at[k], chunk[k]);
      }
    }
    OpTrace.stop("cat", t0, 0, 8.0 * out.length);
    Tensor y = Tensor.wrap(out, s);
    if (!Autograd.recording(xs)) {
      return y;
    }
    return y.madeBy(new Node("cat", s, xs) {
      void backward(float[] g, Grads grads) {
        for (int k = 0; k < xs.length; k++) {
          if (!grads.needs(k)) {
            continue;
          }
          float[] gk = new float[xs[k].size];
          for (int o = 0; o < outer; o++) {
            System.arraycopy(g, o * rowLen + at[k], gk, o * chunk[k], chunk[k]);
          }
          grads.add(k, gk);
        }
      }
    });
  }
}
