package dev.downhill.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A safetensors header, parsed and checked: every tensor's name, dtype, shape and byte range, and the
 * string metadata. {@link #parse} refuses anything that does not describe exactly the data section
 * that follows it; each message starts with the file's name.
 */
final class SafetensorsHeader {
  static final String METADATA = "__metadata__";
  private static final Pattern WHOLE = Pattern.compile("0|[1-9][0-9]{0,18}");

  /** One tensor: byte range [begin, end) of the data section. */
  record Entry(String name, String dtype, long[] shape, long begin, long end) {
    long numel() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    String shapeString() {
      return Arrays.toString(shape);
    }
  }

  /** Entries in the order of their data, the metadata, and where the data starts in the file. */
  final List<Entry> entries;
  final Map<String, String> metadata;
  final long dataStart;
  final long dataLength;

  private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart, long dataLength) {
    this.entries = entries;
    this.metadata = metadata;
    this.dataStart = dataStart;
    this.dataLength = dataLength;
  }

  /** Checks the header length against the file size, then parses and checks the header bytes. */
  static long checkLength(String file, long headerLength, long fileSize) throws FileFormatException {
    if (headerLength < 0 || headerLength > Safetensors.MAX_HEADER_BYTES) {
      throw new FileFormatException(file + ": header length " + Long.toUnsignedString(headerLength)
          + " is over the limit of " + Safetensors.MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
    }
    if (headerLength > fileSize - 8) {
      throw new FileFormatException(file + ": header length " + headerLength + " runs past the end of the file ("
          + fileSize + " bytes; truncated, or not a safetensors file)");
    }
    return headerLength;
  }

  static SafetensorsHeader parse(String file, byte[] header, long fileSize) throws FileFormatException {
    String json = utf8(file, header);
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    try {
      JsonReader r = new JsonReader(new StringReader(json));
      r.setStrictness(Strictness.STRICT);
      r.beginObject();
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (r.hasNext()) {
        String name = r.nextName();
        if (!seen.add(name)) {
          throw new FileFormatException(file + ": the header names '" + name + "' twice");
        }
        if (name.equals(METADATA)) {
          readMetadata(file, r, metadata);
        } else {
          entries.add(readEntry(file, r, name));
        }
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new FileFormatException(file + ": header has more than one JSON value (only spaces may follow the object)");
      }
    } catch (FileFormatException e) {
      throw e;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(""); // Gson adds a link on a second line
      throw new FileFormatException(file + ": header is not valid JSON: " + why, e);
    }
    long dataStart = 8L + header.length;
    long dataLength = fileSize - dataStart;
    checkRanges(file, entries, dataLength);
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    return new SafetensorsHeader(List.copyOf(entries), metadata, dataStart, dataLength);
  }

  private static String utf8(String file, byte[] bytes) throws FileFormatException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult res = dec.decode(in, out, true);
    if (res.isError()) {
      throw new FileFormatException(file + ": header is not valid UTF-8 (bad byte at offset " + (8 + in.position())
          + " of the file)");
    }
    dec.flush(out);
    return out.flip().toString();
  }

  private static void readMetadata(String file, JsonReader r, Map<String, String> out) throws IOException {
    r.beginObject();
    while (r.hasNext()) {
      String key = r.nextName();
      if (r.peek() != JsonToken.STRING) {
        throw new FileFormatException(file + ": " + METADATA + " '" + key + "' must be a string, got " + r.peek());
      }
      if (out.put(key, r.nextString()) != null) {
        throw new FileFormatException(file + ": " + METADATA + " names '" + key + "' twice");
      }
    }
    r.endObject();
  }

  private static Entry readEntry(String file, JsonReader r, String name) throws IOException {
    String where = file + ": tensor '" + name + "'";
    String dtype = null;
    long[] shape = null;
    long[] offsets = null;
    if (r.peek() != JsonToken.BEGIN_OBJECT) {
      throw new FileFormatException(where + ": expected an object {dtype, shape, data_offsets}, got " + r.peek());
    }
    r.beginObject();
    while (r.hasNext()) {
      String key = r.nextName();
      switch (key) {
        case "dtype" -> {
          if (dtype != null || r.peek() != JsonToken.STRING) {
            throw new FileFormatException(where + ": 'dtype' must be one string");
          }
          dtype = r.nextString();
        }
        case "shape" -> {
          if (shape != null) {
            throw new FileFormatException(where + ": 'shape' given twice");
          }
          shape = wholeNumbers(where, "shape", r);
        }
        case "data_offsets" -> {
          if (offsets != null) {
            throw new FileFormatException(where + ": 'data_offsets' given twice");
          }
          offsets = wholeNumbers(where, "data_offsets", r);
        }
        default -> throw new FileFormatException(where + ": unknown key '" + key + "' (expected dtype, shape, data_offsets)");
      }
    }
    r.endObject();
    if (dtype == null || shape == null || offsets == null) {
      throw new FileFormatException(where + ": missing " + (dtype == null ? "'dtype'" : shape == null ? "'shape'" : "'data_offsets'"));
    }
    if (!dtype.equals("F32")) {
      throw new FileFormatException(where + " has dtype " + dtype + "; downhill reads F32 (float32) only");
    }
    if (offsets.length != 2) {
      throw new FileFormatException(where + ": data_offsets must be [begin, end], got " + Arrays.toString(offsets));
    }
    if (offsets[1] < offsets[0]) {
      throw new FileFormatException(where + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
    }
    Entry e = new Entry(name, dtype, shape, offsets[0], offsets[1]);
    long numel = 1;
    for (long d : shape) {
      if (d != 0 && numel > Long.MAX_VALUE / 4 / d) {
        throw new FileFormatException(where + ": shape " + e.shapeString() + " has too many elements");
      }
      numel *= d;
    }
    if (numel * 4 != offsets[1] - offsets[0]) {
      throw new FileFormatException(where + ": shape " + e.shapeString() + " has " + numel + " elements ("
          + numel * 4 + " bytes of F32), but data_offsets " + Arrays.toString(offsets) + " hold " + (offsets[1] - offsets[0])
          + " bytes");
    }
    if (numel > Safetensors.MAX_ELEMENTS) {
      throw new FileFormatException(where + ": shape " + e.shapeString() + " has " + numel
          + " elements; a downhill tensor holds at most " + Safetensors.MAX_ELEMENTS);
    }
    for (long d : shape) {
      if (d > Integer.MAX_VALUE) {
        throw new FileFormatException(where + ": shape " + e.shapeString() + " has a dimension over " + Integer.MAX_VALUE);
      }
    }
    return e;
  }

  private static long[] wholeNumbers(String where, String key, JsonReader r) throws IOException {
    if (r.peek() != JsonToken.BEGIN_ARRAY) {
      throw new FileFormatException(where + ": '" + key + "' must be an array of whole numbers, got " + r.peek());
    }
    List<Long> out = new ArrayList<>();
    r.beginArray();
    while (r.hasNext()) {
      if (r.peek() != JsonToken.NUMBER) {
        throw new FileFormatException(where + ": '" + key + "' must hold whole numbers, got " + r.peek());
      }
      String s = r.nextString();
      if (!WHOLE.matcher(s).matches()) {
        throw new FileFormatException(where + ": '" + key + "' must hold whole numbers >= 0, got " + s);
      }
      out.add(Long.parseLong(s));
    }
    r.endArray();
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** The byte ranges must tile the data section exactly: from 0, no overlap, no hole, not past the end. */
  private static void checkRanges(String file, List<Entry> entries, long dataLength) throws FileFormatException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    Entry prev = null;
    for (Entry e : sorted) {
      if (e.begin() < expected) {
        throw new FileFormatException(file + ": tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + ") and '"
            + e.name() + "' [" + e.begin() + ", " + e.end() + ") overlap");
      }
      if (e.begin() > expected) {
        throw new FileFormatException(file + ": bytes [" + expected + ", " + e.begin() + ") of the data section, "
            + (prev == null ? "before tensor '" + e.name() + "'" : "between tensors '" + prev.name() + "' and '" + e.name() + "'")
            + ", belong to no tensor");
      }
      if (e.end() > dataLength) {
        throw new FileFormatException(file + ": tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
            + "] run past the end of the data section (" + dataLength + " bytes): the file is truncated or the offsets are wrong");
      }
      expected = e.end();
      prev = e;
    }
    if (expected < dataLength) {
      throw new FileFormatException(file + ": the last " + (dataLength - expected) + " bytes of the data section, after "
          + (prev == null ? "the header" : "tensor '" + prev.name() + "'") + ", belong to no tensor");
    }
  }

  /**
   * What the checksum covers besides the data: every tensor's name, dtype, shape and offsets in data
   * order, then every metadata entry but the checksum, sorted by key.
   */
  static byte[] canonical(List<Entry> entries, Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder();
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    for (Entry e : sorted) {
      sb.append(e.name()).append('\0').append(e.dtype()).append('\0').append(e.shapeString()).append('\0')
          .append(e.begin()).append('\0').append(e.end()).append('\n');
    }
    new TreeMap<>(metadata).forEach((k, v) -> {
      if (!k.equals(Safetensors.CHECKSUM_KEY)) {
        sb.append(k).append('\0').append(v).append('\n');
      }
    });
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
