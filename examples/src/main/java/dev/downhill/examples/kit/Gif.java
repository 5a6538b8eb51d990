package dev.downhill.examples.kit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF through the JDK's own {@code javax.imageio} writer (no dependency), looping
 * forever like matplotlib's {@code ani.save(..., writer="pillow")}.
 */
public final class Gif {
  private Gif() {}

  /** Writes {@code frames} as picture {@code name} of the demo, {@code fps} frames per second. */
  public static Path save(Out out, String name, List<BufferedImage> frames, int fps) throws IOException {
    Path file = out.picture(name);
    int delay = Math.round(100f / fps); // GIF delays are in 1/100 s
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    Files.deleteIfExists(file);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (int i = 0; i < frames.size(); i++) {
        BufferedImage rgb = frames.get(i);
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", "0");
        if (i == 0) {
          IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
          app.setAttribute("applicationID", "NETSCAPE");
          app.setAttribute("authenticationCode", "2.0");
          app.setUserObject(new byte[] {1, 0, 0}); // loop count 0 = forever
          child(root, "ApplicationExtensions").appendChild(app);
        }
        meta.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(rgb, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return file;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
