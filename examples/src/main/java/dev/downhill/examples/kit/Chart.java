package dev.downhill.examples.kit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line/scatter chart in matplotlib's house style (white plot, grey grid, tab10 colours, legend in
 * the upper right corner), drawn by JFreeChart into a PNG or an image. Lines take the next colour of
 * the cycle; points are drawn in the colour given, on top of the lines.
 *
 * <pre>{@code
 * Chart.of("title", "x", "loss").line("Loss Curve", xs, ys).points("Steps", hx, hy, Chart.RED).save(out, "a.png", 800, 400);
 * }</pre>
 */
public final class Chart {
  /** matplotlib's tab10 cycle. */
  public static final Color[] CYCLE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
  public static final Color RED = new Color(0xd62728);

  private record Series(String name, double[] x, double[] y, Color color, boolean line, boolean dots) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private String subtitle;
  private boolean logY;
  private boolean logX;
  private int colours;

  private Chart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public static Chart of(String title, String xLabel, String yLabel) {
    return new Chart(title, xLabel, yLabel);
  }

  /** A line through (x[i], y[i]) in the next colour of the cycle. */
  public Chart line(String name, double[] x, double[] y) {
    series.add(new Series(name, x, y, CYCLE[colours++ % CYCLE.length], true, false));
    return this;
  }

  /** A line over y[i] against i = 0, 1, …, as {@code plt.plot(ys)}. */
  public Chart line(String name, double[] y) {
    return line(name, indices(y.length), y);
  }

  /** A line with a dot on every point, as matplotlib's {@code '-o'}. */
  public Chart lineWithDots(String name, double[] x, double[] y) {
    series.add(new Series(name, x, y, CYCLE[colours++ % CYCLE.length], true, true));
    return this;
  }

  /** Dots only, in {@code color}, as {@code plt.scatter}; a null name keeps them out of the legend. */
  public Chart points(String name, double[] x, double[] y, Color color) {
    series.add(new Series(name, x, y, color, false, true));
    return this;
  }

  /** A logarithmic y axis; values ≤ 0 cannot be drawn on it and are left out. */
  public Chart logY() {
    logY = true;
    return this;
  }

  /** A logarithmic x axis; values ≤ 0 are left out. */
  public Chart logX() {
    logX = true;
    return this;
  }

  public Chart subtitle(String text) {
    subtitle = text;
    return this;
  }

  public BufferedImage image(int width, int height) {
    return build().createBufferedImage(width, height);
  }

  /** Writes the chart as a PNG picture of the demo called {@code name}. */
  public Path save(Out out, String name, int width, int height) throws IOException {
    Path file = out.picture(name);
    ChartUtils.saveChartAsPNG(file.toFile(), build(), width, height);
    return file;
  }

