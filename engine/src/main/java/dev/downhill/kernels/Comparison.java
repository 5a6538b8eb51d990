package dev.downhill.kernels;

import jdk.incubator.vector.VectorOperators;

/**
 * The six element-wise comparisons of {@link Compare}, with IEEE semantics: every comparison with
 * NaN is false except {@link #NE}, which is true; {@code -0.0 == +0.0}.
 */
public enum Comparison {
  EQ(VectorOperators.EQ), NE(VectorOperators.NE), LT(VectorOperators.LT), LE(VectorOperators.LE),
  GT(VectorOperators.GT), GE(VectorOperators.GE);

  final VectorOperators.Comparison vector;

  Comparison(VectorOperators.Comparison vector) {
    this.vector = vector;
  }

  /** The comparison that gives the same answer with its operands swapped: {@code a < b} is {@code b > a}. */
  public Comparison flip() {
    return switch (this) {
      case EQ, NE -> this;
      case LT -> GT;
      case LE -> GE;
      case GT -> LT;
      case GE -> LE;
    };
  }

  /** The scalar answer, Java's operators. */
  public boolean test(float a, float b) {
    return switch (this) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
    };
  }
}
