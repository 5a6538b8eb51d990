package dev.downhill.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void roundTripOfShapesIncludingScalarAndEmpty() throws IOException {
    Generator g = new Generator(4);
    for (Tensor t : new Tensor[] {Tensor.randn(g, 3, 4), Tensor.randn(g, 7), Tensor.scalar(2.5f), Tensor.zeros(0, 3),
        Tensor.randn(g, 2, 1, 3, 2)}) {
      Path p = dir.resolve("t.npy");
      Npy.save(t, p);
      Tensor back = Npy.load(p);
      assertArrayEquals(t.shape(), back.shape());
      assertArrayEquals(t.toArray(), back.toArray());
      byte[] b = Files.readAllBytes(p);
      int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
      assertEquals(0, (10 + headerLen) % 64, "data aligned to 64 as numpy writes it");
    }
  }

  @Test
  void theHeaderIsNumpysOwn() throws IOException {
    Path p = dir.resolve("t.npy");
    Npy.save(Tensor.zeros(2, 3), p);
    byte[] b = Files.readAllBytes(p);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", new String(b, 10, 118, StandardCharsets.US_ASCII));
    assertEquals(10 + 118 + 24, b.length);
  }

  Path npy(String dict, int dataBytes) throws IOException {
    int len = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
    String h = dict + " ".repeat(len - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + len + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) len).put(h.getBytes(StandardCharsets.US_ASCII));
    Path p = dir.resolve("bad.npy");
    Files.write(p, b.array());
    return p;
  }

  void refused(Path p, String message) {
    var e = assertThrows(FileFormatException.class, () -> Npy.load(p));
    assertEquals(p + ": " + message, e.getMessage());
  }

  @Test
  void refusals() throws IOException {
    refused(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16),
        "dtype '<f8'; downhill reads '<f4' (little-endian float32) only");
    refused(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16),
        "the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
    refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20), "shape (2, 3) needs 24 bytes of data, the file has 20 (truncated)");
    refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12), "shape (2,) needs 8 bytes of data, the file has 12");
    Path notNpy = dir.resolve("x.npy");
    Files.write(notNpy, "hello, world".getBytes(StandardCharsets.US_ASCII));
    refused(notNpy, "not a .npy file (it does not start with \\x93NUMPY)");
    Path p = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
    byte[] b = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(b, 40));
    refused(p, "header length 118 runs past the end of the file (40 bytes)");
  }
}
