package dev.downhill.bench;

import dev.downhill.bench.report.Report;

/**
 * The main class of {@code bench/target/benchmarks.jar}: {@code report [--quick] [--out DIR]} runs
 * the fixed selection of {@link Report}; {@code split MODEL [THREADS]} times the parts of a training
 * step and its products apart ({@link StepSplit}); {@code serve} times products and steps on request,
 * for {@code bench/duel.py} ({@link Serve}); {@code lanes} prints the float lanes of the
 * preferred vector species (8 on AVX2, 16 on AVX-512); anything else goes to JMH's own main unchanged
 * ({@code -l}, {@code -h}, {@code GemmBench -p shape=1024}, ...).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("lanes")) {
      // For scripts (bench/gemm_report.py): the float lanes of the vectors the kernels use on this JVM and CPU.
      System.out.println(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
      return;
    }
    if (args.length > 0 && args[0].equals("split")) {
      System.exit(StepSplit.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("serve")) {
      System.exit(Serve.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("report")) {
      System.exit(Report.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    org.openjdk.jmh.Main.main(args);
  }
}
