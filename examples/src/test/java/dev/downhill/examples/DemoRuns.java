package dev.downhill.examples;

import dev.downhill.examples.kit.Out;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs each demo once per test JVM, into one temporary folder, as the launcher does. */
final class DemoRuns {
  private DemoRuns() {}

  static final Path DIR = temp();
  /** tiny-gpt at test size: one layer of 48 channels, 400 steps (about 5 s; the demo takes about 20). */
  static final TinyGpt.Config TINY = new TinyGpt.Config(1, 48, 4, 32, 400, 40, 5e-3, 200);
  private static final Map<String, Out> RUNS = new HashMap<>();

  static synchronized Out run(String id) {
    return RUNS.computeIfAbsent(id, k -> {
      Demos.Entry e = Demos.ALL.stream().filter(x -> x.id().equals(k)).findFirst().orElseThrow();
      try {
        return (k.equals("tiny-gpt") ? new TinyGpt(TINY) : e.demo().get()).run(DIR);
      } catch (Exception ex) {
        throw new AssertionError(k + " failed", ex);
      }
    });
  }

  private static Path temp() {
    try {
      Path d = Files.createTempDirectory("downhill-demos");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.walk(d)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
          // a temporary folder left behind is harmless
        }
      }));
      return d;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
