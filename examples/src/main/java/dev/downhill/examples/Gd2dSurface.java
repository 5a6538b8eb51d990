package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Contour;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Surface3D;
import dev.downhill.examples.kit.Text;
import dev.downhill.examples.kit.Vals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent article, notebook part 2: f(x, y) = x² + y² + xy + 2x + 3y + 5 from (4, 4) with
 * η = 0.1 for 30 steps (gradient from autograd), drawn on the 3-D loss surface and on a contour map;
 * the true minimum is where ∇f = (2x + y + 2, 2y + x + 3) = 0: (−1/3, −4/3), f* = 8/3.
 */
public final class Gd2dSurface implements Demo {

  static Tensor loss2d(Tensor x, Tensor y) {
    return x.pow(2f).add(y.pow(2f)).add(x.mul(y)).add(x.mul(2f)).add(y.mul(3f)).add(5f);
  }

  /** loss_2d(w) with x, y = w. */
  static Tensor loss2d(Tensor w) {
    return loss2d(w.select(0, 0), w.select(0, 1));
  }

  /** The 31 points (x, y) the descent visits, first to last. */
  static List<float[]> path() {
    float eta = 0.1f;
    Tensor w = Tensor.of(new float[] {4.0f, 4.0f}).requiresGrad(true);
    List<float[]> path = new ArrayList<>(List.of(w.toArray())); // w.copy()
    for (int i = 0; i < 30; i++) {
      loss2d(w).backward();
      try (var noGrad = Autograd.noGrad()) {
        w.subInPlace(w.grad().mul(eta));
      }
      w.grad().zero();
      path.add(w.toArray());
    }
    return path;
  }

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    List<float[]> path = path();
    int n = path.size();
    double[] px = new double[n];
    double[] py = new double[n];
    double[] pz = new double[n];
    for (int k = 0; k < n; k++) {
      px[k] = path.get(k)[0];
      py[k] = path.get(k)[1];
      pz[k] = loss2d(Tensor.of(path.get(k))).item();
      if (k % 5 == 0) {
        out.printf("Step %d: (x, y) = (%.4f, %.4f), loss = %.4f", k, px[k], py[k], pz[k]);
      }
    }
    out.printf("Final point after 30 steps: (%.4f, %.4f), loss = %.4f", px[n - 1], py[n - 1], pz[n - 1]);
    out.printf("True minimum: (-1/3, -4/3) = (%.4f, %.4f), f* = 8/3 = %.4f", -1 / 3.0, -4 / 3.0, 8 / 3.0);
    out.printf("The path ends %.4f from it, along (1, -1): there the curvature is 1 and each step keeps 0.9 of the"
        + " distance (0.9^30 = %.3f); along (1, 1) the curvature is 3 and each step keeps 0.7.",
        Math.hypot(px[n - 1] + 1 / 3.0, py[n - 1] + 4 / 3.0), Math.pow(0.9, 30));

    Tensor xs = Tensor.linspace(-5, 5, 50);
    Tensor ys = Tensor.linspace(-5, 5, 50);
    Tensor[] grid = Tensor.meshgrid("xy", xs, ys); // X, Y = np.meshgrid(X, Y)
    Tensor z = loss2d(grid[0], grid[1]);
    new Surface3D(Vals.rows(grid[0]), Vals.rows(grid[1]), Vals.rows(z))
        .path(px, py, pz)
        .title(Text.zh("3D 损失曲面与梯度下降路径", "3D loss surface and gradient descent path"))
        .labels("x", "y", "loss")
        .save(out, "gd-2d-surface.png", 800, 600);

    Tensor cx = Tensor.linspace(-5, 5, 201);
    Tensor[] fine = Tensor.meshgrid("xy", cx, cx);
    new Contour(Vals.of(cx), Vals.of(cx), Vals.rows(loss2d(fine[0], fine[1])), 16)
        .path(px, py)
        .mark(-1 / 3.0, -4 / 3.0, Text.zh("最小值", "minimum"))
        .title(Text.zh("等高线图与梯度下降路径", "Contour map and gradient descent path"))
        .labels("x", "y", "loss")
        .save(out, "gd-2d-contour.png", 700, 600);
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-2d-surface", args);
  }
}
