package dev.downhill.examples.kit;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a demo printed and drew: its lines of text and the picture files it wrote into its folder.
 *
 * <p>{@link #printf} formats as Python's f-strings do: a float or double argument is passed to
 * {@link String#format} as its exact binary value (a {@link BigDecimal}), so {@code %.3f} rounds the
 * number itself rather than Java's shortest decimal for it, as Python's {@code format} does (exact
 * ties still round half up where Python rounds half to even; no demo prints one).
 */
public final class Out {
  private final Path dir;
  private final StringBuilder text = new StringBuilder();
  private final List<Path> pictures = new ArrayList<>();

  public Out(Path dir) {
    this.dir = dir;
  }

  /** The folder the pictures go to. */
  public Path dir() {
    return dir;
  }

  public Out println(String line) {
    text.append(line).append('\n');
    return this;
  }

  public Out println() {
    return println("");
  }

  /** {@code String.format} with Python's rounding of floats; ends the line. */
  public Out printf(String format, Object... args) {
    Object[] exact = args.clone();
    for (int i = 0; i < exact.length; i++) {
      if (exact[i] instanceof Float || exact[i] instanceof Double) {
        double v = ((Number) exact[i]).doubleValue();
        if (Double.isFinite(v) && v != 0) {
          exact[i] = new BigDecimal(v);
        }
      }
    }
    return println(String.format(Locale.ROOT, format, exact));
  }

  /** The path for a picture called {@code name} in the folder, recorded as drawn by this demo. */
  public Path picture(String name) {
    Path p = dir.resolve(name);
    pictures.add(p);
    return p;
  }

  /** Everything printed, one line per {@code \n}. */
  public String text() {
    return text.toString();
  }

  public List<String> lines() {
    return text.toString().lines().toList();
  }

  public List<Path> pictures() {
    return List.copyOf(pictures);
  }
}
