package dev.downhill.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProgressTest {
  static final long MS = 1_000_000L;

  @Test
  void plainModeWritesALineEveryTenthAndNoCarriageReturn() {
    var buf = new ByteArrayOutputStream();
    long[] now = {0};
    try (Progress p = Progress.start("train", 100, new PrintStream(buf, true, StandardCharsets.UTF_8), Progress.Mode.PLAIN, () -> now[0])) {
      for (int i = 0; i < 100; i++) {
        now[0] += 50 * MS;
        p.step("loss", 0.5);
        if (i == 49) {
          p.log("epoch 0: val loss 0.4");
        }
      }
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertFalse(out.contains("\r"));
    List<String> lines = out.lines().toList();
    assertEquals(11, lines.size(), out);
    assertEquals("train: 10/100 (10%), 00:00 elapsed, ETA 00:04, 20.0 it/s, loss=0.5000", lines.get(0));
    assertEquals("epoch 0: val loss 0.4", lines.get(5));
    assertEquals("train: 100/100 (100%), 00:05 elapsed, 20.0 it/s, loss=0.5000", lines.get(10));
  }

  @Test
  void terminalModeRedrawsOneLineAtMostTenTimesASecond() {
    var buf = new ByteArrayOutputStream();
    long[] now = {0};
    try (Progress p = Progress.start("train", 1000, new PrintStream(buf, true, StandardCharsets.UTF_8), Progress.Mode.TERMINAL, () -> now[0])) {
      for (int i = 0; i < 1000; i++) {
        now[0] += MS; // 1000 steps in one second
        p.step("loss", 0.25);
      }
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 10 && redraws <= 12, redraws + " redraws");
    assertTrue(out.endsWith("\rtrain 100%|############| 1000/1000 [00:01<00:00, 1000.0 it/s, loss=0.2500]\n"), out);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line, ended once");
  }

  @Test
  void terminalLogLinesGoAboveTheBar() {
    var buf = new ByteArrayOutputStream();
    long[] now = {0};
    try (Progress p = Progress.start("t", 4, new PrintStream(buf, true, StandardCharsets.UTF_8), Progress.Mode.TERMINAL, () -> now[0])) {
      p.step();
      p.log("hello");
      now[0] += 1000 * MS;
      p.step();
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    String first = "\rt  25%|###         | 1/4 [00:00<00:00, ? it/s]";
    assertEquals(first + "\r" + " ".repeat(first.length() - 1) + "\rhello\n" + first
        + "\rt  50%|######      | 2/4 [00:01<00:01, 2.0 it/s]\n", out);
  }

  // ---------------------------------------------------------------- the real thing, in a child JVM

  static String run(boolean pty, Map<String, String> env, String... props) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = Path.of(Progress.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
        + Path.of(ProgressMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp));
    cmd.addAll(List.of(props));
    cmd.add(ProgressMain.class.getName());
    if (pty) {
      cmd = List.of("script", "-qec", String.join(" ", cmd.stream().map(s -> "'" + s + "'").toList()), "/dev/null");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("NO_COLOR");
    pb.environment().put("TERM", "xterm");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String s = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), s);
    return s;
  }

  /** util-linux script(1), able to open a pseudo-terminal here (a container may have no /dev/pts). */
  static boolean haveScript() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/script")) || !System.getProperty("os.name").startsWith("Linux")) {
      return false;
    }
    Process p = new ProcessBuilder("script", "-qec", "true", "/dev/null").redirectErrorStream(true).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void underAPseudoTerminalTheLineIsRedrawn() throws Exception {
    Assumptions.assumeTrue(haveScript(), "needs util-linux script");
    String out = run(true, Map.of());
    assertTrue(out.contains("mode=TERMINAL"), out);
    assertTrue(out.contains("\rdemo 100%|"), out);
  }

  @Test
  void piped_NO_COLOR_dumbTermAndThePropertyArePlain() throws Exception {
    String piped = run(false, Map.of());
    assertTrue(piped.contains("mode=PLAIN"), piped);
    assertFalse(piped.contains("\r"), piped);
    assertTrue(piped.contains("demo: 30/30 (100%)"), piped);
    Assumptions.assumeTrue(haveScript(), "needs util-linux script");
    for (String out : List.of(run(true, Map.of("NO_COLOR", "1")), run(true, Map.of("TERM", "dumb")),
        run(true, Map.of(), "-D" + Progress.PROPERTY + "=plain"))) {
      assertTrue(out.contains("mode=PLAIN"), out);
      assertFalse(out.replace("\r\n", "\n").contains("\r"), out); // the terminal itself turns \n into \r\n
    }
  }
}
