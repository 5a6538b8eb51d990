package dev.downhill.bench.report;

/**
 * One kernel's line of the report. {@code value} is in {@code unit} (GFLOP/s or GB/s) at {@code threads}
 * threads; {@code limitValue} is the measured limit it is held against ({@code limitName}: "FMA peak",
 * "copy" or "triad", same unit and threads), {@code cValue} the C STREAM figure of the same kind for
 * memory-bound kernels and {@code scalarValue} the scalar twin's figure on the same threads (NaN where
 * there is none).
 */
public record Row(String section, String kernel, String size, int threads, String unit, double value, double timeUs,
    String limitName, double limitValue, double cValue, double scalarValue) {
  /** A kernel above this share of its limit makes the run unreliable (the limit was measured low). */
  public static final double MAX_SHARE = 1.05;

  public double share() {
    return value / limitValue;
  }

  public double cShare() {
    return value / cValue;
  }

  public double speedup() {
    return value / scalarValue;
  }

  public boolean overLimit() {
    return share() > MAX_SHARE;
  }
}
