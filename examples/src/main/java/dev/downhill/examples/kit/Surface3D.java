package dev.downhill.examples.kit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A 3-D surface with a path on it, as matplotlib's {@code plot_surface(X, Y, Z, cmap='viridis')}
 * plus {@code ax.plot(px, py, pz, 'r-o')}, drawn with Java2D by the painter's algorithm mplot3d
 * uses: project the mesh at mplot3d's default view (azimuth −60°, elevation 30°), sort the quads far
 * to near, fill each by the colour map at its mean height, then draw the path on top. No Java
 * library outside the GPL draws 3-D surfaces headlessly, hence this small renderer.
 */
public final class Surface3D {
  private static final double AZIMUTH = Math.toRadians(-60);
  private static final double ELEVATION = Math.toRadians(30);

  private final double[][] x;
  private final double[][] y;
  private final double[][] z;
  private double[] px = {};
  private double[] py = {};
  private double[] pz = {};
  private String title = "";
  private String xLabel = "x";
  private String yLabel = "y";
  private String zLabel = "z";

  /** The surface z[i][j] over the grid points (x[i][j], y[i][j]), as from {@code np.meshgrid}. */
  public Surface3D(double[][] x, double[][] y, double[][] z) {
    this.x = x;
    this.y = y;
    this.z = z;
  }

  public Surface3D path(double[] px, double[] py, double[] pz) {
    this.px = px;
    this.py = py;
    this.pz = pz;
    return this;
  }

  public Surface3D title(String title) {
    this.title = title;
    return this;
  }

  public Surface3D labels(String xLabel, String yLabel, String zLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.zLabel = zLabel;
    return this;
  }

  public Path save(Out out, String name, int width, int height) throws IOException {
    Path file = out.picture(name);
    ImageIO.write(render(width, height), "png", file.toFile());
    return file;
  }

  public BufferedImage render(int width, int height) {
    double[] xr = range(x, px);
    double[] yr = range(y, py);
    double[] zr = range(z, pz);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);

    g.setFont(Chart.Style.TITLE);
    FontMetrics tm = g.getFontMetrics();
    g.setColor(Color.BLACK);
    g.drawString(title, (width - tm.stringWidth(title)) / 2, 12 + tm.getAscent());
    Projection p = new Projection(xr, yr, zr, 70, 30 + tm.getHeight(), width - 140, height - 80 - tm.getHeight());

    // Back panes (the ones facing the viewer's far side), with grid lines at the ticks, as mplot3d.
    double xb = p.ex > 0 ? -0.5 : 0.5;
    double yb = p.ey > 0 ? -0.5 : 0.5;
    double[] xt = ticks(xr);
    double[] yt = ticks(yr);
    double[] zt = ticks(zr);
    Color pane = new Color(0xf0f0f0);
    Color grid = new Color(0xd6d6d6);
    fill(g, pane, p.at(xb, -.5, -.5), p.at(xb, .5, -.5), p.at(xb, .5, .5), p.at(xb, -.5, .5));
    fill(g, pane, p.at(-.5, yb, -.5), p.at(.5, yb, -.5), p.at(.5, yb, .5), p.at(-.5, yb, .5));
    fill(g, new Color(0xe4e4e4), p.at(-.5, -.5, -.5), p.at(.5, -.5, -.5), p.at(.5, .5, -.5), p.at(-.5, .5, -.5));
    g.setStroke(new BasicStroke(0.8f));
    g.setColor(grid);
    for (double t : xt) {
      double u = p.nx(t);
      line(g, p.at(u, -.5, -.5), p.at(u, .5, -.5));
      line(g, p.at(u, yb, -.5), p.at(u, yb, .5));
    }
    for (double t : yt) {
      double u = p.ny(t);
      line(g, p.at(-.5, u, -.5), p.at(.5, u, -.5));
      line(g, p.at(xb, u, -.5), p.at(xb, u, .5));
    }
    for (double t : zt) {
      double u = p.nz(t);
      line(g, p.at(xb, -.5, u), p.at(xb, .5, u));
      line(g, p.at(-.5, yb, u), p.at(.5, yb, u));
    }

