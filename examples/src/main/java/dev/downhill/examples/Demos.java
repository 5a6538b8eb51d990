package dev.downhill.examples;

import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Gallery;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The launcher of {@code examples/target/downhill-examples.jar}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar downhill-examples.jar list
 * java --add-modules jdk.incubator.vector -jar downhill-examples.jar run gd-1d ch8-lr [--out DIR]
 * java --add-modules jdk.incubator.vector -jar downhill-examples.jar all [--out DIR]
 * </pre>
 *
 * {@code run} and {@code all} write the pictures into DIR (default {@code out/}); {@code all} ends
 * with DIR/index.html, the gallery. Exit status: 0, 1 when a demo failed, 2 for an unknown command,
 * option or id (the valid ones are printed).
 */
public final class Demos {
  private Demos() {}

  /** A demo as the launcher lists it: id, one-line title, the chapter section it comes from. */
  public record Entry(String id, String title, String section, Supplier<Demo> demo) {}

  private static final String GD = "Gradient descent article";
  private static final String CH8 = "Chapter 8";

  /** Every demo, in the order the chapters present them. */
  public static final List<Entry> ALL = List.of(
      new Entry("gd-1d", "1-D gradient descent on x² + 2x + 1 from x = 5", GD + ", §5 and notebook part 1", Gd1d::new),
      new Entry("gd-1d-animation", "The same path as an animated GIF", GD + ", notebook part 1", Gd1dAnimation::new),
      new Entry("gd-2d-surface", "3-D loss surface and contour map with the descent path", GD + ", notebook part 2",
          Gd2dSurface::new),
      new Entry("gd-linreg-adamw", "Linear(1, 1) trained by AdamW on y = 3x + 1", GD + ", §7 PyTorch training loop",
          GdLinregAdamW::new),
      new Entry("gd-sgd-vs-adam", "SGD vs Adam on the same regression", GD + ", notebook part 3", GdSgdVsAdam::new),
      new Entry("gd-batch-modes", "Batch GD, SGD and mini-batch measured", GD + ", §3 table of variants", GdBatchModes::new),
      new Entry("ch8-loss", "MSE and cross-entropy", CH8 + ".1 Loss", Ch8Loss::new),
      new Entry("ch8-gradient", "Gradient descent on (w − 5)²", CH8 + ".2 Gradient", Ch8Gradient::new),
      new Entry("ch8-lr", "The effect of the learning rate", CH8 + ".3 Learning Rate", Ch8Lr::new),
      new Entry("ch8-optimizers", "SGD, momentum, Adam and AdamW on (w − 5)²", CH8 + ".4 Optimizer",
          Ch8Optimizers::new),
      new Entry("ch8-overfit", "A huge MLP memorises 10 random samples", CH8 + ".5 Overfitting", Ch8Overfit::new),
      new Entry("ch8-explode", "50 doublings: an exploding gradient, then clipping", CH8 + ".6 Gradient explosion",
          Ch8Explode::new),
      new Entry("tiny-gpt", "A small transformer learns addition with AdamW, warm-up, clipping and weight decay",
          GD + ", §4 practice in large-model training", TinyGpt::new));

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // charts are drawn into images, never on a screen
    Locale.setDefault(Locale.ROOT); // decimal points as Python prints them, in the text and on the axes
    System.exit(launch(args, utf8(System.out), utf8(System.err)));
  }

  /** Runs the launcher and returns its exit status (the tests call this). */
  public static int launch(String[] args, PrintStream out, PrintStream err) {
    return launch(args, out, err, ALL);
  }

  /** The launcher over {@code demos} instead of {@link #ALL} (the tests use stand-ins). */
  static int launch(String[] args, PrintStream out, PrintStream err, List<Entry> demos) {
    Map<String, Entry> byId = new LinkedHashMap<>();
    demos.forEach(e -> byId.put(e.id(), e));
    Path dir = Path.of("out");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--out") && i + 1 < args.length) {
        dir = Path.of(args[++i]);
      } else if (a.startsWith("--out=")) {
        dir = Path.of(a.substring("--out=".length()));
      } else if (a.equals("-h") || a.equals("--help")) {
        usage(out, byId);
        return 0;
      } else if (a.startsWith("-")) {
        err.println("Unknown option '" + a + "'" + (a.equals("--out") ? " without a folder" : "") + ".");
        usage(err, byId);
        return 2;
      } else {
        words.add(a);
      }
    }
    if (words.isEmpty()) {
      usage(err, byId);
      return 2;
    }
    String command = words.get(0);
    List<String> ids = words.subList(1, words.size());
    switch (command) {
      case "list" -> {
        if (!ids.isEmpty()) {
          err.println("'list' takes no ids.");
          usage(err, byId);
          return 2;
        }
        for (Entry e : demos) {
          out.printf(Locale.ROOT, "%-16s %s (%s)%n", e.id(), e.title(), e.section());
        }
        return 0;
      }
      case "all", "run" -> {
        if (command.equals("all") && !ids.isEmpty()) {
          err.println("'all' takes no ids; use 'run ID...'.");
          usage(err, byId);
          return 2;
        }
        if (command.equals("run") && ids.isEmpty()) {
          err.println("'run' needs at least one demo id.");
          usage(err, byId);
          return 2;
        }
        List<Entry> chosen = new ArrayList<>();
        for (String id : command.equals("all") ? byId.keySet() : ids) {
          Entry e = byId.get(id);
          if (e == null) {
            err.println("Unknown demo id '" + id + "'. Valid ids: " + String.join(", ", byId.keySet()));
            return 2;
          }
          chosen.add(e);
        }
        return runAll(chosen, dir, command.equals("all"), out, err);
      }
      default -> {
        err.println("Unknown command '" + command + "'.");
        usage(err, byId);
        return 2;
      }
    }
  }

  private static int runAll(List<Entry> chosen, Path dir, boolean gallery, PrintStream out, PrintStream err) {
    try {
      Files.createDirectories(dir);
    } catch (Exception ex) {
      err.println("Cannot create the output folder " + dir + ": " + ex);
      return 1;
    }
    if (Text.notice() != null) {
      out.println(Text.notice());
    }
    long start = System.nanoTime();
    List<Gallery.Entry> ran = new ArrayList<>();
    int failed = 0;
    for (Entry e : chosen) {
      out.println("=== " + e.id() + ": " + e.title() + " (" + e.section() + ") ===");
      long t0 = System.nanoTime();
      Out result = null;
      String error = null;
      try {
        result = e.demo().get().run(dir);
      } catch (Throwable ex) {
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        error = trace.toString();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (result != null) {
        out.print(result.text());
        List<String> names = result.pictures().stream().map(p -> dir.relativize(p).toString()).toList();
        out.printf(Locale.ROOT, "(%s took %.2f s%s)%n%n", e.id(), seconds, names.isEmpty() ? "" : "; wrote " + String.join(", ", names));
      } else {
        failed++;
        err.print(error);
        out.printf(Locale.ROOT, "(%s FAILED after %.2f s)%n%n", e.id(), seconds);
      }
      ran.add(new Gallery.Entry(e.id(), e.title(), e.section(), seconds, result, error));
    }
    String summary = String.format(Locale.ROOT, "%d demo%s in %.1f s%s", chosen.size(), chosen.size() == 1 ? "" : "s",
        (System.nanoTime() - start) / 1e9, failed == 0 ? "" : ", " + failed + " FAILED");
    out.println(summary + ".");
    if (gallery) {
      try {
        String note = summary + " on Java " + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors()
            + " processors" + (Text.notice() == null ? "" : "; " + Text.notice());
        Path page = Gallery.write(dir, "downhill — the chapters' demos", note, ran);
        out.println("Gallery: " + page.toAbsolutePath().normalize());
      } catch (Exception ex) {
        err.println("Cannot write the gallery: " + ex);
        return 1;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private static void usage(PrintStream s, Map<String, Entry> byId) {
    s.println("Usage: java --add-modules jdk.incubator.vector -jar downhill-examples.jar COMMAND [--out DIR]");
    s.println("  list          the demos, one line each");
    s.println("  run ID...     run these demos, pictures into DIR (default out/)");
    s.println("  all           run every demo and write DIR/index.html, the gallery");
    s.println("Demo ids: " + String.join(", ", byId.keySet()));
  }

  private static PrintStream utf8(PrintStream s) {
    return new PrintStream(s, true, StandardCharsets.UTF_8);
  }

  /** Runs one demo from its own main: {@code run ID} with the arguments given (e.g. --out). */
  static void runOne(String id, String[] args) {
    String[] all = new String[args.length + 2];
    all[0] = "run";
    all[1] = id;
    System.arraycopy(args, 0, all, 2, args.length);
    main(all);
  }
}
