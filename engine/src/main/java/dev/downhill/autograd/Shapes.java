package dev.downhill.autograd;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: sizes, dimension checks, broadcasting of shapes, messages. */
final class Shapes {
  private Shapes() {}

  /** Number of elements of {@code shape}; 1 for a scalar (rank 0). */
  static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements; at most " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /** Checks a shape the user gave: no negative sizes. Returns a private copy. */
  static int[] check(String op, int[] shape) {
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
      }
    }
    int[] copy = shape.clone();
    size(copy);
    return copy;
  }

  /** Row-major strides of a contiguous tensor of this shape. */
  static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Normalises a possibly negative dimension index for a tensor of {@code rank} dimensions. */
  static int dim(String op, int dim, int rank) {
    int lo = rank == 0 ? -1 : -rank;
    int hi = rank == 0 ? 0 : rank - 1;
    if (dim < lo || dim > hi) {
      throw new IndexOutOfBoundsException(
          op + ": dimension " + dim + " is out of range for a tensor of rank " + rank + " (expected " + lo + " to " + hi + ")");
    }
    return dim < 0 ? dim + Math.max(rank, 1) : dim;
  }

  /** Product of shape[from, to). */
  static int prod(int[] shape, int from, int to) {
    int n = 1;
    for (int i = from; i < to; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** NumPy broadcasting of two shapes, or an exception naming the op and both shapes. */
  static int[] broadcast(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** The shape with dimension {@code dim} removed, or set to 1 when {@code keepDim}. */
  static int[] reduced(int[] shape, int dim, boolean keepDim) {
    if (keepDim) {
      int[] out = shape.clone();
      out[dim] = 1;
      return out;
    }
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != dim) {
        out[j++] = shape[i];
      }
    }
    return out;
  }

  /** The permutation that moves dimension {@code source} to {@code destination}, the others keeping their order. */
  static int[] movedim(int rank, int source, int destination) {
    int[] perm = new int[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      if (j == source) {
        j++;
      }
      perm[i] = i == destination ? source : j++;
    }
    return perm;
  }

  /** The permutation moving dimension d last, or null when it already is (or the rank is 0). */
  static int[] toLast(int rank, int d) {
    return rank == 0 || d == rank - 1 ? null : movedim(rank, d, rank - 1);
  }

  /** {@code shape} permuted by {@code perm} (a copy; null is the identity). */
  static int[] permuted(int[] shape, int[] perm) {
    if (perm == null) {
      return shape.clone();
    }
    int[] s = new int[shape.length];
    for (int i = 0; i < perm.length; i++) {
      s[i] = shape[perm[i]];
    }
    return s;
  }

  /** The multi-index of row-major element {@code flat} in {@code shape}. */
  static int[] unflatten(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  static String str(int[] shape) {
    return Arrays.toString(shape);
  }
}
