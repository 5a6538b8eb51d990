package dev.downhill.bench.report;

import dev.downhill.bench.GemmBench;
import dev.downhill.bench.GemmScalarBench;
import dev.downhill.bench.KernelBench;
import dev.downhill.bench.PeakBench;
import dev.downhill.bench.StreamBench;
import dev.downhill.bench.TrainingStepBench;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar report [--quick] [--out DIR]}:
 * a short fixed selection of the JMH benchmarks, one fork each, held against the machine's limits
 * measured by the same run.
 *
 * <ol>
 *   <li>Limits, before: the FMA peak ({@link PeakBench}, JMH threads = 1 and all), copy and triad
 *       and an optimizer's four-reads-three-writes pattern ({@link StreamBench}, 64M floats per array) and, when {@code gcc} is on the PATH, the C STREAM of
 *       {@code bench/tools/stream.c} (built here with {@code gcc -O3 -fopenmp}, the same 64M floats).</li>
 *   <li>GEMM by size and the chapters' shapes ({@link GemmBench}; the chapters' shapes also as
 *       {@code sgemm NT}, A·Bᵀ, the way nn.Linear runs them), the scalar triple loop on one thread
 *       ({@link GemmScalarBench}), the memory-bound kernels and their scalar twins ({@link KernelBench}),
 *       the three training steps ({@link TrainingStepBench}).</li>
 *   <li>Limits again, after. Shares use the higher of before and after; the run is flagged unreliable when
 *       the two differ by more than 10 % or a kernel exceeds 105 % of its limit.</li>
 * </ol>
 * Prints the table and writes {@code report.csv}, {@code gemm.png} and {@code report.html} to DIR
 * (default: {@code report/} beside the jar, i.e. {@code bench/target/report}). The full form took 210 s on
 * a loaded 2-core VM (80 JMH forks; most of the time is fork start-up and warm-up), {@code --quick}
 * (10 rows, shorter measurements) 64 s, 100 s under load, most of it the limits, measured in full.
 */
public final class Report {
  /** Floats per array of the STREAM limits (Java and C alike): 256 MiB each. */
  static final int STREAM_N = 64 << 20;
  /** Measurement iterations of each limit (the best counts). */
  static final int LIMIT_ITERATIONS = 3;
  /** Square sides for the chart; 2048 is left to bench/gemm_report.py (its forks alone take about 10 s). */
  static final String[] SQUARE = {"64", "128", "256", "512", "1024"};
  static final String[] CHAPTER = {"10x100x500", "10x500x500", "256x784x1024"};

  private final boolean quick;
  private final Path out;
  private final int all = Runtime.getRuntime().availableProcessors();
  private final List<Integer> threadCounts;
  private final int lanes = FloatVector.SPECIES_PREFERRED.length();
  private int runs;

  private Report(boolean quick, Path out) {
    this.quick = quick;
    this.out = out;
    threadCounts = all == 1 ? List.of(1) : List.of(1, all);
  }