  private JFreeChart build() {
    ValueAxis x = axis(xLabel, logX);
    ValueAxis y = axis(yLabel, logY);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      XYSeries data = new XYSeries(s.name() == null ? "#" + i : s.name(), false, true);
      for (int k = 0; k < s.x().length; k++) {
        if (drawable(s, k)) {
          data.add(s.x()[k], s.y()[k]);
        }
      }
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(s.line(), s.dots());
      r.setSeriesPaint(0, s.color());
      r.setSeriesVisibleInLegend(0, s.name() != null);
      r.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      double d = s.line() ? 7 : 10;
      r.setSeriesShape(0, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
      // Dots (plt.scatter, zorder=5) go on top, and after the lines in the legend.
      int index = s.line() ? i : series.size() + i;
      plot.setDataset(index, new XYSeriesCollection(data));
      plot.setRenderer(index, r);
    }
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    Style.plot(plot);
    JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, false);
    LegendTitle legend = new LegendTitle(plot);
    legend.setItemFont(Style.LEGEND);
    legend.setBackgroundPaint(new Color(255, 255, 255, 220));
    legend.setFrame(new BlockBorder(new Color(0xcccccc)));
    legend.setPosition(RectangleEdge.TOP);
    legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 4));
    double[] at = bestPlace();
    // XYTitleAnnotation's relative coordinates are linear in the axis values, so on a log axis
    // fix the range and turn the place (a fraction of the log span) into that linear fraction.
    at = new double[] {logX ? linearFraction(plot.getDomainAxis(), at[0], 0) : at[0],
        logY ? linearFraction(plot.getRangeAxis(), at[1], 2) : at[1]};
    RectangleAnchor[][] anchors = {
        {RectangleAnchor.BOTTOM_LEFT, RectangleAnchor.BOTTOM, RectangleAnchor.BOTTOM_RIGHT},
        {RectangleAnchor.LEFT, RectangleAnchor.CENTER, RectangleAnchor.RIGHT},
        {RectangleAnchor.TOP_LEFT, RectangleAnchor.TOP, RectangleAnchor.TOP_RIGHT}};
    plot.addAnnotation(new XYTitleAnnotation(at[0], at[1], legend, anchors[level(at[1])][level(at[0])]));
    if (subtitle != null) {
      TextTitle sub = new TextTitle(subtitle, Style.SUBTITLE);
      sub.setPaint(Color.DARK_GRAY);
      chart.addSubtitle(sub);
    }
    Style.chart(chart);
    return chart;
  }

  /**
   * matplotlib's {@code loc='best'}, roughly: of its nine places (tried in its order: upper right,
   * upper left, lower left, lower right, right, centre left, centre right, lower centre, upper
   * centre, centre), the first whose legend-sized box covers the fewest data points.
   */
  private double[] bestPlace() {
    double[][] places = {{.99, .98}, {.01, .98}, {.01, .02}, {.99, .02}, {.99, .5}, {.01, .5}, {.99, .5},
        {.5, .02}, {.5, .98}, {.5, .5}};
    double[] b = bounds();
    double x0 = b[0];
    double x1 = b[1];
    double y0 = b[2];
    double y1 = b[3];
    double boxW = 0.45;
    double boxH = 0.12;
    double[] best = places[0];
    int fewest = Integer.MAX_VALUE;
    for (double[] place : places) {
      int count = 0;
      for (Series s : series) {
        for (int k = 0; k < s.x().length; k++) {
          if (drawable(s, k)) {
            double u = (tx(s.x()[k], logX) - x0) / Math.max(x1 - x0, 1e-300);
            double v = (tx(s.y()[k], logY) - y0) / Math.max(y1 - y0, 1e-300);
            if (inside(u, place[0], boxW) && inside(v, place[1], boxH)) {
              count++;
            }
          }
        }
      }
      if (count < fewest) {
        fewest = count;
        best = place;
      }
    }
    return best;
  }

  /** Whether u (0–1 across the plot) falls in a box of size w anchored at a (0.01 low, 0.5 centre, 0.99 high). */
  private static boolean inside(double u, double a, double w) {
    return a > 0.9 ? u > 1 - w - 0.02 : a < 0.1 ? u < w + 0.02 : Math.abs(u - 0.5) < w / 2 + 0.02;
  }

  private static int level(double a) {
    return a > 0.9 ? 2 : a < 0.1 ? 0 : 1;
  }

  /** Fixes the log axis' range (5 % margins in log space) and returns place p as a linear fraction of it. */
  private double linearFraction(ValueAxis axis, double p, int which) {
    double[] b = bounds();
    double lo = b[which];
    double hi = b[which + 1];
    double margin = 0.05 * Math.max(hi - lo, 1e-3);
    double a = Math.pow(10, lo - margin);
    double z = Math.pow(10, hi + margin);
    axis.setRange(a, z);
    return (Math.pow(10, lo - margin + p * (hi - lo + 2 * margin)) - a) / (z - a);
  }

  /** The drawable data's x0, x1, y0, y1, in log10 on a log axis. */
  private double[] bounds() {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int k = 0; k < s.x().length; k++) {
        if (drawable(s, k)) {
          x0 = Math.min(x0, tx(s.x()[k], logX));
          x1 = Math.max(x1, tx(s.x()[k], logX));
          y0 = Math.min(y0, tx(s.y()[k], logY));
          y1 = Math.max(y1, tx(s.y()[k], logY));
        }
      }
    }
    return new double[] {x0, x1, y0, y1};
  }

  private boolean drawable(Series s, int k) {
    return (!logY || s.y()[k] > 0) && (!logX || s.x()[k] > 0) && Double.isFinite(s.y()[k]);
  }

  private static double tx(double v, boolean log) {
    return log ? Math.log10(v) : v;
  }

  private static ValueAxis axis(String label, boolean log) {
    if (log) {
      LogAxis a = new LogAxis(label);
      a.setBase(10);
      a.setSmallestValue(1e-30);
      a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
      a.setMinorTickCount(9);
      a.setMinorTickMarksVisible(true);
      return a;
    }
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    return a;
  }

  /** 0, 1, …, n − 1. */
  public static double[] indices(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  /** Fonts and colours shared by every chart. */
  static final class Style {
    static final Font TITLE = Text.font(Font.BOLD, 17);
    static final Font SUBTITLE = Text.font(Font.PLAIN, 12);
    static final Font LABEL = Text.font(Font.PLAIN, 14);
    static final Font TICK = Text.font(Font.PLAIN, 12);
    static final Font LEGEND = Text.font(Font.PLAIN, 13);
    static final Color GRID = new Color(0xb0b0b0);

    static void plot(XYPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setOutlinePaint(Color.BLACK);
      plot.setDomainGridlinePaint(GRID);
      plot.setRangeGridlinePaint(GRID);
      plot.setDomainGridlineStroke(new BasicStroke(0.8f));
      plot.setRangeGridlineStroke(new BasicStroke(0.8f));
      plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
      for (ValueAxis a : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
        a.setLabelFont(LABEL);
        a.setTickLabelFont(TICK);
        a.setLabelPaint(Color.BLACK);
        a.setTickLabelPaint(Color.BLACK);
      }
    }

    static void chart(JFreeChart chart) {
      chart.setBackgroundPaint(Color.WHITE);
      chart.setPadding(new RectangleInsets(6, 6, 6, 14));
      chart.setAntiAlias(true);
      chart.setTextAntiAlias(true);
    }
  }
}
