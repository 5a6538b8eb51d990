package dev.downhill.io;

import dev.downhill.autograd.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tensor as a NumPy {@code .npy} file, like {@code numpy.save}/{@code numpy.load}: format
 * version 1.0, dtype {@code '<f4'} (little-endian float32), C order. The header is NumPy's own:
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline
 * so the data starts at a multiple of 64 bytes.
 *
 * <p>{@link #load} reads versions 1.0, 2.0 and 3.0 and refuses, with a {@link FileFormatException}
 * naming the file: a missing magic string, another dtype (named), Fortran order, and data that is
 * shorter or longer than the shape says. Saving is atomic (temporary file, forced, renamed).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Pattern DICT = Pattern.compile("\\s*\\{.*}\\s*", Pattern.DOTALL);

  private Npy() {}

  /** Writes {@code tensor} to {@code path} as a version 1.0 {@code <f4} array in C order. */
  public static void save(Tensor tensor, Path path) throws IOException {
    int[] shape = tensor.shape();
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String tuple = shape.length == 1 ? shape[0] + "," : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + tuple + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(total - unpadded) + "\n";
    if (header.length() > 0xFFFF) {
      throw new IllegalArgumentException("Npy.save: a shape of " + shape.length + " dimensions does not fit a version 1.0 header");
    }
    Safetensors.Item item = Safetensors.Item.of("", tensor);
    AtomicFile.write(path, out -> {
      ByteBuffer head = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
      head.put(header.getBytes(StandardCharsets.US_ASCII)).flip();
      while (head.hasRemaining()) {
        out.write(head);
      }
      ByteBuffer buf = ByteBuffer.allocate(Safetensors.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      int per = buf.capacity() / 4;
      for (int done = 0; done < item.size(); done += per) {
        int n = Math.min(per, item.size() - done);
        buf.clear();
        buf.asFloatBuffer().put(item.array(), item.offset() + done, n);
        buf.limit(4 * n);
        while (buf.hasRemaining()) {
          out.write(buf);
        }
      }
    });
  }

  /** Reads a {@code <f4}, C-order {@code .npy} file (version 1.0, 2.0 or 3.0). */
  public static Tensor load(Path path) throws IOException {
    String file = path.toString();
    long size = Files.size(path);
    if (size > Integer.MAX_VALUE - 8) {
      throw new FileFormatException(file + ": " + size + " bytes; Npy.load reads files up to 2 GiB (use safetensors for larger tensors)");
    }
    byte[] bytes = Files.readAllBytes(path);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
      throw new FileFormatException(file + ": not a .npy file (it does not start with \\x93NUMPY)");
    }
    int major = bytes[6];
    long headerLen;
    int start;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(b.getShort(8));
      start = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new FileFormatException(file + ": truncated .npy header");
      }
      headerLen = Integer.toUnsignedLong(b.getInt(8));
      start = 12;
    } else {
      throw new FileFormatException(file + ": .npy format version " + major + "." + bytes[7] + " is not supported (1.0, 2.0, 3.0 are)");
    }
    if (start + headerLen > bytes.length) {
      throw new FileFormatException(file + ": header length " + headerLen + " runs past the end of the file (" + bytes.length + " bytes)");
    }
    String dict = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(dict);
    Matcher fortran = FORTRAN.matcher(dict);
    Matcher shapeM = SHAPE.matcher(dict);
    if (!DICT.matcher(dict).matches() || !descr.find() || !fortran.find() || !shapeM.find()) {
      throw new FileFormatException(file + ": .npy header is not a dict with 'descr', 'fortran_order' and 'shape': " + dict.strip());
    }
    if (!descr.group(1).equals("<f4")) {
      throw new FileFormatException(file + ": dtype '" + descr.group(1) + "'; downhill reads '<f4' (little-endian float32) only");
    }
    if (fortran.group(1).equals("True")) {
      throw new FileFormatException(file + ": the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
    }
    String[] parts = shapeM.group(1).split(",");
    int rank = parts.length;
    if (parts.length > 0 && parts[parts.length - 1].isBlank()) {
      rank--;
    }
    int[] shape = new int[rank];
    long numel = 1;
    for (int i = 0; i < rank; i++) {
      String p = parts[i].strip();
      if (!p.matches("0|[1-9][0-9]{0,9}") || Long.parseLong(p) > Integer.MAX_VALUE) {
        throw new FileFormatException(file + ": bad shape (" + shapeM.group(1) + ")");
      }
      shape[i] = Integer.parseInt(p);
      numel *= shape[i];
      if (numel > Safetensors.MAX_ELEMENTS) {
        throw new FileFormatException(file + ": shape (" + shapeM.group(1) + ") has more elements than a downhill tensor holds");
      }
    }
    long data = bytes.length - start - headerLen;
    if (data != numel * 4) {
      throw new FileFormatException(file + ": shape (" + shapeM.group(1) + ") needs " + numel * 4 + " bytes of data, the file has "
          + data + (data < numel * 4 ? " (truncated)" : ""));
    }
    float[] out = new float[(int) numel];
    b.position((int) (start + headerLen));
    b.asFloatBuffer().get(out);
    return Tensor.of(out, shape);
  }
}
