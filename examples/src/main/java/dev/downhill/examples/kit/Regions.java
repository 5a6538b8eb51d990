package dev.downhill.examples.kit;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A 2-D classifier's decision regions with the data on top, as the usual matplotlib picture
 * ({@code contourf} of the predicted class over a grid, then {@code scatter} coloured by label):
 * each grid cell takes the pale colour of the class the model predicts there, paler where it is
 * less sure (softmax probability), and each point the full colour of its true class.
 */
public final class Regions {
  private record Points(String name, double[] x, double[] y, int[] label, boolean hollow) {}

  private final String title;
  private final UnaryOperator<Tensor> logits;
  private final int classes;
  private final List<Points> points = new ArrayList<>();
  private double x0 = -1.5;
  private double x1 = 1.5;
  private double y0 = -1.5;
  private double y1 = 1.5;
  private String subtitle;
  private static final int GRID = 160;

  private Regions(String title, UnaryOperator<Tensor> logits, int classes) {
    this.title = title;
    this.logits = logits;
    this.classes = classes;
  }

  /** {@code logits} maps points [M, 2] to class scores [M, classes] (a model's forward). */
  public static Regions of(String title, UnaryOperator<Tensor> logits, int classes) {
    return new Regions(title, logits, classes);
  }

  public Regions range(double x0, double x1, double y0, double y1) {
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
    return this;
  }

  public Regions subtitle(String text) {
    subtitle = text;
    return this;
  }

  /** Points x [N, 2] with class indices y [N], filled (e.g. training data) or hollow (e.g. validation). */
  public Regions points(String name, Tensor x, Tensor y, boolean hollow) {
    double[] xy = Vals.of(x);
    double[] ly = Vals.of(y);
    int n = ly.length;
    double[] px = new double[n];
    double[] py = new double[n];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      px[i] = xy[2 * i];
      py[i] = xy[2 * i + 1];
      label[i] = (int) ly[i];
    }
    points.add(new Points(name, px, py, label, hollow));
    return this;
  }

  public BufferedImage image(int width, int height) {
    return build().createBufferedImage(width, height);
  }

  public Path save(Out out, String name, int width, int height) throws IOException {
    Path file = out.picture(name);
    ChartUtils.saveChartAsPNG(file.toFile(), build(), width, height);
    return file;
  }

  private static Color mix(Color c, double f) {
    return new Color((int) Math.round(255 + (c.getRed() - 255) * f), (int) Math.round(255 + (c.getGreen() - 255) * f),
        (int) Math.round(255 + (c.getBlue() - 255) * f));
  }

  private JFreeChart build() {
    double dx = (x1 - x0) / GRID;
    double dy = (y1 - y0) / GRID;
    float[] grid = new float[2 * GRID * GRID];
    for (int i = 0, k = 0; i < GRID; i++) {
      for (int j = 0; j < GRID; j++, k++) {
        grid[2 * k] = (float) (x0 + (j + 0.5) * dx);
        grid[2 * k + 1] = (float) (y0 + (i + 0.5) * dy);
      }
    }
    double[] prob;
    try (var noGrad = Autograd.noGrad()) {
      prob = Vals.of(logits.apply(Tensor.of(grid, GRID * GRID, 2)).softmax(1));
    }
    // z = predicted class + its probability's share above chance, in [k, k + 1)
    double[][] xyz = new double[3][GRID * GRID];
    for (int k = 0; k < GRID * GRID; k++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (prob[k * classes + c] > prob[k * classes + best]) {
          best = c;
        }
      }
      double sure = (prob[k * classes + best] - 1.0 / classes) / (1 - 1.0 / classes);
      xyz[0][k] = grid[2 * k];
      xyz[1][k] = grid[2 * k + 1];
      xyz[2][k] = best + Math.min(0.999, Math.max(0, sure));
    }
    LookupPaintScale scale = new LookupPaintScale(0, classes, Color.WHITE);
    for (int c = 0; c < classes; c++) {
      for (int b = 0; b < 8; b++) {
        scale.add(c + b / 8.0, mix(Chart.CYCLE[c], 0.08 + 0.32 * b / 7.0));
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("regions", xyz);
    XYBlockRenderer blocks = new XYBlockRenderer();
    blocks.setBlockWidth(dx);
    blocks.setBlockHeight(dy);
    blocks.setPaintScale(scale);
    NumberAxis ax = new NumberAxis("x₁");
    NumberAxis ay = new NumberAxis("x₂");
    ax.setRange(x0, x1);
    ay.setRange(y0, y1);
    XYPlot plot = new XYPlot(data, ax, ay, blocks);
    int index = 1;
    for (Points p : points) {
      for (int c = 0; c < classes; c++) {
        XYSeries s = new XYSeries(p.name() + " · " + c, false, true);
        for (int i = 0; i < p.label().length; i++) {
          if (p.label()[i] == c) {
            s.add(p.x()[i], p.y()[i]);
          }
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        double d = p.hollow() ? 6 : 7;
        r.setSeriesShape(0, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
        r.setSeriesPaint(0, Chart.CYCLE[c]);
        r.setUseOutlinePaint(true);
        r.setSeriesOutlinePaint(0, p.hollow() ? Chart.CYCLE[c] : Color.BLACK);
        r.setSeriesOutlineStroke(0, new BasicStroke(p.hollow() ? 1.3f : 0.6f));
        r.setSeriesShapesFilled(0, !p.hollow());
        r.setDrawOutlines(true);
        // one legend row per kind of point, in the first class's colour
        r.setSeriesVisibleInLegend(0, c == 0 && p.name() != null);
        plot.setDataset(index, new XYSeriesCollection(s));
        plot.setRenderer(index, r);
        index++;
      }
    }
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    Chart.Style.plot(plot);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart = new JFreeChart(title, Chart.Style.TITLE, plot, false);
    if (points.stream().anyMatch(p -> p.name() != null)) {
      LegendTitle legend = new LegendTitle(plot);
      legend.setItemFont(Chart.Style.LEGEND);
      legend.setBackgroundPaint(new Color(255, 255, 255, 220));
      legend.setFrame(new BlockBorder(new Color(0xcccccc)));
      legend.setPosition(RectangleEdge.TOP);
      plot.addAnnotation(new XYTitleAnnotation(0.99, 0.01, legend, RectangleAnchor.BOTTOM_RIGHT));
    }
    if (subtitle != null) {
      TextTitle sub = new TextTitle(subtitle, Chart.Style.SUBTITLE);
      sub.setPaint(Color.DARK_GRAY);
      chart.addSubtitle(sub);
    }
    Chart.Style.chart(chart);
    return chart;
  }
}