    // The surface: quads sorted far to near, each filled by viridis at its mean height.
    record Quad(double depth, double height, Point2D[] corners) {}
    List<Quad> quads = new ArrayList<>();
    double zmin = range(z, new double[0])[0];
    double zmax = range(z, new double[0])[1];
    for (int i = 0; i + 1 < z.length; i++) {
      for (int j = 0; j + 1 < z[i].length; j++) {
        int[][] c = {{i, j}, {i, j + 1}, {i + 1, j + 1}, {i + 1, j}};
        double depth = 0;
        double mean = 0;
        Point2D[] pts = new Point2D[4];
        for (int k = 0; k < 4; k++) {
          double a = p.nx(x[c[k][0]][c[k][1]]);
          double b = p.ny(y[c[k][0]][c[k][1]]);
          double h = p.nz(z[c[k][0]][c[k][1]]);
          depth += p.depth(a, b, h);
          mean += z[c[k][0]][c[k][1]];
          pts[k] = p.at(a, b, h);
        }
        quads.add(new Quad(depth / 4, mean / 4, pts));
      }
    }
    quads.sort(Comparator.comparingDouble(Quad::depth));
    g.setStroke(new BasicStroke(0.6f));
    for (Quad q : quads) {
      Color c = Viridis.at((q.height() - zmin) / (zmax - zmin));
      fill(g, c, q.corners());
      g.setColor(c);
      g.draw(polygon(q.corners()));
    }

    // The path on top ('r-o').
    g.setColor(Chart.RED);
    g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    Point2D prev = null;
    for (int k = 0; k < px.length; k++) {
      Point2D q = p.at(p.nx(px[k]), p.ny(py[k]), p.nz(pz[k]));
      if (prev != null) {
        line(g, prev, q);
      }
      prev = q;
    }
    for (int k = 0; k < px.length; k++) {
      Point2D q = p.at(p.nx(px[k]), p.ny(py[k]), p.nz(pz[k]));
      g.fill(new Ellipse2D.Double(q.getX() - 3.5, q.getY() - 3.5, 7, 7));
    }

