package dev.downhill.io;

import java.io.IOException;

/**
 * A file that is not what it claims to be (truncated, corrupt, of another format or dtype): the
 * message names the file and, where it applies, the tensor. Nothing was loaded.
 */
public final class FileFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public FileFormatException(String message) {
    super(message);
  }

  public FileFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
