package dev.downhill.io;

import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An open safetensors file whose header has been read and checked ({@link Safetensors} lists the
 * checks): names, shapes and metadata without reading the data, and tensors one at a time, so a
 * file larger than memory can be read in part. {@link #readAll()} also verifies the checksum that
 * {@link Safetensors} writes.
 */
public final class SafetensorsFile implements AutoCloseable {
  private final String file;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();

  private SafetensorsFile(String file, FileChannel channel, SafetensorsHeader header) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    header.entries.forEach(e -> byName.put(e.name(), e));
  }

  /** Opens {@code path} and checks its header; refuses a bad file with a {@link FileFormatException}. */
  public static SafetensorsFile open(Path path) throws IOException {
    String file = path.toString();
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      if (size < 8) {
        throw new FileFormatException(file + ": " + size + " bytes, too short for a safetensors file (8-byte header length first)");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0, file);
      long n = SafetensorsHeader.checkLength(file, len.getLong(0), size);
      ByteBuffer hb = ByteBuffer.allocate((int) n);
      readFully(ch, hb, 8, file);
      SafetensorsHeader h = SafetensorsHeader.parse(file, hb.array(), size);
      return new SafetensorsFile(file, ch, h);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Tensor names in the order of their data. */
  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  /** The shape of tensor {@code name}. */
  public int[] shape(String name) {
    long[] s = entry(name).shape();
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (int) s[i];
    }
    return out;
  }

  /** The string metadata, the checksum included. */
  public Map<String, String> metadata() {
    return new LinkedHashMap<>(header.metadata);
  }

  /** Reads one tensor (not verified against the checksum, which covers the whole file). */
  public Tensor read(String name) throws IOException {
    return read(entry(name), null);
  }

  /** Reads every tensor, in data order, and verifies the checksum if the file has one. */
  public Map<String, Tensor> readAll() throws IOException {
    String expected = header.metadata.get(Safetensors.CHECKSUM_KEY);
    CRC32C crc = expected == null ? null : new CRC32C();
    if (crc != null) {
      crc.update(SafetensorsHeader.canonical(header.entries, header.metadata));
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (SafetensorsHeader.Entry e : header.entries) {
      out.put(e.name(), read(e, crc));
    }
    if (crc != null) {
      String actual = String.format("%08x", crc.getValue());
      if (!actual.equals(expected)) {
        throw new FileFormatException(file + ": checksum mismatch (" + Safetensors.CHECKSUM_KEY + " says " + expected
            + ", the contents give " + actual + "): the file is damaged");
      }
    }
    return out;
  }

  private SafetensorsHeader.Entry entry(String name) {
    SafetensorsHeader.Entry e = byName.get(name);
    if (e == null) {
      throw new IllegalArgumentException(file + ": no tensor '" + name + "'; the file has " + byName.keySet());
    }
    return e;
  }

  private Tensor read(SafetensorsHeader.Entry e, CRC32C crc) throws IOException {
    int numel = (int) e.numel();
    float[] data = new float[numel];
    ByteBuffer buf = ByteBuffer.allocate(Math.min(Safetensors.CHUNK, 4 * Math.max(numel, 1))).order(ByteOrder.LITTLE_ENDIAN);
    long pos = header.dataStart + e.begin();
    int perChunk = buf.capacity() / 4;
    for (int done = 0; done < numel; done += perChunk) {
      int n = Math.min(perChunk, numel - done);
      buf.clear().limit(4 * n);
      readFully(channel, buf, pos + 4L * done, file + ": tensor '" + e.name() + "'");
      buf.flip();
      if (crc != null) {
        crc.update(buf.duplicate());
      }
      buf.asFloatBuffer().get(data, done, n);
    }
    int[] shape = shape(e.name());
    return Tensor.of(data, shape);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos, String what) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, pos);
      if (r < 0) {
        throw new FileFormatException(what + ": the file ended early (it changed while being read?)");
      }
      pos += r;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
