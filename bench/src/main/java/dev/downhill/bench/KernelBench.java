package dev.downhill.bench;

import dev.downhill.kernels.Activations;
import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.OptimizerKernels;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.ScalarActivations;
import dev.downhill.kernels.ScalarElementwise;
import dev.downhill.kernels.ScalarOptimizerKernels;
import dev.downhill.kernels.ScalarSoftmax;
import dev.downhill.kernels.Softmax;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bound kernels of a training step, each beside its scalar twin ({@code impl = simd} or
 * {@code scalar}), split over {@link Parallel} the way the engine splits them, on arrays far beyond the
 * caches (n = 32M floats, 128 MiB per array, by default). One fork per (kernel, impl, n, threads), so the
 * call in {@link #run()} sees one kernel only and C2 inlines it. GB/s = {@link #bytesPerElement} · n / time.
 *
 * <ul>
 *   <li>{@code relu, exp, sigmoid, tanh, gelu}: out = f(x), 8 B per element.</li>
 *   <li>{@code add, mul}: out = x ∘ y, 12 B.</li>
 *   <li>{@code softmax}: rows of 4096 (16 KiB, so the max/exp/scale passes after the first hit L1): 8 B.</li>
 *   <li>{@code crossEntropy}: forward (per-row loss) and the fused backward ({@code (softmax − onehot)/N})
 *       on rows of 1024 classes with class-index targets: logits read twice, gradient written: 12 B.</li>
 *   <li>{@code sgd} (momentum 0.9): p, g, buf read, p, buf written: 20 B. {@code adamw}: p, g, m, v read,
 *       p, m, v written: 28 B (Adam runs the same kernel with decay 1). {@code rmsprop} (plain) and
 *       {@code adagrad}: p, g, state read, p, state written: 20 B.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
public class KernelBench {
  /** Elements per parallel range, as the engine's element-wise passes use. */
  private static final int GRAIN = 1 << 15;
  private static final int SOFTMAX_COLS = 4096;
  private static final int CE_CLASSES = 1024;

  /** Bytes each kernel moves per element (reads plus writes, no write-allocate). */
  public static final Map<String, Integer> BYTES = Map.ofEntries(
      Map.entry("relu", 8), Map.entry("exp", 8), Map.entry("sigmoid", 8), Map.entry("tanh", 8),
      Map.entry("gelu", 8), Map.entry("add", 12), Map.entry("mul", 12), Map.entry("softmax", 8),
      Map.entry("crossEntropy", 12), Map.entry("sgd", 20), Map.entry("adamw", 28), Map.entry("rmsprop", 20),
      Map.entry("adagrad", 20));

  @Param({"relu", "exp", "sigmoid", "tanh", "gelu", "add", "mul", "softmax", "crossEntropy", "sgd", "adamw",
      "rmsprop", "adagrad"})
  String kernel;

  @Param({"simd", "scalar"})
  String impl;

  /** 32M floats: 128 MiB per array, beyond any cache of the machines this runs on. */
  public static final int DEFAULT_N = 1 << 25;

  @Param({"33554432"})
  int n;

  @Param({"1", "2"})
  int threads;

  float[] x;
  float[] y;
  float[] out;
  float[] state;
  int[] labels;
  float[] ceLoss;
  float[] ceStats;
  float[] ceScale;
  Runnable body;

  /** Bytes per element of {@code kernel}. */
  public static int bytesPerElement(String kernel) {
    Integer b = BYTES.get(kernel);
    if (b == null) throw new IllegalArgumentException("KernelBench: unknown kernel " + kernel);
    return b;
  }

  /**
   * The STREAM limit a kernel is held against, the one with its kind of traffic: "copy" for one array
   * read and one written, "4R3W" ({@link StreamBench#fourReadsThreeWrites}) for the optimizers' three to
   * four reads and two to three writes, "triad" for the rest (two read, one written).
   */
  public static String limitOf(String kernel) {
    if (bytesPerElement(kernel) == 8) return "copy";
    return switch (kernel) {
      case "sgd", "adamw", "rmsprop", "adagrad" -> "4R3W";
      default -> "triad";
    };
  }

  /** The size as the report prints it: "32M", softmax "8192×4096", cross-entropy "32768×1024", optimizers "32M params". */
  public static String sizeLabel(String kernel, int n) {
    String m = (n >> 20) + "M";
    return switch (kernel) {
      case "softmax" -> (n / SOFTMAX_COLS) + "×" + SOFTMAX_COLS;
      case "crossEntropy" -> (n / CE_CLASSES) + "×" + CE_CLASSES;
      case "sgd", "adamw", "rmsprop", "adagrad" -> m + " params";
      default -> m;
    };
  }

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    boolean simd = switch (impl) {
      case "simd" -> true;
      case "scalar" -> false;
      default -> throw new IllegalArgumentException("KernelBench: impl is simd or scalar, not " + impl);
    };
    x = filled(n, -6f, 12f);
    out = new float[n];
    body = switch (kernel) {
      case "relu" -> unary(simd ? Activations::relu : ScalarActivations::relu);
      case "exp" -> unary(simd ? Elementwise::exp : ScalarElementwise::exp);
      case "sigmoid" -> unary(simd ? Activations::sigmoid : ScalarActivations::sigmoid);
      case "tanh" -> unary(simd ? Activations::tanh : ScalarActivations::tanh);
      case "gelu" -> unary(simd ? Activations::gelu : ScalarActivations::gelu);
      case "add" -> binary(simd ? Elementwise::add : ScalarElementwise::add);
      case "mul" -> binary(simd ? Elementwise::mul : ScalarElementwise::mul);
      case "softmax" -> softmax(simd);
      case "crossEntropy" -> crossEntropy(simd);
      case "sgd" -> sgd(simd);
      case "adamw" -> adamw(simd);
      case "rmsprop" -> rmsprop(simd);
      case "adagrad" -> adagrad(simd);
      default -> throw new IllegalArgumentException("KernelBench: unknown kernel " + kernel);
    };
    bytesPerElement(kernel);
  }

  @Benchmark
  public float[] run() {
    body.run();
    return out;
  }

  /** Cheap deterministic fill (n is large: a random generator would dominate the fork's start). */
  private static float[] filled(int n, float lo, float span) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = lo + span * ((i * 2654435761L >>> 12) % 4096) / 4096f;
    return a;
  }

  interface Unary {
    void run(float[] a, int ao, float[] o, int oo, int n);
  }

  interface Binary {
    void run(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n);
  }

  private Runnable unary(Unary k) {
    return () -> Parallel.forRange(n, GRAIN, (from, to) -> k.run(x, from, out, from, to - from));
  }

  private Runnable binary(Binary k) {
    y = filled(n, 0.5f, 3f);
    return () -> Parallel.forRange(n, GRAIN, (from, to) -> k.run(x, from, y, from, out, from, to - from));
  }

  private Runnable softmax(boolean simd) {
    int rows = n / SOFTMAX_COLS;
    return simd
        ? () -> Parallel.forRange(rows, 8, (from, to) ->
            Softmax.softmaxRows(x, from * SOFTMAX_COLS, to - from, SOFTMAX_COLS, out, from * SOFTMAX_COLS))
        : () -> Parallel.forRange(rows, 8, (from, to) ->
            ScalarSoftmax.softmaxRows(x, from * SOFTMAX_COLS, to - from, SOFTMAX_COLS, out, from * SOFTMAX_COLS));
  }

  private Runnable crossEntropy(boolean simd) {
    int rows = n / CE_CLASSES;
    labels = new int[rows];
    for (int r = 0; r < rows; r++) labels[r] = (int) ((r * 2654435761L >>> 8) % CE_CLASSES);
    ceLoss = new float[rows];
    ceStats = new float[2 * rows];
    ceScale = new float[rows];
    Arrays.fill(ceScale, 1f / rows);
    int c = CE_CLASSES;
    return simd
        ? () -> Parallel.forRange(rows, 32, (from, to) -> {
            Softmax.crossEntropyRows(x, 0, c, from, to, labels, null, 0f, ceLoss, ceStats);
            Softmax.crossEntropyBackwardRows(x, 0, c, from, to, labels, null, 0f, ceStats, ceScale, out, 0);
          })
        : () -> Parallel.forRange(rows, 32, (from, to) -> {
            ScalarSoftmax.crossEntropyRows(x, 0, c, from, to, labels, null, 0f, ceLoss, ceStats);
            ScalarSoftmax.crossEntropyBackwardRows(x, 0, c, from, to, labels, null, 0f, ceStats, ceScale, out, 0);
          });
  }

  // The optimizer kernels update p = out in place; g = x (rescaled to gradient size), state = m / sq / sum.

  private void optimizerArrays(boolean twoStates) {
    for (int i = 0; i < n; i++) {
      out[i] = x[i] / 6f;
      x[i] *= 1e-3f;
    }
    state = new float[n];
    for (int i = 0; i < n; i++) state[i] = x[i] * x[i];
    if (twoStates) y = state.clone();
  }

  private Runnable sgd(boolean simd) {
    optimizerArrays(false);
    return simd
        ? () -> OptimizerKernels.sgd(out, 0, x, 0, state, 0, n, 1f, 0f, 0.9f, 1f, false, false, 1e-3f)
        : () -> Parallel.forRange(n, OptimizerKernels.GRAIN, (from, to) ->
            ScalarOptimizerKernels.sgd(out, from, x, from, state, from, to - from, 1f, 0f, 0.9f, 1f, false, false, 1e-3f));
  }

  private Runnable adamw(boolean simd) {
    optimizerArrays(true);
    return simd
        ? () -> OptimizerKernels.adam(out, 0, x, 0, state, 0, y, 0, null, 0, n, 1f, 0.99999f, 0f, 0.9f, 0.1f, 0.999f,
            0.001f, 1e-4f, 0.5f, 1e-8f)
        : () -> Parallel.forRange(n, OptimizerKernels.GRAIN, (from, to) ->
            ScalarOptimizerKernels.adam(out, from, x, from, state, from, y, from, null, 0, to - from, 1f, 0.99999f, 0f,
                0.9f, 0.1f, 0.999f, 0.001f, 1e-4f, 0.5f, 1e-8f));
  }

  private Runnable rmsprop(boolean simd) {
    optimizerArrays(false);
    return simd
        ? () -> OptimizerKernels.rmsprop(out, 0, x, 0, state, 0, null, 0, null, 0, n, 1f, 0f, 0.99f, 0.01f, 1e-8f, 0f,
            1e-2f)
        : () -> Parallel.forRange(n, OptimizerKernels.GRAIN, (from, to) ->
            ScalarOptimizerKernels.rmsprop(out, from, x, from, state, from, null, 0, null, 0, to - from, 1f, 0f, 0.99f,
                0.01f, 1e-8f, 0f, 1e-2f));
  }

  private Runnable adagrad(boolean simd) {
    optimizerArrays(false);
    return simd
        ? () -> OptimizerKernels.adagrad(out, 0, x, 0, state, 0, n, 1f, 0f, 1e-10f, 1e-2f)
        : () -> Parallel.forRange(n, OptimizerKernels.GRAIN, (from, to) ->
            ScalarOptimizerKernels.adagrad(out, from, x, from, state, from, to - from, 1f, 0f, 1e-10f, 1e-2f));
  }
}
