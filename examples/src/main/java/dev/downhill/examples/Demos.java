package dev.downhill.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the chapter demos: {@code all} (the default) runs each in chapter order under a heading;
 * a demo's name runs just that one. From the repository root: {@code ./mvnw -q -Pdemos package}
 * (all) or {@code ./mvnw -q -Pdemos package -Ddemo=ch8.2-gradient}.
 */
public final class Demos {
  private Demos() {}

  /** Name → main, in the order the chapters present them. */
  static Map<String, Consumer<String[]>> demos() {
    Map<String, Consumer<String[]>> m = new LinkedHashMap<>();
    m.put("ch8.2-gradient", Chapter8Gradient::main);
    return m;
  }

  public static void main(String[] args) {
    String which = args.length == 0 ? "all" : args[0];
    Map<String, Consumer<String[]>> demos = demos();
    if (which.equals("all")) {
      for (Map.Entry<String, Consumer<String[]>> e : demos.entrySet()) {
        System.out.println("=== " + e.getKey() + " ===");
        e.getValue().accept(new String[0]);
        System.out.println();
      }
      return;
    }
    Consumer<String[]> demo = demos.get(which);
    if (demo == null) {
      System.err.println("No demo named '" + which + "'. Known: all, " + String.join(", ", demos.keySet()));
      System.exit(2);
    }
    demo.accept(new String[0]);
  }
}
