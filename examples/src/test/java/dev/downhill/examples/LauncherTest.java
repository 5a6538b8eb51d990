package dev.downhill.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Out;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's commands, options and exit codes, on the real list and on two quick stand-ins. */
class LauncherTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result launch(List<Demos.Entry> demos, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Demos.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), demos);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static final List<Demos.Entry> STAND_INS = List.of(
      new Demos.Entry("draws", "draws a chart", "test §1", () -> dir -> {
        Out out = new Out(dir);
        out.println("hello <b>");
        Chart.of("t", "x", "y").line("a", new double[] {1, 2, 3}).save(out, "draws.png", 640, 400);
        return out;
      }),
      new Demos.Entry("fails", "throws", "test §2", () -> dir -> {
        throw new IllegalStateException("boom");
      }));

  @Test
  void listShowsEveryIdWithItsTitle() {
    Result r = launch(Demos.ALL, "list");
    assertEquals(0, r.code());
    for (Demos.Entry e : Demos.ALL) {
      assertTrue(r.out().contains(e.id()) && r.out().contains(e.title()), e.id());
    }
    assertEquals(Demos.ALL.size(), r.out().lines().count(), "one line per demo");
  }

  @Test
  void unknownIdsCommandsAndOptionsExitTwoAndListTheValidIds() {
    for (String[] args : new String[][] {{"run", "nope"}, {"run", "gd-1d", "nope"}, {"bogus"}, {"all", "--fast"},
        {"run"}, {}, {"run", "gd-1d", "--out"}}) {
      Result r = launch(Demos.ALL, args);
      assertEquals(2, r.code(), String.join(" ", args));
      assertTrue(r.err().contains("gd-1d, gd-1d-animation") && r.err().contains("ch8-explode"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void runWritesIntoOutAndSaysHowLongItTook() throws Exception {
    Path dir = tmp.resolve("pictures");
    Result r = launch(STAND_INS, "run", "draws", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.size(dir.resolve("draws.png")) > 1000);
    assertTrue(r.out().matches("(?s).*\\(draws took \\d+\\.\\d\\d s; wrote draws\\.png\\).*"), r.out());
    assertFalse(Files.exists(dir.resolve("index.html")), "only 'all' writes the gallery");
  }

  @Test
  void realDemoRunsThroughTheLauncher() {
    Result r = launch(Demos.ALL, "run", "ch8-loss", "--out=" + tmp);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("MSE: 0.1300") && r.out().contains("(ch8-loss took "), r.out());
  }

  @Test
  void allWritesTheGalleryAndAFailingDemoMakesTheExitNonZero() throws Exception {
    Result r = launch(STAND_INS, "all", "--out", tmp.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("boom"), r.err());
    assertTrue(r.out().contains("(fails FAILED after "), r.out());
    String html = Files.readString(tmp.resolve("index.html"));
    assertTrue(html.contains("hello &lt;b&gt;") && html.contains("src=\"draws.png\"") && html.contains("test §2")
        && html.contains("boom"), html);
    assertTrue(r.out().contains("Gallery: " + tmp.resolve("index.html").toAbsolutePath()), r.out());
  }
}
