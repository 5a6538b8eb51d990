package dev.downhill.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named series of a training run, one table per epoch and one per step ({@code trainLoss},
 * {@code valAccuracy}, {@code lr}, {@code gradNorm}, …), for charts and CSV files.
 *
 * <pre>{@code
 * history.steps().log(step, "loss", loss.item()).log(step, "lr", opt.paramGroups().get(0).lr());
 * history.epochs().log(epoch, "valAccuracy", acc);
 * history.writeCsv(dir);   // epochs.csv and steps.csv
 * }</pre>
 */
public final class History {
  private final Table epochs = new Table("epoch");
  private final Table steps = new Table("step");

  /** The per-epoch table (index: epoch). */
  public Table epochs() {
    return epochs;
  }

  /** The per-step table (index: step). */
  public Table steps() {
    return steps;
  }

  /** Writes {@code epochs.csv} and {@code steps.csv} into {@code dir} (created if missing). */
  public void writeCsv(Path dir) throws IOException {
    Files.createDirectories(dir);
    epochs.writeCsv(dir.resolve("epochs.csv"));
    steps.writeCsv(dir.resolve("steps.csv"));
  }

  /** One series: the indices (epochs or steps) where it was logged, and its values there. */
  public record Series(String name, long[] index, double[] values) {
    /** The last value, NaN if empty. */
    public double last() {
      return values.length == 0 ? Double.NaN : values[values.length - 1];
    }
  }

  /**
   * Rows by index (an epoch or step), columns by name in the order first logged. A value logged
   * twice for the same row and name replaces the first.
   */
  public static final class Table {
    private final String indexName;
    private final TreeMap<Long, Map<String, Double>> rows = new TreeMap<>();
    private final List<String> names = new ArrayList<>();

    Table(String indexName) {
      this.indexName = indexName;
    }

    /** Records {@code value} of {@code name} at {@code index}; returns this. */
    public Table log(long index, String name, double value) {
      if (name.isEmpty() || name.contains(",") || name.contains("\n") || name.contains("\"")) {
        throw new IllegalArgumentException("History: a series name must be non-empty, without commas, quotes or newlines: '"
            + name + "'");
      }
      if (!names.contains(name)) {
        names.add(name);
      }
      rows.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    /** The series names, in the order first logged. */
    public List<String> names() {
      return List.copyOf(names);
    }

    /** The series {@code name} (empty if never logged), in index order. */
    public Series series(String name) {
      List<long[]> at = new ArrayList<>();
      List<Double> vs = new ArrayList<>();
      rows.forEach((i, row) -> {
        Double v = row.get(name);
        if (v != null) {
          at.add(new long[] {i});
          vs.add(v);
        }
      });
      long[] index = new long[at.size()];
      double[] values = new double[at.size()];
      for (int k = 0; k < index.length; k++) {
        index[k] = at.get(k)[0];
        values[k] = vs.get(k);
      }
      return new Series(name, index, values);
    }

    /**
     * CSV with a header line ({@code step,loss,lr}), one row per index in order, an empty cell where
     * a series has no value; numbers in their shortest exact form (a float's digits when the value
     * is a float, as a loss is), {@code NaN} and {@code Infinity} as Java and pandas spell them.
     */
    public String toCsv() {
      StringBuilder sb = new StringBuilder(indexName);
      names.forEach(n -> sb.append(',').append(n));
      sb.append('\n');
      rows.forEach((i, row) -> {
        sb.append(i);
        for (String n : names) {
          sb.append(',');
          Double v = row.get(n);
          if (v != null) {
            sb.append(format(v));
          }
        }
        sb.append('\n');
      });
      return sb.toString();
    }

    /** Writes {@link #toCsv()} to {@code file}. */
    public void writeCsv(Path file) throws IOException {
      Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    static String format(double v) {
      if (Double.isNaN(v)) {
        return "NaN";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "Infinity" : "-Infinity";
      }
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return Long.toString((long) v);
      }
      return (double) (float) v == v ? Float.toString((float) v) : Double.toString(v);
    }
  }
}
