package dev.downhill.data;

/** A child program for {@link ProgressTest}: 30 steps with a loss, one log line, on stderr. */
public final class ProgressMain {
  private ProgressMain() {}

  public static void main(String[] args) throws InterruptedException {
    try (Progress bar = Progress.start("demo", 30)) {
      bar.log("mode=" + bar.mode());
      for (int i = 0; i < 30; i++) {
        Thread.sleep(10);
        bar.step("loss", 1.0 / (i + 1));
      }
    }
  }
}
