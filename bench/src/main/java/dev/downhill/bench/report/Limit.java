package dev.downhill.bench.report;

/**
 * One of the machine's limits, measured before and after the run: the FMA peak (GFLOP/s) or a
 * STREAM bandwidth (GB/s) on {@code threads} threads, by the Java bench ({@code source = "Java"}) or
 * the C STREAM tool ({@code "C"}). NaN where a measurement is missing.
 */
public record Limit(String name, String source, int threads, String unit, double before, double after) {
  /** Before and after may differ by this share of the higher before the run counts as unreliable. */
  public static final double MAX_SPREAD = 0.10;

  /** The limit used for shares: the higher of the two measurements. */
  public double used() {
    if (Double.isNaN(before)) return after;
    if (Double.isNaN(after)) return before;
    return Math.max(before, after);
  }

  /** |before − after| / higher; 0 when only one was measured. */
  public double spread() {
    if (Double.isNaN(before) || Double.isNaN(after)) return 0;
    return Math.abs(before - after) / Math.max(before, after);
  }

  public boolean unstable() {
    return spread() > MAX_SPREAD;
  }

  /** "FMA peak" (Java), "copy (C STREAM)", ... */
  public String label() {
    return source.equals("C") ? name + " (C STREAM)" : name;
  }
}
