package dev.downhill.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.examples.kit.Gallery;
import dev.downhill.examples.kit.Out;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/**
 * Every demo runs into a temporary folder and draws the pictures it should, which ImageIO reads back
 * at a plausible size; the GIF has 16 frames at 2 per second and loops; the random-data demos show
 * what the chapters say they show; the gallery references only files that exist.
 */
class DemoOutputTest {
  static final Map<String, List<String>> PICTURES = Map.ofEntries(
      Map.entry("gd-1d", List.of("gd-1d.png")),
      Map.entry("gd-1d-animation", List.of("gradient_descent_1d.gif")),
      Map.entry("gd-2d-surface", List.of("gd-2d-surface.png", "gd-2d-contour.png")),
      Map.entry("gd-linreg-adamw", List.of("gd-linreg-adamw.png")),
      Map.entry("gd-sgd-vs-adam", List.of("gd-sgd-vs-adam.png")),
      Map.entry("gd-batch-modes", List.of("gd-batch-modes-updates.png", "gd-batch-modes-time.png")),
      Map.entry("ch8-loss", List.of()),
      Map.entry("ch8-gradient", List.of()),
      Map.entry("ch8-lr", List.of("ch8-lr.png")),
      Map.entry("ch8-optimizers", List.of("ch8-optimizers.png")),
      Map.entry("ch8-overfit", List.of("ch8-overfit.png")),
      Map.entry("ch8-explode", List.of()),
      Map.entry("tiny-gpt", List.of("tiny-gpt-loss.png", "tiny-gpt-accuracy.png", "tiny-gpt-lr-norm.png")));

  @Test
  void everyDemoDrawsItsPictures() throws Exception {
    assertEquals(PICTURES.keySet(), Demos.ALL.stream().map(Demos.Entry::id).collect(java.util.stream.Collectors.toSet()));
    for (Demos.Entry e : Demos.ALL) {
      Out out = DemoRuns.run(e.id());
      assertTrue(!out.text().isBlank(), e.id() + " printed nothing");
      List<String> names = out.pictures().stream().map(p -> p.getFileName().toString()).toList();
      assertEquals(PICTURES.get(e.id()), names, e.id());
      for (Path p : out.pictures()) {
        assertTrue(Files.size(p) > 5_000, p + " is only " + Files.size(p) + " bytes");
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not an image ImageIO reads");
        assertTrue(img.getWidth() >= 600 && img.getWidth() <= 1200 && img.getHeight() >= 380
            && img.getHeight() <= 900, p + " is " + img.getWidth() + "×" + img.getHeight());
      }
    }
  }

