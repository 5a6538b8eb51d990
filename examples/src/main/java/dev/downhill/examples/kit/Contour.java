package dev.downhill.examples.kit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A filled contour map, as matplotlib's {@code contourf(X, Y, Z, levels, cmap='viridis')} with a
 * path drawn over it: JFreeChart's {@code XYBlockRenderer} colours each grid cell by the band its
 * value falls in (a {@code LookupPaintScale} of viridis colours), with a colour bar beside it; the path
 * and a marked point are line and shape series on top.
 */
public final class Contour {
  private final double[] gx;
  private final double[] gy;
  private final double[][] z;
  private final int levels;
  private double[] px = {};
  private double[] py = {};
  private double mx = Double.NaN;
  private double my = Double.NaN;
  private String mark = "";
  private String title = "";
  private String xLabel = "x";
  private String yLabel = "y";
  private String zLabel = "z";

  /** z[i][j] at (gx[j], gy[i]) on a regular grid, coloured in {@code levels} bands. */
  public Contour(double[] gx, double[] gy, double[][] z, int levels) {
    this.gx = gx;
    this.gy = gy;
    this.z = z;
    this.levels = levels;
  }

  public Contour path(double[] px, double[] py) {
    this.px = px;
    this.py = py;
    return this;
  }

  /** A point marked with a white cross and a label (e.g. the true minimum). */
  public Contour mark(double x, double y, String label) {
    this.mx = x;
    this.my = y;
    this.mark = label;
    return this;
  }

  public Contour title(String title) {
    this.title = title;
    return this;
  }

  public Contour labels(String xLabel, String yLabel, String zLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.zLabel = zLabel;
    return this;
  }

  public Path save(Out out, String name, int width, int height) throws IOException {
    Path file = out.picture(name);
    ChartUtils.saveChartAsPNG(file.toFile(), build(), width, height);
    return file;
  }

  /** The segments (x0, y0, x1, y1) where the grid's piecewise-linear surface crosses {@code level}. */
  private java.util.List<double[]> isoline(double level) {
    java.util.List<double[]> segs = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < gy.length; i++) {
      for (int j = 0; j + 1 < gx.length; j++) {
        // corners in order around the cell: (j, i), (j+1, i), (j+1, i+1), (j, i+1)
        double[] cx = {gx[j], gx[j + 1], gx[j + 1], gx[j]};
        double[] cy = {gy[i], gy[i], gy[i + 1], gy[i + 1]};
        double[] cz = {z[i][j], z[i][j + 1], z[i + 1][j + 1], z[i + 1][j]};
        double[] px = new double[4];
        double[] py = new double[4];
        int n = 0;
        for (int e = 0; e < 4; e++) {
          double a = cz[e] - level;
          double c = cz[(e + 1) % 4] - level;
          if ((a < 0) != (c < 0)) {
            double t = a / (a - c);
            px[n] = cx[e] + t * (cx[(e + 1) % 4] - cx[e]);
            py[n] = cy[e] + t * (cy[(e + 1) % 4] - cy[e]);
            n++;
          }
        }
        for (int k = 0; k + 1 < n; k += 2) {
          segs.add(new double[] {px[k], py[k], px[k + 1], py[k + 1]});
        }
      }
    }
    return segs;
  }

  private JFreeChart build() {
    int n = gx.length * gy.length;
    double[][] xyz = new double[3][n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0, k = 0; i < gy.length; i++) {
      for (int j = 0; j < gx.length; j++, k++) {
        xyz[0][k] = gx[j];
        xyz[1][k] = gy[i];
        xyz[2][k] = z[i][j];
        lo = Math.min(lo, z[i][j]);
        hi = Math.max(hi, z[i][j]);
      }
    }
    DefaultXYZDataset grid = new DefaultXYZDataset();
    grid.addSeries("z", xyz);
    LookupPaintScale scale = new LookupPaintScale(lo, hi + 1e-9 * (hi - lo), Viridis.at(1));
    // Levels closer together near the minimum (quadratically spaced), so the rings around it show.
    double[] bounds = new double[levels];
    for (int b = 0; b < levels; b++) {
      double t = (double) b / levels;
      bounds[b] = lo + (hi - lo) * t * t;
      scale.add(bounds[b], Viridis.at(b / (levels - 1.0)));
    }
    XYBlockRenderer blocks = new XYBlockRenderer();
    blocks.setBlockWidth(gx[1] - gx[0]);
    blocks.setBlockHeight(gy[1] - gy[0]);
    blocks.setPaintScale(scale);

    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    double hw = (gx[1] - gx[0]) / 2;
    double hh = (gy[1] - gy[0]) / 2;
    x.setRange(gx[0] - hw, gx[gx.length - 1] + hw);
    y.setRange(gy[0] - hh, gy[gy.length - 1] + hh);
    XYPlot plot = new XYPlot(grid, x, y, blocks);
    // Isolines at the band boundaries (marching squares), as matplotlib's contour() over contourf().
    BasicStroke thin = new BasicStroke(0.8f);
    Color line = new Color(255, 255, 255, 110);
    for (int b = 1; b < levels; b++) {
      java.awt.geom.Path2D path = new java.awt.geom.Path2D.Double();
      for (double[] seg : isoline(bounds[b])) {
        path.moveTo(seg[0], seg[1]);
        path.lineTo(seg[2], seg[3]);
      }
      plot.addAnnotation(new XYShapeAnnotation(path, thin, line));
    }

    XYSeries path = new XYSeries("path", false, true);
    for (int k = 0; k < px.length; k++) {
      path.add(px[k], py[k]);
    }
    XYLineAndShapeRenderer red = new XYLineAndShapeRenderer(true, true);
    red.setSeriesPaint(0, Chart.RED);
    red.setSeriesStroke(0, new BasicStroke(2f));
    red.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    plot.setDataset(1, new XYSeriesCollection(path));
    plot.setRenderer(1, red);
    if (!Double.isNaN(mx)) {
      XYSeries m = new XYSeries("mark");
      m.add(mx, my);
      XYLineAndShapeRenderer cross = new XYLineAndShapeRenderer(false, true);
      cross.setSeriesPaint(0, Color.WHITE);
      cross.setSeriesShape(0, org.jfree.chart.util.ShapeUtils.createDiagonalCross(5, 1.2f));
      plot.setDataset(2, new XYSeriesCollection(m));
      plot.setRenderer(2, cross);
      XYTextAnnotation text = new XYTextAnnotation(mark, mx - 0.25, my);
      text.setFont(Chart.Style.TICK);
      text.setPaint(Color.WHITE);
      text.setTextAnchor(TextAnchor.CENTER_RIGHT);
      plot.addAnnotation(text);
    }
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    Chart.Style.plot(plot);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);

    JFreeChart chart = new JFreeChart(title, Chart.Style.TITLE, plot, false);
    NumberAxis barAxis = new NumberAxis(zLabel);
    barAxis.setRange(lo, hi);
    barAxis.setLabelFont(Chart.Style.LABEL);
    barAxis.setTickLabelFont(Chart.Style.TICK);
    PaintScaleLegend bar = new PaintScaleLegend(scale, barAxis);
    bar.setPosition(RectangleEdge.RIGHT);
    bar.setStripWidth(16);
    bar.setAxisOffset(4);
    bar.setMargin(new RectangleInsets(40, 10, 40, 0));
    bar.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(bar);
    Chart.Style.chart(chart);
    return chart;
  }
}
