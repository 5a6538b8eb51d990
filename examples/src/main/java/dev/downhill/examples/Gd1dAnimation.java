package dev.downhill.examples;

import dev.downhill.autograd.Tensor;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Gif;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent article, notebook part 1: the same 16 positions as {@link Gd1d}, one frame each,
 * a red point moving down the loss curve; saved as a looping GIF at 2 frames per second, as
 * {@code ani.save("gradient_descent_1d.gif", writer="pillow", fps=2)}.
 */
public final class Gd1dAnimation implements Demo {

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    List<Float> steps = Gd1d.steps();
    List<BufferedImage> frames = new ArrayList<>();
    for (int frame = 0; frame < steps.size(); frame++) { // update(frame)
      float xVal = steps.get(frame);
      float yVal = Gd1d.loss1d(Tensor.scalar(xVal)).item();
      frames.add(Gd1d.curve(Text.zh("1D 梯度下降动画", "1D gradient descent animation"), 200)
          .points(null, new double[] {xVal}, new double[] {yVal}, Chart.RED)
          .subtitle(String.format(java.util.Locale.ROOT, "frame %d / %d: x = %.4f, loss = %.4f", frame, steps.size() - 1, xVal, yVal))
          .image(640, 480));
    }
    Gif.save(out, "gradient_descent_1d.gif", frames, 2);
    out.printf("%d frames at 2 frames per second, looping: x goes from %.4f to %.4f.", frames.size(),
        steps.get(0), steps.get(steps.size() - 1));
    return out;
  }

  public static void main(String[] args) {
    Demos.runOne("gd-1d-animation", args);
  }
}
