package dev.downhill.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A damaged file is refused cleanly (a FileFormatException naming the file) or loads exactly as
 * written, never as a wrong tensor: a truncation at a drawn length, or a byte XOR-ed with a drawn
 * mask at a drawn position, anywhere in the header or the data. The checksum makes this hold for
 * the data; the header checks for the rest. (Two damaged places can defeat it: one that renames
 * the checksum's own key makes the file read as one from another writer, which has no checksum.)
 */
class CorruptionPropertiesTest {
  static Path dir;
  static byte[] good;
  static Map<String, Tensor> written;

  @BeforeContainer
  static void write() throws IOException {
    dir = Files.createTempDirectory("corrupt");
    Path p = dir.resolve("good.safetensors");
    written = SafetensorsTest.sample();
    Safetensors.saveFile(written, p, Map.of("epoch", "3"));
    good = Files.readAllBytes(p);
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  static void refusedOrIdentical(byte[] bytes, String what) throws IOException {
    Path p = dir.resolve("damaged.safetensors");
    Files.write(p, bytes);
    Map<String, Tensor> loaded;
    try {
      loaded = Safetensors.loadFile(p);
    } catch (FileFormatException e) {
      assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
      return;
    } catch (RuntimeException | IOException e) {
      throw new AssertionError(what + ": not a clean refusal", e);
    }
    try {
      SafetensorsTest.assertSame(written, loaded);
    } catch (AssertionError e) {
      fail(what + " loaded a wrong tensor: " + e.getMessage());
    }
  }

  @Property(tries = 400)
  void aFlippedByteIsRefusedOrHarmless(@ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) throws IOException {
    byte[] b = good.clone();
    int at = where % b.length;
    b[at] ^= (byte) mask;
    refusedOrIdentical(b, "byte " + at + " ^ " + mask);
  }

  @Property(tries = 200)
  void aTruncatedFileIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int where) throws IOException {
    int length = where % good.length;
    refusedOrIdentical(Arrays.copyOf(good, length), "truncated to " + length + " bytes");
  }

  /**
   * Not drawn but every byte: bit 0 (a digit to its neighbour), bit 5 (a letter's case, a space to a
   * zero byte) and bit 7 (invalid UTF-8) of each byte flipped in turn; all eight bits took 9 s.
   */
  @net.jqwik.api.Example
  void everySingleBitFlipIsRefusedOrHarmless() throws IOException {
    for (int at = 0; at < good.length; at++) {
      for (int bit : new int[] {0, 5, 7}) {
        byte[] b = good.clone();
        b[at] ^= (byte) (1 << bit);
        refusedOrIdentical(b, "byte " + at + " bit " + bit);
      }
    }
  }
}
