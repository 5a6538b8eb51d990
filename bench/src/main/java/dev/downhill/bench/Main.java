package dev.downhill.bench;

import dev.downhill.bench.report.Report;

/**
 * The main class of {@code bench/target/benchmarks.jar}: {@code report [--quick] [--out DIR]} runs
 * the fixed selection of {@link Report}; anything else goes to JMH's own main unchanged
 * ({@code -l}, {@code -h}, {@code GemmBench -p shape=1024}, ...).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("report")) {
      System.exit(Report.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    org.openjdk.jmh.Main.main(args);
  }
}