  @Test
  void gifHasSixteenFramesTwoPerSecondLooping() throws Exception {
    Path gif = DemoRuns.run("gd-1d-animation").pictures().get(0);
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      int frames = reader.getNumImages(true);
      assertEquals(16, frames);
      boolean loops = false;
      for (int i = 0; i < frames; i++) {
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        assertEquals("50", child(root, "GraphicControlExtension").getAttribute("delayTime"), "frame " + i);
        IIOMetadataNode apps = child(root, "ApplicationExtensions");
        if (apps != null && apps.getLength() > 0) {
          IIOMetadataNode app = (IIOMetadataNode) apps.item(0);
          byte[] data = (byte[]) app.getUserObject();
          loops |= "NETSCAPE".equals(app.getAttribute("applicationID")) && data[1] == 0 && data[2] == 0;
        }
      }
      assertTrue(loops, "no NETSCAPE2.0 loop-forever extension");
      assertEquals(640, reader.read(0).getWidth());
    } finally {
      reader.dispose();
    }
  }

  @Test
  void linregAdamWLossFallsAndWMovesTowardThreeByAtMostLrPerStep() {
    List<Double> losses = numbers(DemoRuns.run("gd-linreg-adamw"), "Epoch \\d+: Loss = ([0-9.]+)");
    assertEquals(10, losses.size());
    for (int i = 1; i < losses.size(); i++) {
      assertTrue(losses.get(i) < losses.get(i - 1), "loss rose: " + losses);
    }
    List<Double> wb = numbers(DemoRuns.run("gd-linreg-adamw"),
        "Learned w = (-?[0-9.]+), b = (-?[0-9.]+) \\(true: 3, 1; initial w = (-?[0-9.]+), b = (-?[0-9.]+)\\)");
    double w = wb.get(0);
    double b = wb.get(1);
    double w0 = wb.get(2);
    double b0 = wb.get(3);
    assertTrue(Math.abs(w - 3) < Math.abs(w0 - 3) && Math.abs(b - 1) < Math.abs(b0 - 1), wb.toString());
    assertTrue(Math.abs(w - w0) <= 100 * 0.01 * 1.05 && Math.abs(b - b0) <= 100 * 0.01 * 1.05, wb.toString());
  }

  @Test
  void sgdBeatsAdamFromTheSameStart() {
    Out out = DemoRuns.run("gd-sgd-vs-adam");
    List<Double> sgd = numbers(out, "SGD  lr=0.05: loss ([0-9.]+) at epoch 0, ([0-9.]+) at epoch 49");
    List<Double> adam = numbers(out, "Adam lr=0.01: loss ([0-9.]+) at epoch 0, ([0-9.]+) at epoch 49");
    assertEquals(sgd.get(0), adam.get(0), "the same initial weights give the same first loss");
    assertTrue(sgd.get(1) < 0.02, "SGD reaches the noise floor (0.1² = 0.01): " + sgd);
    assertTrue(adam.get(1) < adam.get(0) && adam.get(1) > sgd.get(1), "Adam falls, but slower: " + adam);
  }

  @Test
  void batchModesTableHasTheMeasuredRows() {
    Out out = DemoRuns.run("gd-batch-modes");
    String num = "([0-9.]+)";
    List<Double> rows = new ArrayList<>();
    for (String name : new String[] {"Batch GD", "SGD", "Mini-Batch GD"}) {
      List<Double> r = numbers(out, "^" + Pattern.quote(name) + " \\| [^|]+ \\| [^|]+ \\| (\\d+) \\| (\\d+) \\| " + num
          + " \\| " + num + " \\| " + num + " \\| " + num);
      assertEquals(6, r.size(), name);
      rows.addAll(r);
    }
    assertEquals(List.of(512.0, 10.0), rows.subList(0, 2));
    assertEquals(List.of(1.0, 5120.0), rows.subList(6, 8));
    assertEquals(List.of(16.0, 320.0), rows.subList(12, 14));
    assertTrue(rows.get(10) < 0.05 && rows.get(16) < 0.05, "SGD and mini-batch converge: " + rows);
    assertTrue(rows.get(4) > rows.get(16), "10 full-batch updates are not enough: " + rows);
  }

  @Test
  void overfitMemorisesButDoesNotGeneralise() {
    Out out = DemoRuns.run("ch8-overfit");
    List<Double> epochs = numbers(out, "Epoch \\d+: loss=([0-9.]+), train_acc=([0-9.]+)");
    assertEquals(10, epochs.size(), "epochs 0, 20, 40, 60, 80");
    assertTrue(epochs.get(8) < 0.01 && epochs.get(9) == 1.0, "epoch 80: " + epochs);
    double valAcc = numbers(out, "val_acc=([0-9.]+)").get(0);
    assertTrue(valAcc > 0.35 && valAcc < 0.65, "validation accuracy near chance: " + valAcc);
  }

  @Test
  void galleryReferencesOnlyFilesThatExist() throws Exception {
    List<Gallery.Entry> entries = new ArrayList<>();
    for (Demos.Entry e : Demos.ALL) {
      entries.add(new Gallery.Entry(e.id(), e.title(), e.section(), 0.5, DemoRuns.run(e.id()), null));
    }
    Path page = Gallery.write(DemoRuns.DIR, "test", null, entries);
    String html = Files.readString(page);
    assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "offline page");
    Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      assertTrue(Files.isRegularFile(DemoRuns.DIR.resolve(m.group(1))), "missing " + m.group(1));
      images++;
    }
    assertEquals(PICTURES.values().stream().mapToInt(List::size).sum(), images);
    for (Demos.Entry e : Demos.ALL) {
      assertTrue(html.contains("id=\"" + e.id() + "\"") && html.contains(e.section()), e.id());
    }
  }

  static List<Double> numbers(Out out, String regex) {
    Pattern p = Pattern.compile(regex);
    List<Double> found = new ArrayList<>();
    for (String line : out.lines()) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        for (int g = 1; g <= m.groupCount(); g++) {
          found.add(Double.parseDouble(m.group(g)));
        }
      }
    }
    return found;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) {
        return (IIOMetadataNode) n;
      }
    }
    return null;
  }
}
