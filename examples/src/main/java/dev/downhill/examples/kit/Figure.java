package dev.downhill.examples.kit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Panels side by side in one PNG, as matplotlib's {@code plt.subplots(1, n)}. */
public final class Figure {
  private Figure() {}

  /** Writes the images left to right (tops aligned, white behind) as the demo's picture {@code name}. */
  public static Path row(Out out, String name, BufferedImage... panels) throws IOException {
    int w = 0;
    int h = 0;
    for (BufferedImage p : panels) {
      w += p.getWidth();
      h = Math.max(h, p.getHeight());
    }
    BufferedImage all = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int x = 0;
    for (BufferedImage p : panels) {
      g.drawImage(p, x, 0, null);
      x += p.getWidth();
    }
    g.dispose();
    Path file = out.picture(name);
    ImageIO.write(all, "png", file.toFile());
    return file;
  }
}
