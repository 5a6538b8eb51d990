package dev.downhill.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  static Map<String, Tensor> sample() {
    Generator g = new Generator(3);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("layers.0.weight", Tensor.randn(g, 3, 4));
    m.put("layers.0.bias", Tensor.randn(g, 3));
    m.put("scalar", Tensor.scalar(-0f));
    m.put("empty", Tensor.zeros(0, 5));
    m.put("odd", Tensor.of(new float[] {Float.NaN, Float.intBitsToFloat(0x7fc01234), Float.POSITIVE_INFINITY,
        Float.MIN_VALUE, -Float.MAX_VALUE}));
    return m;
  }

  static void assertSame(Map<String, Tensor> want, Map<String, Tensor> got) {
    assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()));
    want.forEach((k, t) -> {
      assertArrayEquals(t.shape(), got.get(k).shape(), k);
      float[] a = t.toArray();
      float[] b = got.get(k).toArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), k + "[" + i + "]");
      }
    });
  }

  @Test
  void roundTripKeepsEveryBitShapeAndOrder() throws IOException {
    Path p = dir.resolve("m.safetensors");
    Safetensors.saveFile(sample(), p, Map.of("framework", "downhill"));
    assertSame(sample(), Safetensors.loadFile(p));
    Map<String, String> meta = Safetensors.metadata(p);
    assertEquals("downhill", meta.get("framework"));
    assertTrue(meta.get(Safetensors.CHECKSUM_KEY).matches("[0-9a-f]{8}"));
    long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLen % 8, "data starts at a multiple of 8");
  }

  @Test
  void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
    Path p = dir.resolve("m.safetensors");
    Safetensors.saveFile(Map.of("a", Tensor.ones(2)), p);
    Safetensors.saveFile(Map.of("b", Tensor.zeros(3)), p);
    assertEquals(List.of("b"), List.copyOf(Safetensors.loadFile(p).keySet()));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList());
    }
  }

  @Test
  void aFailedSaveKeepsTheOldFile() throws IOException {
    Path p = dir.resolve("m.safetensors");
    Safetensors.saveFile(Map.of("a", Tensor.ones(2)), p);
    Map<String, Tensor> bad = new LinkedHashMap<>();
    bad.put("__metadata__", Tensor.ones(1));
    assertThrows(IllegalArgumentException.class, () -> Safetensors.saveFile(bad, p));
    assertEquals(List.of("a"), List.copyOf(Safetensors.loadFile(p).keySet()));
  }

  // ---------------------------------------------------------------- hand-made files

  /** A file of the given header text (padded to 8 with spaces) and data bytes. */
  Path file(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return raw(h, data);
  }

  Path raw(byte[] h, byte[] data) throws IOException {
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    for (int i = h.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    b.put(data);
    Path p = dir.resolve("bad.safetensors");
    Files.write(p, b.array());
    return p;
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  void refused(Path p, String message) {
    FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.loadFile(p));
    assertEquals(p + ": " + message, e.getMessage());
  }

  @Test
  void aFileWithoutChecksumLoads() throws IOException {
    Path p = file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2, 3));
    Map<String, Tensor> m = Safetensors.loadFile(p);
    assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
    assertArrayEquals(new float[] {1, 2}, m.get("a").toArray());
    assertArrayEquals(new float[] {3}, m.get("b").toArray());
  }

  @Test
  void tooShortForTheLength() throws IOException {
    Path p = dir.resolve("short.safetensors");
    Files.write(p, new byte[] {1, 2, 3});
    refused(p, "3 bytes, too short for a safetensors file (8-byte header length first)");
  }

  @Test
  void headerLengthPastTheEnd() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes(StandardCharsets.US_ASCII));
    Path p = dir.resolve("len.safetensors");
    Files.write(p, b.array());
    refused(p, "header length 1000 runs past the end of the file (16 bytes; truncated, or not a safetensors file)");
  }

  @Test
  void headerLengthOverTheLimit() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).put("{}      ".getBytes(StandardCharsets.US_ASCII));
    Path p = dir.resolve("huge.safetensors");
    Files.write(p, b.array());
    refused(p, "header length 18446744073709551614 is over the limit of 100000000 bytes (not a safetensors file?)");
  }

  @Test
  void invalidUtf8() throws IOException {
    byte[] h = "{\"a\u00ff\":{}}".getBytes(StandardCharsets.ISO_8859_1);
    refused(raw(h, new byte[0]), "header is not valid UTF-8 (bad byte at offset 11 of the file)");
  }

  @Test
  void invalidJson() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",}", new byte[0]),
        "header is not valid JSON: Expected name at line 1 column 22 path $.a.dtype");
  }

  @Test
  void notF32() throws IOException {
    refused(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]),
        "tensor 'w' has dtype F16; downhill reads F32 (float32) only");
  }

  @Test
  void elementCountDoesNotFillTheRange() throws IOException {
    refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]),
        "tensor 'w': shape [2, 3] has 6 elements (24 bytes of F32), but data_offsets [0, 20] hold 20 bytes");
  }

  @Test
  void overlappingRanges() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
        "tensors 'a' [0, 8) and 'b' [4, 12) overlap");
  }

  @Test
  void aHoleBetweenRanges() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
        "bytes [4, 8) of the data section, between tensors 'a' and 'b', belong to no tensor");
  }

  @Test
  void bytesAfterTheLastTensor() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[12]),
        "the last 8 bytes of the data section, after tensor 'a', belong to no tensor");
  }

  @Test
  void truncatedData() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[4,16]}}", new byte[10]),
        "tensor 'b': data_offsets [4, 16] run past the end of the data section (10 bytes): the file is truncated or the offsets are wrong");
  }

  @Test
  void aNegativeOrFractionalNumber() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
        "tensor 'a': 'shape' must hold whole numbers >= 0, got -1");
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", new byte[4]),
        "tensor 'a': 'data_offsets' must hold whole numbers >= 0, got 4.0");
  }

  @Test
  void aNameTwice() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "the header names 'a' twice");
  }

  @Test
  void metadataThatIsNotAString() throws IOException {
    refused(file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), "__metadata__ 'epoch' must be a string, got NUMBER");
  }

  @Test
  void aMissingKey() throws IOException {
    refused(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'a': missing 'shape'");
  }

  @Test
  void aChecksumThatDoesNotMatch() throws IOException {
    Path p = dir.resolve("m.safetensors");
    Safetensors.saveFile(Map.of("a", Tensor.of(new float[] {1, 2})), p);
    byte[] b = Files.readAllBytes(p);
    b[b.length - 1] ^= 0x40;
    Files.write(p, b);
    String sum = Safetensors.metadata(p).get(Safetensors.CHECKSUM_KEY);
    FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.loadFile(p));
    assertTrue(e.getMessage().startsWith(p + ": checksum mismatch (downhill.crc32c says " + sum + ", the contents give "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("): the file is damaged"), e.getMessage());
  }

  @Test
  void aTensorTooLargeForAJavaArrayIsRefusedBeforeReading() throws IOException {
    Path p = dir.resolve("big.safetensors");
    byte[] h = "{\"big\":{\"dtype\":\"F32\",\"shape\":[3,1000000000],\"data_offsets\":[0,12000000000]}}"
        .getBytes(StandardCharsets.US_ASCII);
    sparse(p, h, 12_000_000_000L);
    refused(p, "tensor 'big': shape [3, 1000000000] has 3000000000 elements; a downhill tensor holds at most 2147483639");
  }

  /** A file of more than 2 GiB, holey on disk: its offsets beyond 2^31 are read right. */
  @Test
  void offsetsBeyondTwoGibibytes() throws IOException {
    Path p = dir.resolve("large.safetensors");
    long big = 600_000_000L * 4;
    String json = "{\"zeros\":{\"dtype\":\"F32\",\"shape\":[600000000],\"data_offsets\":[0," + big + "]},"
        + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
    byte[] h = json.getBytes(StandardCharsets.US_ASCII);
    long dataStart = sparse(p, h, big + 8);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(dataStart + big);
      f.write(floats(1.5f, -2f));
    }
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(List.of("zeros", "tail"), f.names());
      assertArrayEquals(new int[] {600000000}, f.shape("zeros"));
      assertArrayEquals(new float[] {1.5f, -2f}, f.read("tail").toArray());
    }
  }

  /** Writes the header and extends the file to hold {@code dataLength} bytes without writing them. */
  private static long sparse(Path p, byte[] h, long dataLength) throws IOException {
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(h);
    while (b.hasRemaining()) {
      b.put((byte) ' ');
    }
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.write(b.array());
      f.setLength(8 + padded + dataLength);
    }
    return 8 + padded;
  }
}
