package dev.downhill.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's writers on canned numbers (no JMH here: a benchmark run in the test suite would be slow
 * and noisy): the table, the CSV, the PNG and the HTML of a quick-sized report, and the two rules that
 * flag a run as unreliable.
 */
class ReportWriterTest {
  static final double NAN = Double.NaN;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  static List<Limit> limits(double peakAfter) {
    return List.of(new Limit("FMA peak", "Java", 1, "GFLOP/s", 100, peakAfter), new Limit("FMA peak", "Java", 2, "GFLOP/s", 190, 200),
        new Limit("copy", "Java", 1, "GB/s", 16, 15.5), new Limit("copy", "C", 1, "GB/s", 19, NAN),
        new Limit("triad", "Java", 2, "GB/s", 30, 31));
  }

  static List<Row> rows(double reluGbps) {
    return List.of(
        new Row("gemm", "sgemm", "128³", 1, "GFLOP/s", 62.4, 67.2, "FMA peak", 100, NAN, 1.3),
        new Row("gemm", "sgemm", "512³", 1, "GFLOP/s", 69.9, 3840, "FMA peak", 100, NAN, NAN),
        new Row("gemm", "sgemm", "128³", 2, "GFLOP/s", 90.4, 46.4, "FMA peak", 200, NAN, NAN),
        new Row("gemm", "sgemm", "512³", 2, "GFLOP/s", 120.4, 2229, "FMA peak", 200, NAN, NAN),
        new Row("gemm", "sgemm", "10×100×500", 1, "GFLOP/s", 40.3, 2.48, "FMA peak", 100, NAN, 1.7),
        new Row("gemm", "sgemm NT", "512³", 1, "GFLOP/s", 500, 2.48, "FMA peak", 100, NAN, NAN),
        new Row("elementwise", "relu", "32M", 1, "GB/s", reluGbps, 20000, "copy", 16, 19, 9.5),
        new Row("step", "step mlp85", "100-500-500-2 b10", 1, "GFLOP/s", 20, 850, "FMA peak", 100, NAN, NAN));
  }

  static Meta meta(List<String> unreliable) {
    return new Meta("2026-12-01 10:00 UTC", "JDK 25", "Test CPU", 16, 2, "report --quick", 1.5, 2.0, 42, true, unreliable);
  }

  @Test
  void writesTableCsvPngAndHtml(@TempDir Path dir) throws Exception {
    String table = ReportWriter.writeAll(dir, meta(List.of()), limits(99), rows(14.1));

    assertTrue(table.contains("sgemm         128³"), table);
    assertTrue(table.contains("48×"), "62.4 / 1.3 = 48× the scalar twin:\n" + table);
    assertTrue(table.contains("88 %"), "relu 14.1 GB/s is 88 % of the 16 GB/s copy:\n" + table);
    assertTrue(table.contains("74 %"), "and 74 % of the C STREAM's 19 GB/s:\n" + table);
    assertTrue(table.contains("reliable:"), table);

    List<String> csv = Files.readAllLines(dir.resolve("report.csv"));
    assertEquals(1 + 5 + 8, csv.size(), String.join("\n", csv));
    int columns = csv.get(0).split(",", -1).length;
    for (String line : csv) assertEquals(columns, line.split(",", -1).length, line);
    assertTrue(csv.contains("gemm,sgemm,128³,1,GFLOP/s,62.4000,67.2000,FMA peak,100.000,0.624000,,,1.30000,48.0000,,,"),
        String.join("\n", csv));

    BufferedImage png = ImageIO.read(dir.resolve("gemm.png").toFile());
    assertNotNull(png);
    assertEquals(900, png.getWidth());
    assertEquals(520, png.getHeight());
    // Only NN squares are drawn: the NT row's 500 GFLOP/s would stretch the axis past 200 (the 2-thread peak).
    assertTrue(ReportWriter.chartTop(rows(14.1), limits(99)) < 250);

    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<td>10×100×500</td>"), "one row per kernel");
    assertFalse(html.contains("http://") || html.contains("https://"), "offline: no external resources");
    String b64 = html.substring(html.indexOf("base64,") + 7, html.indexOf('"', html.indexOf("base64,")));
    assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64))), "the chart is embedded");
  }

  @Test
  void limitsApartByMoreThanTenPercentAreUnstable() {
    assertFalse(new Limit("FMA peak", "Java", 1, "GFLOP/s", 100, 91).unstable());
    assertTrue(new Limit("FMA peak", "Java", 1, "GFLOP/s", 100, 89).unstable());
    assertEquals(100, new Limit("copy", "Java", 1, "GB/s", 89, 100).used(), "the higher is used");
    assertEquals(19, new Limit("copy", "C", 1, "GB/s", 19, NAN).used());
    assertFalse(new Limit("copy", "C", 1, "GB/s", 19, NAN).unstable());
  }

  @Test
  void aKernelAbove105PercentOfItsLimitIsFlagged() {
    assertFalse(rows(16.8).get(6).overLimit());
    Row over = rows(16.9).get(6);
    assertTrue(over.overLimit());
    String why = "relu 32M on 1 thread(s) ran at 106 % of its limit (copy)";
    String table = ReportWriter.table(meta(List.of(why)), limits(99), rows(16.9));
    assertTrue(table.contains("UNRELIABLE RUN:\n  - " + why), table);
    assertTrue(table.contains("106 %!"), table);
    String csv = ReportWriter.csv(limits(50), rows(16.9));
    assertTrue(csv.contains("over 105% of limit"), csv);
    assertTrue(csv.contains("before/after differ 50%"), csv);
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingRuns() throws Exception {
    assertEquals(2, Report.main(new String[] {"--fast"}));
    assertEquals(2, Report.main(new String[] {"--out"}));
  }
}
