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
  private static final Map<String, Out> RUNS = new HashMap<>();

  static synchronized Out run(String id) {
    return RUNS.computeIfAbsent(id, k -> {
      Demos.Entry e = Demos.ALL.stream().filter(x -> x.id().equals(k)).findFirst().orElseThrow();
      try {
        return e.demo().get().run(DIR);
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
