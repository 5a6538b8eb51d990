package dev.downhill.data;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop on stderr, like tqdm. On a terminal: one line redrawn in place at most
 * ten times a second, {@code train  42%|█████       | 420/1000 [00:12<00:17, 35.2 it/s, loss=0.1234]}
 * (cut to the terminal's width: {@code COLUMNS}, else 80).
 * Anywhere else (a file, a pipe, CI): plain lines, one each time another tenth of the total is done,
 * never a carriage return. {@link #log} prints a line of its own in both modes (one per epoch, say).
 *
 * <pre>{@code
 * try (Progress bar = Progress.start("train", epochs * loader.size())) {
 *   for (...) { ...; bar.step("loss", loss.item()); }
 *   bar.log("epoch 3: val loss 0.12");
 * }
 * }</pre>
 *
 * <p>The mode ({@link #detect()}): the system property {@value #PROPERTY} = {@code plain},
 * {@code terminal} or {@code off} if set; otherwise plain when {@code NO_COLOR} is set, when
 * {@code TERM=dumb}, when the JVM has no console ({@code System.console()}, and
 * {@code Console.isTerminal()} on JDK 22+), or, on Linux, when stderr is not a terminal device.
 */
public final class Progress implements AutoCloseable {
  /** The system property that chooses the mode: {@code plain}, {@code terminal}, {@code off} or {@code auto}. */
  public static final String PROPERTY = "downhill.progress";
  private static final long REDRAW_NANOS = 100_000_000L; // at most 10 redraws a second
  private static final int BAR = 12;

  /** How progress is shown. */
  public enum Mode {
    /** One line redrawn in place with a carriage return. */
    TERMINAL,
    /** A plain line every tenth of the total, for logs. */
    PLAIN,
    /** Nothing but {@link #log} lines. */
    OFF
  }

  private final String label;
  private final long total;
  private final PrintStream out;
  private final Mode mode;
  private final LongSupplier clock;
  private final boolean unicode;
  private final long startNanos;
  private final int width = columns();
  private final Map<String, Double> values = new LinkedHashMap<>();
  private long done;
  private long lastDraw;
  private boolean drawn;
  private long drawnDone = -1;
  private long lastTenth;
  private int lastWidth;
  private boolean closed;

  private Progress(String label, long total, PrintStream out, Mode mode, LongSupplier clock, boolean unicode) {
    if (total < 0) {
      throw new IllegalArgumentException("Progress: total must be >= 0, got " + total);
    }
    this.label = label;
    this.total = total;
    this.out = out;
    this.mode = mode;
    this.clock = clock;
    this.unicode = unicode;
    this.startNanos = clock.getAsLong();
  }

  /** Progress over {@code total} steps on stderr, in the {@link #detect() detected} mode. */
  public static Progress start(String label, long total) {
    String enc = System.getProperty("stderr.encoding", System.getProperty("native.encoding", ""));
    return new Progress(label, total, System.err, detect(), System::nanoTime, enc.equalsIgnoreCase("UTF-8"));
  }

  /** Progress on {@code out} in the given mode and clock (nanoseconds), with ASCII bars: for tests and tools. */
  public static Progress start(String label, long total, PrintStream out, Mode mode, LongSupplier nanoClock) {
    return new Progress(label, total, out, mode, nanoClock, false);
  }

  /** The mode {@link #start(String, long)} uses here and now; see the class comment. */
  public static Mode detect() {
    String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "plain" -> {
        return Mode.PLAIN;
      }
      case "terminal" -> {
        return Mode.TERMINAL;
      }
      case "off" -> {
        return Mode.OFF;
      }
      case "auto", "" -> { }
      default -> throw new IllegalArgumentException("Progress: -D" + PROPERTY + " must be plain, terminal, off or auto, got '"
          + p + "'");
    }
    String noColor = System.getenv("NO_COLOR");
    if ((noColor != null && !noColor.isEmpty()) || "dumb".equals(System.getenv("TERM"))) {
      return Mode.PLAIN;
    }
    return stderrIsTerminal() ? Mode.TERMINAL : Mode.PLAIN;
  }

  private static boolean stderrIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // JDK 22+ returns a console even when redirected (JDK-8309155); isTerminal tells the truth
      Object t = java.io.Console.class.getMethod("isTerminal").invoke(console);
      if (Boolean.FALSE.equals(t)) {
        return false;
      }
    } catch (ReflectiveOperationException ignored) {
      // JDK 21: a console means stdin and stdout are terminals
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.startsWith("/dev/console");
    } catch (Exception e) {
      return true; // not Linux: trust the console
    }
  }

  /** The terminal's width less one from {@code COLUMNS} when the shell exports it, else 79. */
  private static int columns() {
    try {
      int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
      return Math.max(20, c - 1);
    } catch (NumberFormatException e) {
      return 79;
    }
  }

  /** This bar's mode. */
  public Mode mode() {
    return mode;
  }

  /** One step done. */
  public void step() {
    advance(1);
  }

  /** One step done; {@code name} (say, {@code loss}) now has {@code value}. */
  public void step(String name, double value) {
    values.put(name, value);
    advance(1);
  }

  /** Shows {@code name = value} from now on (a loss, a learning rate). */
  public void set(String name, double value) {
    values.put(name, value);
  }

  /** {@code n} steps done. */
  public void advance(long n) {
    done += n;
    long now = clock.getAsLong();
    if (mode == Mode.TERMINAL) {
      if (!drawn || now - lastDraw >= REDRAW_NANOS || done == total) {
        redraw(now);
      }
    } else if (mode == Mode.PLAIN && total > 0) {
      long tenth = Math.min(10, done * 10 / total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.println(plainLine(now));
        out.flush();
      }
    }
  }

  /** Prints {@code line} on a line of its own (above the bar on a terminal), in every mode. */
  public void log(String line) {
    if (mode == Mode.TERMINAL && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      out.println(line);
      lastWidth = 0;
      redraw(clock.getAsLong());
    } else {
      out.println(line);
      out.flush();
    }
  }

  /** Ends the bar: a terminal line is drawn a last time and ends with a newline. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (mode == Mode.TERMINAL) {
      if (drawnDone != done) {
        redraw(clock.getAsLong());
      }
      out.println();
      out.flush();
    } else if (mode == Mode.PLAIN && (total == 0 || lastTenth < 10)) {
      out.println(plainLine(clock.getAsLong()));
      out.flush();
    }
  }

  private void redraw(long now) {
    lastDraw = now;
    drawn = true;
    drawnDone = done;
    String line = terminalLine(now);
    if (line.length() > width) {
      line = line.substring(0, width); // a line longer than the terminal wraps, and \r redraws only its last part
    }
    int pad = Math.max(0, lastWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    lastWidth = line.length();
  }

  String terminalLine(long now) {
    double secs = (now - startNanos) / 1e9;
    StringBuilder sb = new StringBuilder(label);
    if (total > 0) {
      double f = Math.min(1.0, (double) done / total);
      sb.append(String.format(Locale.ROOT, " %3d%%|", (int) (f * 100)));
      sb.append(bar(f)).append("| ");
    } else {
      sb.append(' ');
    }
    sb.append(done);
    if (total > 0) {
      sb.append('/').append(total);
    }
    sb.append(" [").append(clock(secs));
    if (total > 0) {
      sb.append('<').append(done == 0 ? "?" : clock(secs / done * (total - done)));
    }
    sb.append(", ").append(rate(secs)).append(suffix()).append(']');
    return sb.toString();
  }

  String plainLine(long now) {
    double secs = (now - startNanos) / 1e9;
    StringBuilder sb = new StringBuilder(label).append(": ").append(done);
    if (total > 0) {
      sb.append('/').append(total).append(String.format(Locale.ROOT, " (%d%%)", (int) Math.min(100, done * 100 / total)));
    }
    sb.append(", ").append(clock(secs)).append(" elapsed");
    if (total > 0 && done > 0 && done < total) {
      sb.append(", ETA ").append(clock(secs / done * (total - done)));
    }
    sb.append(", ").append(rate(secs)).append(suffix());
    return sb.toString();
  }

  private String bar(double f) {
    if (!unicode) {
      int full = (int) (f * BAR);
      return "#".repeat(full) + " ".repeat(BAR - full);
    }
    String parts = " ▏▎▍▌▋▊▉";
    int eighths = (int) (f * BAR * 8);
    int full = eighths / 8;
    StringBuilder sb = new StringBuilder("█".repeat(full));
    if (full < BAR) {
      sb.append(parts.charAt(eighths % 8)).append(" ".repeat(BAR - full - 1));
    }
    return sb.toString();
  }

  private String rate(double secs) {
    if (secs <= 0 || done == 0) {
      return "? it/s";
    }
    double r = done / secs;
    return r >= 1 ? String.format(Locale.ROOT, "%.1f it/s", r) : String.format(Locale.ROOT, "%.2f s/it", 1 / r);
  }

  private String suffix() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(", ").append(k).append('=').append(String.format(Locale.ROOT, "%.4g", v)));
    return sb.toString();
  }

  static String clock(double secs) {
    long s = (long) secs;
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