    // Tick labels and axis labels on the front edges, pushed away from the box's centre.
    g.setFont(Chart.Style.TICK);
    g.setColor(Color.BLACK);
    for (double t : xt) {
      label(g, p, fmt(t), p.nx(t), -yb, -.5, 16);
    }
    for (double t : yt) {
      label(g, p, fmt(t), -xb, p.ny(t), -.5, 16);
    }
    double[] zEdge = leftEdge(p);
    for (double t : zt) {
      label(g, p, fmt(t), zEdge[0], zEdge[1], p.nz(t), 18);
    }
    g.setFont(Chart.Style.LABEL);
    label(g, p, xLabel, 0, -yb, -.5, 42);
    label(g, p, yLabel, -xb, 0, -.5, 42);
    label(g, p, zLabel, zEdge[0], zEdge[1], 0, 48);
    g.dispose();
    return img;
  }

  /** The vertical edge of the box furthest left on screen, where mplot3d puts the z axis. */
  private static double[] leftEdge(Projection p) {
    double[] best = null;
    double bestU = Double.POSITIVE_INFINITY;
    for (double a : new double[] {-.5, .5}) {
      for (double b : new double[] {-.5, .5}) {
        double u = p.at(a, b, 0).getX();
        if (u < bestU) {
          bestU = u;
          best = new double[] {a, b};
        }
      }
    }
    return best;
  }

  private static void label(Graphics2D g, Projection p, String s, double a, double b, double c, double push) {
    Point2D at = p.at(a, b, c);
    Point2D centre = p.at(0, 0, c);
    double dx = at.getX() - centre.getX();
    double dy = at.getY() - centre.getY();
    double len = Math.hypot(dx, dy);
    if (len < 1e-9) {
      dx = 0;
      dy = 1;
      len = 1;
    }
    FontMetrics fm = g.getFontMetrics();
    double cx = at.getX() + dx / len * push;
    double cy = at.getY() + dy / len * push;
    g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) (cy + fm.getAscent() / 2.0 - 1));
  }

  private static String fmt(double t) {
    return t == Math.rint(t) ? Long.toString((long) t) : String.format(java.util.Locale.ROOT, "%.1f", t);
  }

  private static void fill(Graphics2D g, Color c, Point2D... pts) {
    g.setColor(c);
    g.fill(polygon(pts));
  }

  private static void line(Graphics2D g, Point2D a, Point2D b) {
    g.draw(new Line2D.Double(a, b));
  }

  private static Path2D polygon(Point2D... pts) {
    Path2D path = new Path2D.Double();
    path.moveTo(pts[0].getX(), pts[0].getY());
    for (int k = 1; k < pts.length; k++) {
      path.lineTo(pts[k].getX(), pts[k].getY());
    }
    path.closePath();
    return path;
  }

  private static double[] range(double[][] grid, double[] extra) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : grid) {
      for (double v : row) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    for (double v : extra) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new double[] {lo, hi};
  }

  /** About five round tick values inside [lo, hi]. */
  static double[] ticks(double[] r) {
    double raw = (r[1] - r[0]) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(r[0] / step) * step; v <= r[1] + 1e-9 * step; v += step) {
      t.add(Math.abs(v) < 1e-9 * step ? 0 : v);
    }
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Data → the unit box [−0.5, 0.5]³ → the screen, at mplot3d's default view. */
  private static final class Projection {
    final double ex = Math.cos(ELEVATION) * Math.cos(AZIMUTH);
    final double ey = Math.cos(ELEVATION) * Math.sin(AZIMUTH);
    final double ez = Math.sin(ELEVATION);
    private final double[] xr;
    private final double[] yr;
    private final double[] zr;
    private final double scale;
    private final double u0;
    private final double v0;

    Projection(double[] xr, double[] yr, double[] zr, double left, double top, double w, double h) {
      this.xr = xr;
      this.yr = yr;
      this.zr = zr;
      double umin = Double.POSITIVE_INFINITY;
      double umax = Double.NEGATIVE_INFINITY;
      double vmin = Double.POSITIVE_INFINITY;
      double vmax = Double.NEGATIVE_INFINITY;
      for (double a : new double[] {-.5, .5}) {
        for (double b : new double[] {-.5, .5}) {
          for (double c : new double[] {-.5, .5}) {
            umin = Math.min(umin, u(a, b));
            umax = Math.max(umax, u(a, b));
            vmin = Math.min(vmin, v(a, b, c));
            vmax = Math.max(vmax, v(a, b, c));
          }
        }
      }
      scale = Math.min(w / (umax - umin), h / (vmax - vmin));
      u0 = left + (w - scale * (umax - umin)) / 2 - scale * umin;
      v0 = top + (h - scale * (vmax - vmin)) / 2 + scale * vmax;
    }

    double nx(double v) {
      return (v - xr[0]) / (xr[1] - xr[0]) - 0.5;
    }

    double ny(double v) {
      return (v - yr[0]) / (yr[1] - yr[0]) - 0.5;
    }

    double nz(double v) {
      return (v - zr[0]) / (zr[1] - zr[0]) - 0.5;
    }

    private double u(double a, double b) {
      return -Math.sin(AZIMUTH) * a + Math.cos(AZIMUTH) * b;
    }

    private double v(double a, double b, double c) {
      return -ez * Math.cos(AZIMUTH) * a - ez * Math.sin(AZIMUTH) * b + Math.cos(ELEVATION) * c;
    }

    double depth(double a, double b, double c) {
      return ex * a + ey * b + ez * c;
    }

    Point2D at(double a, double b, double c) {
      return new Point2D.Double(u0 + scale * u(a, b), v0 - scale * v(a, b, c));
    }
  }
}
