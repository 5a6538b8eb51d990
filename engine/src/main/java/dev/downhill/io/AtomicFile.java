package dev.downhill.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash never leaves a half-written file in place of a good one: the bytes go
 * to a temporary file in the same directory, which is forced to disk and then moved over the target
 * in one atomic rename.
 */
final class AtomicFile {
  private AtomicFile() {}

  /** What writes the new contents into an open channel, from position 0. */
  @FunctionalInterface
  interface Body {
    void write(FileChannel out) throws IOException;
  }

  static void write(Path path, Body body) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = createTemporary(dir, target.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        body.write(out);
        out.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(target + ": the file system cannot rename atomically, so the file was not replaced", e);
      }
      moved = true;
      forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * A new empty file beside the target. Not Files.createTempFile: its files are private (0600), and
   * the saved file would keep that mode; createFile gives the usual 0666 less the umask.
   */
  private static Path createTemporary(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + name + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Windows cannot open a directory; the rename is still atomic there.
    }
  }
}
