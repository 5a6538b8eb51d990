package dev.downhill.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a report's rows four ways: the text table (stdout), {@code report.csv}, {@code gemm.png}
 * (GEMM GFLOP/s against the side of square products, one line per thread count, each thread count's
 * FMA peak as a dashed line) and {@code report.html} (both, with the chart embedded, so the page
 * works offline and on its own). Pure formatting: no measuring, so tests run it on canned numbers.
 */
public final class ReportWriter {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd)};

  private ReportWriter() {}

  /** Writes report.csv, gemm.png and report.html into {@code dir} and returns the text table. */
  public static String writeAll(Path dir, Meta meta, List<Limit> limits, List<Row> rows) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.csv"), csv(limits, rows), StandardCharsets.UTF_8);
    byte[] png = png(meta, limits, rows);
    Files.write(dir.resolve("gemm.png"), png);
    Files.writeString(dir.resolve("report.html"), html(meta, limits, rows, png), StandardCharsets.UTF_8);
    return table(meta, limits, rows);
  }

  // ------------------------------------------------------------------------------------ text

  /** The limits, then one line per kernel, then the verdict. */
  public static String table(Meta meta, List<Limit> limits, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "downhill bench report%s, %s%n", meta.quick() ? " (--quick: a smoke test, not a measurement)" : "", meta.date()));
    sb.append(String.format(Locale.ROOT, "%s; %s; %d threads, %d float lanes%n", meta.jdk(), meta.cpu(), meta.threads(), meta.lanes()));
    sb.append(String.format(Locale.ROOT, "command: %s%n", meta.command()));
    sb.append(String.format(Locale.ROOT, "load average (1 min) %.2f at start, %.2f at end; %.0f s%n%n", meta.loadBefore(), meta.loadAfter(), meta.seconds()));
    sb.append(String.format(Locale.ROOT, "%-22s %3s %10s %10s %10s %7s%n", "limit", "thr", "before", "after", "used", "spread"));
    for (Limit l : limits) {
      sb.append(String.format(Locale.ROOT, "%-22s %3d %10s %10s %10s %6.0f%%%s%n", l.label(), l.threads(), num(l.before()),
          num(l.after()), num(l.used()) + (l.unit().equals("GB/s") ? "" : ""), 100 * l.spread(), l.unstable() ? "  UNSTABLE" : ""));
    }
    sb.append(String.format(Locale.ROOT, "(FMA peak in GFLOP/s, bandwidths in GB/s; 4R3W: 4 arrays read, 3 written, an optimizer's traffic)%n%n"));
    sb.append(String.format(Locale.ROOT, "%-13s %-17s %3s %10s %9s %-7s %-8s %8s %8s %9s%n", "kernel", "size", "thr", "time/call",
        "value", "unit", "limit", "% limit", "% C", "x scalar"));
    String section = null;
    for (Row r : rows) {
      if (section != null && !section.equals(r.section())) sb.append('\n');
      section = r.section();
      sb.append(String.format(Locale.ROOT, "%-13s %-17s %3d %10s %9s %-7s %-8s %7s%s %8s %9s%n", r.kernel(), r.size(), r.threads(),
          time(r.timeUs()), num(r.value()), r.unit(), r.limitName(), pct(r.share()), r.overLimit() ? "!" : " ",
          Double.isNaN(r.cValue()) ? "" : pct(r.cShare()), Double.isNaN(r.scalarValue()) ? "" : times(r.speedup())));
    }
    sb.append('\n');
    if (meta.unreliable().isEmpty()) {
      sb.append("reliable: the limits agreed within 10 % before and after, and no kernel exceeded 105 % of its limit\n");
    } else {
      sb.append("UNRELIABLE RUN:\n");
      for (String why : meta.unreliable()) sb.append("  - ").append(why).append('\n');
    }
    return sb.toString();
  }

  static String num(double v) {
    if (Double.isNaN(v)) return "—";
    if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    if (v >= 0.1) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String pct(double share) {
    if (Double.isNaN(share) || Double.isInfinite(share)) return "—";
    return share < 0.01 ? String.format(Locale.ROOT, "%.1f %%", 100 * share) : String.format(Locale.ROOT, "%.0f %%", 100 * share);
  }

  static String times(double x) {
    return x >= 10 ? String.format(Locale.ROOT, "%.0f×", x) : String.format(Locale.ROOT, "%.1f×", x);
  }

  static String time(double us) {
    if (us >= 1e6) return String.format(Locale.ROOT, "%.2f s", us / 1e6);
    if (us >= 1e3) return String.format(Locale.ROOT, "%.1f ms", us / 1e3);
    if (us >= 10) return String.format(Locale.ROOT, "%.0f µs", us);
    return String.format(Locale.ROOT, "%.2f µs", us);
  }

  // ------------------------------------------------------------------------------------- CSV

  /**
   * One header line, then one line per limit ({@code section = limit}, with before/after) and per kernel.
   * Shares are fractions (0.78), not percent; empty fields where a figure does not apply.
   */
  public static String csv(List<Limit> limits, List<Row> rows) {
    StringBuilder sb = new StringBuilder(
        "section,kernel,size,threads,unit,value,time_us,limit,limit_value,share,c_stream_value,c_share,scalar_value,speedup,before,after,flag\n");
    for (Limit l : limits) {
      sb.append(String.join(",", "limit", csvText(l.label()), "", Integer.toString(l.threads()), l.unit(), csvNum(l.used()), "",
          "", "", "", "", "", "", "", csvNum(l.before()), csvNum(l.after()),
          l.unstable() ? String.format(Locale.ROOT, "before/after differ %.0f%%", 100 * l.spread()) : "")).append('\n');
    }
    for (Row r : rows) {
      sb.append(String.join(",", r.section(), csvText(r.kernel()), csvText(r.size()), Integer.toString(r.threads()), r.unit(),
          csvNum(r.value()), csvNum(r.timeUs()), r.limitName(), csvNum(r.limitValue()), csvNum(r.share()), csvNum(r.cValue()),
          csvNum(r.cShare()), csvNum(r.scalarValue()), csvNum(r.speedup()), "", "", r.overLimit() ? "over 105% of limit" : ""))
          .append('\n');
    }
    return sb.toString();
  }

  private static String csvNum(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String csvText(String s) {
    return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  // ------------------------------------------------------------------------------------- PNG

  /** GEMM GFLOP/s against the side n of square n³ products, one series per thread count, peaks dashed. */
  public static byte[] png(Meta meta, List<Limit> limits, List<Row> rows) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    TreeSet<Integer> threadCounts = new TreeSet<>();
    for (Row r : rows) if (isSquareGemm(r)) threadCounts.add(r.threads());
    double top = 0;
    double minSide = Double.MAX_VALUE;
    double maxSide = 0;
    for (int t : threadCounts) {
      XYSeries s = new XYSeries("downhill sgemm, " + t + (t == 1 ? " thread" : " threads"));
      for (Row r : rows) {
        if (isSquareGemm(r) && r.threads() == t) {
          double side = Integer.parseInt(r.size().substring(0, r.size().length() - 1));
          s.add(side, r.value());
          top = Math.max(top, r.value());
          minSide = Math.min(minSide, side);
          maxSide = Math.max(maxSide, side);
        }
      }
      data.addSeries(s);
    }
    List<double[]> peaks = new ArrayList<>();
    for (Limit l : limits) {
      if (l.name().equals("FMA peak") && threadCounts.contains(l.threads())) {
        peaks.add(new double[] {l.threads(), l.used()});
        top = Math.max(top, l.used());
      }
    }
    LogAxis x = new LogAxis("n  (C = A·B, all three n × n)");
    x.setBase(2);
    x.setTickUnit(new NumberTickUnit(1));
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    x.setMinorTickMarksVisible(false);
    if (maxSide > 0) x.setRange(minSide / 1.25, maxSide * 1.25);
    NumberAxis y = new NumberAxis("GFLOP/s");
    y.setRange(0, top > 0 ? top * 1.12 : 1);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2.5f));
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    int i = 0;
    for (int t : threadCounts) {
      for (double[] p : peaks) {
        if ((int) p[0] != t) continue;
        ValueMarker m = new ValueMarker(p[1], COLORS[i % COLORS.length],
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {8f, 5f}, 0f));
        m.setLabel(String.format(Locale.ROOT, "FMA peak, %d %s: %.0f GFLOP/s", t, t == 1 ? "thread" : "threads", p[1]));
        m.setLabelFont(new Font("SansSerif", Font.PLAIN, 13));
        m.setLabelPaint(COLORS[i % COLORS.length]);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        // Alternate sides, so labels of peaks close together do not overlap.
        boolean left = i % 2 == 0;
        m.setLabelAnchor(left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(left ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT);
        m.setLabelOffset(new RectangleInsets(2, 6, 2, 6));
        plot.addRangeMarker(m);
      }
      i++;
    }
    String title = "downhill SGEMM, GFLOP/s by size" + (meta.quick() ? " (--quick smoke test)" : "");
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 18), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new org.jfree.chart.title.TextTitle(meta.cpu() + ", " + meta.jdk() + ", " + meta.date(),
        new Font("SansSerif", Font.PLAIN, 12)));
    if (!meta.unreliable().isEmpty()) {
      chart.addSubtitle(new org.jfree.chart.title.TextTitle(
          meta.quick() ? "--quick: a smoke test, not a measurement" : "unreliable run: limits unstable or exceeded (see the report)",
          new Font("SansSerif", Font.BOLD, 12), new Color(0xb00020), org.jfree.chart.ui.RectangleEdge.TOP,
          org.jfree.chart.ui.HorizontalAlignment.CENTER, org.jfree.chart.ui.VerticalAlignment.CENTER, RectangleInsets.ZERO_INSETS));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(bytes, chart, 900, 520);
    return bytes.toByteArray();
  }

  /** The highest value the chart draws: square NN products and the FMA peaks of their thread counts. */
  static double chartTop(List<Row> rows, List<Limit> limits) {
    double top = 0;
    TreeSet<Integer> threads = new TreeSet<>();
    for (Row r : rows) {
      if (isSquareGemm(r)) {
        top = Math.max(top, r.value());
        threads.add(r.threads());
      }
    }
    for (Limit l : limits) if (l.name().equals("FMA peak") && threads.contains(l.threads())) top = Math.max(top, l.used());
    return top;
  }

  private static boolean isSquareGemm(Row r) {
    return r.kernel().equals("sgemm") && r.size().endsWith("³");
  }

  // ------------------------------------------------------------------------------------ HTML

  /** A page with the run's facts, the verdict, the limits, the kernels and the chart (embedded). */
  public static String html(Meta meta, List<Limit> limits, List<Row> rows, byte[] png) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>downhill bench report</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\n")
        .append("table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{padding:3px 10px;border-bottom:1px solid #ddd}\n")
        .append("th{background:#f3f3f3;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append("tr.sep td{border-top:2px solid #999}.bad{background:#fde0dc}.ok{background:#e3f4e1}\n")
        .append(".verdict{padding:.6em 1em;border-radius:4px;margin:1em 0}.meta{color:#555;font-size:14px}img{max-width:100%}\n")
        .append("</style></head><body>\n");
    sb.append("<h1>downhill bench report").append(meta.quick() ? " <small>(--quick smoke test, not a measurement)</small>" : "")
        .append("</h1>\n<p class=\"meta\">").append(esc(meta.date())).append(" · ").append(esc(meta.jdk())).append(" · ")
        .append(esc(meta.cpu())).append(" · ").append(meta.threads()).append(" threads, ").append(meta.lanes())
        .append(" float lanes<br>command: <code>").append(esc(meta.command())).append("</code><br>")
        .append(String.format(Locale.ROOT, "load average (1 min) %.2f at start, %.2f at end; run time %.0f s", meta.loadBefore(),
            meta.loadAfter(), meta.seconds()))
        .append("</p>\n");
    if (meta.unreliable().isEmpty()) {
      sb.append("<div class=\"verdict ok\">Reliable: the limits agreed within 10 % before and after the run and no kernel exceeded 105 % of its limit.</div>\n");
    } else {
      sb.append("<div class=\"verdict bad\"><b>Unreliable run:</b><ul>");
      for (String why : meta.unreliable()) sb.append("<li>").append(esc(why)).append("</li>");
      sb.append("</ul></div>\n");
    }
    sb.append("<h2>Kernels</h2>\n<table><tr><th>kernel</th><th>size</th><th>threads</th><th>time/call</th><th>value</th><th>unit</th>")
        .append("<th>limit</th><th>% of limit</th><th>% of C STREAM</th><th>× scalar twin</th></tr>\n");
    String section = null;
    for (Row r : rows) {
      boolean sep = section != null && !section.equals(r.section());
      section = r.section();
      sb.append(sep ? "<tr class=\"sep\">" : "<tr>").append("<td>").append(esc(r.kernel())).append("</td><td>")
          .append(esc(r.size())).append("</td><td class=\"n\">").append(r.threads()).append("</td><td class=\"n\">")
          .append(esc(time(r.timeUs()))).append("</td><td class=\"n\">").append(num(r.value())).append("</td><td>")
          .append(r.unit()).append("</td><td>").append(esc(r.limitName())).append("</td><td class=\"n")
          .append(r.overLimit() ? " bad" : "").append("\">").append(pct(r.share())).append("</td><td class=\"n\">")
          .append(Double.isNaN(r.cValue()) ? "" : pct(r.cShare())).append("</td><td class=\"n\">")
          .append(Double.isNaN(r.scalarValue()) ? "" : times(r.speedup())).append("</td></tr>\n");
    }
    sb.append("</table>\n<h2>GEMM by size</h2>\n<img alt=\"GEMM GFLOP/s by size\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    sb.append("<h2>The machine's limits</h2>\n<table><tr><th>limit</th><th>threads</th><th>before</th><th>after</th><th>used</th>")
        .append("<th>unit</th><th>spread</th></tr>\n");
    for (Limit l : limits) {
      sb.append("<tr><td>").append(esc(l.label())).append("</td><td class=\"n\">").append(l.threads()).append("</td><td class=\"n\">")
          .append(num(l.before())).append("</td><td class=\"n\">").append(num(l.after())).append("</td><td class=\"n\">")
          .append(num(l.used())).append("</td><td>").append(l.unit()).append("</td><td class=\"n").append(l.unstable() ? " bad" : "")
          .append("\">").append(pct(l.spread())).append("</td></tr>\n");
    }
    sb.append("</table>\n<p class=\"meta\">FMA peak: register-only vector FMAs (PeakBench), the best iteration. copy, triad, ")
        .append("4R3W: STREAM kernels on 64M floats per array, far larger than the caches (Java: StreamBench; C: bench/tools/stream.c, ")
        .append("gcc -O3 -fopenmp, ordinary stores); 4R3W has an optimizer's traffic (4 arrays read, 3 written). ")
        .append("Each limit is measured before and after the kernels; shares use the higher. Memory-bound kernels are held ")
        .append("against the STREAM kernel with their kind of traffic: copy (one array read, one written), triad (two read, one ")
        .append("written) or 4R3W (the optimizers).</p>\n</body></html>\n");
    return sb.toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