  /** Runs the report; returns the exit status (0, or 2 for a bad argument). */
  public static int main(String[] args) throws Exception {
    boolean quick = false;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> {
          if (i + 1 == args.length) return usage("--out needs a directory");
          out = Path.of(args[++i]);
        }
        default -> {
          return usage("unknown option " + args[i]);
        }
      }
    }
    if (out == null) out = defaultOut();
    new Report(quick, out).run(args);
    return 0;
  }

  private static int usage(String why) {
    System.err.println("report: " + why + "\nusage: report [--quick] [--out DIR]   (anything else: JMH's own options, e.g. -h)");
    return 2;
  }

  private static Path defaultOut() {
    try {
      Path jar = Path.of(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar)) return jar.getParent().resolve("report");
    } catch (Exception ignored) {
      // fall through
    }
    return Path.of("report");
  }

  private void run(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    long t0 = System.nanoTime();
    double loadBefore = load();
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    Files.createDirectories(out.resolve("jmh"));
    progress("limits, before");
    Map<String, Double> before = limits();

    progress("GEMM");
    List<String> shapes = new ArrayList<>(List.of(quick ? new String[] {"128", "512"} : SQUARE));
    if (!quick) shapes.addAll(List.of(CHAPTER));
    Map<String, Double> gemm = new HashMap<>();
    for (RunResult r : jmh(GemmBench.class, "sgemm", params("shape", shapes, "threads", ints(threadCounts)), null)) {
      gemm.put(r.getParams().getParam("shape") + "/" + r.getParams().getParam("threads"), median(r));
    }
    // The chapters' shapes as nn.Linear runs them: x·Wᵀ, B transposed (the weight is [out, in]).
    List<String> linearShapes = quick ? List.of() : List.of(CHAPTER);
    if (!linearShapes.isEmpty()) {
      for (RunResult r : jmh(GemmBench.class, "sgemm", params("shape", linearShapes, "threads", ints(threadCounts), "op",
          List.of("NT")), null)) {
        gemm.put(r.getParams().getParam("shape") + "/NT/" + r.getParams().getParam("threads"), median(r));
      }
    }
    List<String> scalarShapes = quick ? List.of("128")
        : List.of("64", "128", "256", "512", "10x100x500", "10x500x500"); // 256×784×1024: a second per call
    Map<String, Double> scalarGemm = new HashMap<>();
    // Plain loops compile at once; one warm-up iteration (one call of the 256×784×1024 product takes a second).
    for (RunResult r : jmh(GemmScalarBench.class, "tripleLoop", params("shape", scalarShapes), b -> b.warmupIterations(1))) {
      scalarGemm.put(r.getParams().getParam("shape"), median(r));
    }

    progress("memory-bound kernels");
    List<String> kernels = quick ? List.of("relu", "adamw")
        : List.of("relu", "exp", "gelu", "add", "softmax", "crossEntropy", "sgd", "adamw", "rmsprop", "adagrad");
    Map<String, Double> kernelMs = new HashMap<>();
    // Memory-bound loops compile within the first iterations and one call takes tens of ms: fewer warm-ups.
    for (RunResult r : jmh(KernelBench.class, "run", params("kernel", kernels, "impl", List.of("simd"), "threads",
        ints(threadCounts)), b -> b.warmupIterations(3))) {
      kernelMs.put(r.getParams().getParam("kernel") + "/simd/" + r.getParams().getParam("threads"), median(r));
    }
    // Scalar twins on one thread only: the speed-up of the SIMD loop itself, for the time the full run allows.
    for (RunResult r : jmh(KernelBench.class, "run", params("kernel", kernels, "impl", List.of("scalar"), "threads",
        List.of("1")), b -> b.warmupIterations(2))) {
      kernelMs.put(r.getParams().getParam("kernel") + "/scalar/1", median(r));
    }

    progress("training steps");
    List<String> models = quick ? List.of("mlp85") : List.of("mlp85", "mlp784", "linreg");
    Map<String, Double> stepUs = new HashMap<>();
    // Longer warm-up than the kernels': the 8.5 step compiles dozens of methods, and after five 0.2 s
    // warm-up iterations it still took 2.4–3.9 ms a step, then 2.1, 1.0 and 0.8 ms in the three measured
    // ones (17:44 UTC, steady state about 0.4 ms); with four 1 s iterations it is steady before measuring.
    java.util.function.Consumer<ChainedOptionsBuilder> stepWarmup = quick ? null
        : b -> b.warmupIterations(4).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.milliseconds(500));
    for (RunResult r : jmh(TrainingStepBench.class, "step", params("model", models, "threads", ints(threadCounts)),
        stepWarmup)) {
      stepUs.put(r.getParams().getParam("model") + "/" + r.getParams().getParam("threads"), median(r));
    }

    progress("limits, after");
    Map<String, Double> after = limits();

    List<Limit> limits = new ArrayList<>();
    for (String name : List.of("FMA peak", "copy", "triad", "4R3W")) {
      for (String source : List.of("Java", "C")) {
        if (name.equals("FMA peak") && source.equals("C")) continue;
        for (int t : threadCounts) {
          String key = name + "/" + source + "/" + t;
          if (!before.containsKey(key) && !after.containsKey(key)) continue;
          limits.add(new Limit(name, source, t, name.equals("FMA peak") ? "GFLOP/s" : "GB/s",
              before.getOrDefault(key, Double.NaN), after.getOrDefault(key, Double.NaN)));
        }
      }
    }
    Map<String, Double> used = new HashMap<>();
    for (Limit l : limits) used.put(l.name() + "/" + l.source() + "/" + l.threads(), l.used());

    List<Row> rows = new ArrayList<>();
    for (String s : shapes) {
      for (int t : threadCounts) {
        Double us = gemm.get(s + "/" + t);
        if (us == null) continue;
        double flops = gemmFlops(s);
        Double scalarUs = t == 1 ? scalarGemm.get(s) : null;
        rows.add(new Row("gemm", "sgemm", gemmLabel(s), t, "GFLOP/s", flops / us / 1e3, us, "FMA peak",
            used.getOrDefault("FMA peak/Java/" + t, Double.NaN), Double.NaN,
            scalarUs == null ? Double.NaN : flops / scalarUs / 1e3));
      }
    }
    for (String s : linearShapes) {
      for (int t : threadCounts) {
        Double us = gemm.get(s + "/NT/" + t);
        if (us == null) continue;
        rows.add(new Row("gemm", "sgemm NT", gemmLabel(s), t, "GFLOP/s", gemmFlops(s) / us / 1e3, us, "FMA peak",
            used.getOrDefault("FMA peak/Java/" + t, Double.NaN), Double.NaN, Double.NaN));
      }
    }
    for (String k : kernels) {
      for (int t : threadCounts) {
        Double ms = kernelMs.get(k + "/simd/" + t);
        if (ms == null) continue;
        double bytes = (double) KernelBench.bytesPerElement(k) * KernelBench.DEFAULT_N;
        String limit = KernelBench.limitOf(k);
        Double scalarMs = kernelMs.get(k + "/scalar/" + t);
        rows.add(new Row(section(k), k, KernelBench.sizeLabel(k, KernelBench.DEFAULT_N), t, "GB/s", bytes / ms / 1e6, ms * 1e3,
            limit, used.getOrDefault(limit + "/Java/" + t, Double.NaN), used.getOrDefault(limit + "/C/" + t, Double.NaN),
            scalarMs == null ? Double.NaN : bytes / scalarMs / 1e6));
      }
    }
    for (String m : models) {
      for (int t : threadCounts) {
        Double us = stepUs.get(m + "/" + t);
        if (us == null) continue;
        rows.add(new Row("step", "step " + m, TrainingStepBench.label(m), t, "GFLOP/s", TrainingStepBench.flops(m) / us / 1e3, us,
            "FMA peak", used.getOrDefault("FMA peak/Java/" + t, Double.NaN), Double.NaN, Double.NaN));
      }
    }

    List<String> unreliable = new ArrayList<>();
    for (Limit l : limits) {
      if (l.unstable()) {
        unreliable.add(String.format(Locale.ROOT, "%s on %d thread(s) was %s before and %s after the run (%.0f %% apart)",
            l.label(), l.threads(), ReportWriter.num(l.before()), ReportWriter.num(l.after()), 100 * l.spread()));
      }
    }
    for (Row r : rows) {
      if (r.overLimit()) {
        unreliable.add(String.format(Locale.ROOT, "%s %s on %d thread(s) ran at %.0f %% of its limit (%s)", r.kernel(), r.size(),
            r.threads(), 100 * r.share(), r.limitName()));
      }
    }
    if (quick) unreliable.add("--quick: one short iteration per kernel, a smoke test of the report, not a measurement");
    String command = "java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar report" + (args.length > 0 ? " " + String.join(" ", args) : "");
    Meta meta = new Meta(date, jdk(), cpu(), lanes, all, command, loadBefore, load(), (System.nanoTime() - t0) / 1e9, quick,
        unreliable);
    String table = ReportWriter.writeAll(out, meta, limits, rows);
    System.out.println(table);
    System.out.println("wrote " + out.resolve("report.csv") + ", " + out.resolve("gemm.png") + ", " + out.resolve("report.html"));
  }

  private static String section(String kernel) {
    return switch (kernel) {
      case "sgd", "adamw", "rmsprop", "adagrad" -> "optimizer";
      case "softmax", "crossEntropy" -> "rows";
      default -> "elementwise";
    };
  }

  // ---------------------------------------------------------------------------------- limits

  /** FMA peak, Java copy/triad and (with gcc) C copy/triad on each thread count; keys "name/source/threads". */
  private Map<String, Double> limits() throws Exception {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int t : threadCounts) {
      Collection<RunResult> peak = jmh(PeakBench.class, "fmaThroughput", Map.of(), b -> b.threads(t).mode(Mode.Throughput)
          .timeUnit(TimeUnit.MICROSECONDS).measurementIterations(LIMIT_ITERATIONS).measurementTime(TimeValue.milliseconds(200)));
      // Throughput with t JMH threads: the score is the sum over threads, in vector FMAs per µs.
      m.put("FMA peak/Java/" + t, best(peak.iterator().next(), true) * 2 * lanes / 1e3);
    }
    for (RunResult r : jmh(StreamBench.class, ".*", params("n", List.of(Integer.toString(STREAM_N)), "threads",
        ints(threadCounts)), b -> b.warmupIterations(1).measurementIterations(LIMIT_ITERATIONS)
        .measurementTime(TimeValue.milliseconds(200)))) {
      String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
      String op = switch (method) {
        case "copy" -> "copy";
        case "triad" -> "triad";
        default -> "4R3W";
      };
      double bytes = (op.equals("copy") ? 8.0 : op.equals("triad") ? 12.0 : 28.0) * STREAM_N;
      m.put(op + "/Java/" + r.getParams().getParam("threads"), bytes / best(r, false) / 1e6);
    }
    m.putAll(cStream());
    return m;
  }

  private Path cStreamBinary;
  private boolean cStreamTried;

  /** Builds bench/tools/stream.c once (from the jar's copy) and runs it on each thread count; empty without gcc. */
  private Map<String, Double> cStream() throws IOException, InterruptedException {
    Map<String, Double> m = new HashMap<>();
    if (!cStreamTried) {
      cStreamTried = true;
      Path dir = out.resolve("stream");
      Files.createDirectories(dir);
      Path src = dir.resolve("stream.c");
      try (InputStream in = Report.class.getResourceAsStream("/dev/downhill/bench/tools/stream.c")) {
        if (in == null) throw new IOException("stream.c is missing from the jar");
        Files.write(src, in.readAllBytes());
      }
      Path bin = dir.resolve("stream");
      try {
        Process p = new ProcessBuilder("gcc", "-O3", "-fopenmp", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() == 0) {
          cStreamBinary = bin;
        } else {
          System.err.println("report: gcc could not build the C STREAM, skipping it:\n" + log);
        }
      } catch (IOException noGcc) {
        System.err.println("report: no gcc on the PATH, the C STREAM is skipped");
      }
    }
    if (cStreamBinary == null) return m;
    for (int t : threadCounts) {
      ProcessBuilder pb = new ProcessBuilder(cStreamBinary.toString(), Integer.toString(STREAM_N));
      pb.environment().put("OMP_NUM_THREADS", Integer.toString(t));
      pb.environment().put("OMP_PROC_BIND", "false");
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        System.err.println("report: the C STREAM failed on " + t + " thread(s)");
        continue;
      }
      for (String line : text.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3) m.put((f[0].equals("4r3w") ? "4R3W" : f[0]) + "/C/" + t, Double.parseDouble(f[2]));
      }
    }
    return m;
  }

  // -------------------------------------------------------------------------------------- JMH

  private Collection<RunResult> jmh(Class<?> bench, String method, Map<String, List<String>> params,
      java.util.function.Consumer<ChainedOptionsBuilder> extra) throws RunnerException {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + Pattern.quote(bench.getName()) + "\\." + method + "$")
        .forks(1)
        // Steady-state figures: the JVM's first products take Gemm's cold path, and the switch to the warm
        // one (at 8192 products, up to a second into a fork) compiles kernels anew, in the middle of
        // these short iterations. A cold JVM's time is bench/cold_start.sh's measure.
        // (Prepended: an appended list would replace each benchmark's own, KernelBench's -Xms3g among them.)
        .jvmArgsPrepend("-Ddownhill.gemm.coldCalls=0")
        // Many short warm-up iterations rather than a few long ones: until C2 has compiled them, Vector API
        // loops run boxed and a first training step takes half a second, so an iteration lasts at least one
        // such call; measured for the 8.5 step on this machine, steady state comes in the 4th to 5th.
        .warmupIterations(5)
        .warmupTime(TimeValue.milliseconds(200))
        .measurementIterations(quick ? 2 : 3)
        .measurementTime(TimeValue.milliseconds(quick ? 200 : 250))
        .verbosity(VerboseMode.NORMAL)
        .output(out.resolve("jmh").resolve(String.format(Locale.ROOT, "%02d-%s.log", ++runs, bench.getSimpleName())).toString())
        .shouldFailOnError(true);
    params.forEach((k, v) -> b.param(k, v.toArray(String[]::new)));
    if (extra != null) extra.accept(b);
    long t0 = System.nanoTime();
    Collection<RunResult> results = new Runner(b.build()).run();
    System.err.printf(Locale.ROOT, "  %-18s %-60s %5.1f s%n", bench.getSimpleName(), params.toString().replace("=[", "=").replace("], ", " ").replace("]}", "").replace("{", ""),
        (System.nanoTime() - t0) / 1e9);
    return results;
  }

  /**
   * A limit is the best iteration, not the median: other work on the machine only ever lowers it, and
   * the limit is what the hardware can do (kernels, in contrast, report their median).
   */
  static double best(RunResult r, boolean higherIsBetter) {
    double b = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    for (BenchmarkResult br : r.getBenchmarkResults()) {
      for (IterationResult ir : br.getIterationResults()) {
        double s = ir.getPrimaryResult().getScore();
        b = higherIsBetter ? Math.max(b, s) : Math.min(b, s);
      }
    }
    return b;
  }

  /** The median of the measurement iterations' scores (robust against one disturbed iteration). */
  static double median(RunResult r) {
    List<Double> s = new ArrayList<>();
    for (BenchmarkResult br : r.getBenchmarkResults()) {
      for (IterationResult ir : br.getIterationResults()) s.add(ir.getPrimaryResult().getScore());
    }
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static Map<String, List<String>> params(Object... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> v = (List<String>) kv[i + 1];
      m.put((String) kv[i], v);
    }
    return m;
  }

  private static List<String> ints(List<Integer> xs) {
    return xs.stream().map(String::valueOf).toList();
  }

  static double gemmFlops(String shape) {
    String[] d = shape.split("x");
    double m = Double.parseDouble(d[0]);
    double k = d.length == 3 ? Double.parseDouble(d[1]) : m;
    double n = d.length == 3 ? Double.parseDouble(d[2]) : m;
    return 2 * m * k * n;
  }

  static String gemmLabel(String shape) {
    return shape.contains("x") ? shape.replace("x", "×") : shape + "³";
  }

  // ---------------------------------------------------------------------------------- machine

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String jdk() {
    return "JDK " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + ")";
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static void progress(String what) {
    System.err.println("report: " + what);
  }
}
