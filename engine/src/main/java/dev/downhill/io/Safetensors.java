package dev.downhill.io;

import com.google.gson.stream.JsonWriter;
import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes tensors in the safetensors format, like {@code safetensors.torch.save_file} and
 * {@code load_file}: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}} plus an optional
 * {@code "__metadata__"} object of strings, padded with spaces to a multiple of 8), then the data:
 * float32, little-endian, row-major, offsets relative to the data's start.
 *
 * <pre>{@code
 * Safetensors.saveFile(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Safetensors.loadFile(Path.of("model.safetensors")));
 * }</pre>
 *
 * <p>Files written here carry the metadata key {@value #CHECKSUM_KEY}: a CRC-32C over the tensors'
 * names, dtypes, shapes and offsets, the other metadata and every data byte, so a damaged file is
 * refused rather than loaded with wrong values; files from other writers have none and get the
 * structural checks only (so does a file whose damage renamed that very key). Those checks refuse, with a {@link FileFormatException} naming the file
 * and the tensor: a header length past the end of the file or over 100 MB, invalid UTF-8 or JSON,
 * a dtype other than F32, a shape whose element count does not fill its byte range, byte ranges that
 * overlap, leave holes or run past the end of the data (a truncated file). Offsets are 64-bit, so
 * files over 2 GiB load; one tensor holds at most {@link Integer#MAX_VALUE} − 8 elements (a Java
 * array). Saving writes a temporary file in the same directory, forces it to disk and renames it
 * over the target atomically.
 */
public final class Safetensors {
  /** The metadata key of the checksum this class writes and checks. */
  public static final String CHECKSUM_KEY = "downhill.crc32c";
  /** The largest header accepted, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;
  /** The most elements one tensor (a Java float array) can hold. */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  static final int CHUNK = 1 << 20;

  private Safetensors() {}

  /** Writes {@code tensors} (in map order) to {@code path}, replacing it atomically. */
  public static void saveFile(Map<String, Tensor> tensors, Path path) throws IOException {
    saveFile(tensors, path, Map.of());
  }

  /** Writes {@code tensors} (in map order) and string {@code metadata} to {@code path}, atomically. */
  public static void saveFile(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) throws IOException {
    List<Item> items = new ArrayList<>();
    tensors.forEach((name, t) -> items.add(Item.of(name, t)));
    write(items, metadata, path);
  }

  /** Every tensor of the file at {@code path}, by name, in the order of their data. */
  public static Map<String, Tensor> loadFile(Path path) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      return f.readAll();
    }
  }

  /** The file's string metadata (the checksum included), without reading any tensor. */
  public static Map<String, String> metadata(Path path) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      return f.metadata();
    }
  }

  /** A tensor to write: its name, shape, and its elements {@code array[offset, offset + size)}. */
  record Item(String name, int[] shape, float[] array, int offset, int size) {
    static Item of(String name, Tensor t) {
      Item[] out = new Item[1];
      t.readRange((a, o, n) -> out[0] = new Item(name, t.shape(), a, o, n));
      return out[0];
    }
  }

  /** Writes items in order, with the checksum added to {@code metadata}. */
  static void write(List<Item> items, Map<String, String> metadata, Path path) throws IOException {
    if (metadata.containsKey(CHECKSUM_KEY)) {
      throw new IllegalArgumentException("Safetensors.saveFile: the metadata key '" + CHECKSUM_KEY + "' is reserved for the checksum");
    }
    List<SafetensorsHeader.Entry> entries = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    long offset = 0;
    for (Item it : items) {
      if (it.name().equals(SafetensorsHeader.METADATA) || !names.add(it.name())) {
        throw new IllegalArgumentException("Safetensors.saveFile: tensor name '" + it.name() + "' is "
            + (names.contains(it.name()) ? "used twice" : "reserved"));
      }
      long[] shape = new long[it.shape().length];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = it.shape()[d];
      }
      long bytes = 4L * it.size();
      entries.add(new SafetensorsHeader.Entry(it.name(), "F32", shape, offset, offset + bytes));
      offset += bytes;
    }
    Map<String, String> meta = new java.util.TreeMap<>(metadata);
    CRC32C crc = new CRC32C();
    crc.update(SafetensorsHeader.canonical(entries, meta));
    ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (Item it : items) { // first pass: the checksum, which goes into the header before the data
      forEachChunk(it, buf, crc::update);
    }
    Map<String, String> withSum = new LinkedHashMap<>(meta);
    withSum.put(CHECKSUM_KEY, String.format("%08x", crc.getValue()));
    byte[] header = headerBytes(entries, withSum);
    AtomicFile.write(path, out -> {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
      writeFully(out, len);
      writeFully(out, ByteBuffer.wrap(header));
      for (Item it : items) {
        try {
          forEachChunk(it, buf, b -> {
            try {
              writeFully(out, b);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    });
  }

  private static void forEachChunk(Item it, ByteBuffer buf, java.util.function.Consumer<ByteBuffer> sink) {
    int perChunk = buf.capacity() / 4;
    for (int done = 0; done < it.size(); done += perChunk) {
      int n = Math.min(perChunk, it.size() - done);
      buf.clear();
      buf.asFloatBuffer().put(it.array(), it.offset() + done, n);
      buf.limit(4 * n);
      sink.accept(buf);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** Compact JSON, metadata first, padded with spaces so that the data starts at a multiple of 8. */
  private static byte[] headerBytes(List<SafetensorsHeader.Entry> entries, Map<String, String> meta) throws IOException {
    StringWriter sw = new StringWriter();
    try (JsonWriter w = new JsonWriter(sw)) {
      w.setHtmlSafe(false);
      w.beginObject();
      if (!meta.isEmpty()) {
        w.name(SafetensorsHeader.METADATA).beginObject();
        for (Map.Entry<String, String> e : meta.entrySet()) {
          w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
      }
      for (SafetensorsHeader.Entry e : entries) {
        w.name(e.name()).beginObject();
        w.name("dtype").value(e.dtype());
        w.name("shape").beginArray();
        for (long d : e.shape()) {
          w.value(d);
        }
        w.endArray();
        w.name("data_offsets").beginArray().value(e.begin()).value(e.end()).endArray();
        w.endObject();
      }
      w.endObject();
    }
    byte[] json = sw.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = java.util.Arrays.copyOf(json, padded);
    java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }
}
