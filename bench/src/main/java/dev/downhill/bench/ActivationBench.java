package dev.downhill.bench;

import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Activations;
import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.ScalarActivations;
import dev.downhill.kernels.ScalarElementwise;
import dev.downhill.kernels.ScalarSoftmax;
import dev.downhill.kernels.Softmax;
import dev.downhill.loss.Loss;
import java.util.SplittableRandom;
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
 * Activation and loss kernels beside their scalar twins, on 1 and 2 threads ({@link Parallel}, output
 * ranges or whole rows per thread, as the engine runs them).
 *
 * <ul>
 *   <li>relu, sigmoid, tanh, gelu, exp on a 4096×4096 tensor (16M floats, 64 MiB in and 64 MiB out):
 *       8 bytes per element, so GB/s = 0.134 / (time per call in s); add and mul: 12 bytes per
 *       element, GB/s = 0.201 / (time in s). Compare relu, add and mul with {@link StreamBench}'s copy
 *       at threads = 2 (target: 80 % or more).</li>
 *   <li>softmax over the rows of 4096×4096: read once for the max, once for exp and the sum (which
 *       also writes), once more to scale: counted as 8 bytes per element like the others.</li>
 *   <li>cross-entropy forward + backward on [4096, 1000] logits with class-index targets
 *       ({@code ceKernels*}: the row kernels; {@code ceTensor}: {@code Loss.crossEntropy(...)}
 *       {@code .backward()} through the public API, allocations included, the figure to put beside
 *       PyTorch's (bench/torch_activations.py); {@code ceComposed}: logSoftmax then nllLoss, the
 *       unfused path, to show what the fusion buys).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ActivationBench {
  private static final int ROWS = 4096;
  private static final int COLS = 4096;
  private static final int N = ROWS * COLS;
  private static final int GRAIN = 1 << 15;
  private static final int CE_ROWS = 4096;
  private static final int CE_CLASSES = 1000;

  @Param({"1", "2"})
  int threads;

  float[] x;
  float[] y;
  float[] out;
  float[] logits;
  float[] ceGrad;
  float[] ceLoss;
  float[] ceStats;
  float[] ceScale;
  int[] labels;
  Tensor logitsTensor;
  Tensor labelsTensor;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    SplittableRandom r = new SplittableRandom(4);
    x = new float[N];
    y = new float[N];
    out = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (float) r.nextDouble(-6, 6);
      y[i] = (float) r.nextDouble(-6, 6);
    }
    logits = new float[CE_ROWS * CE_CLASSES];
    for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian() * 3;
    labels = new int[CE_ROWS];
    float[] labelFloats = new float[CE_ROWS];
    for (int i = 0; i < CE_ROWS; i++) labelFloats[i] = labels[i] = r.nextInt(CE_CLASSES);
    ceGrad = new float[logits.length];
    ceLoss = new float[CE_ROWS];
    ceStats = new float[2 * CE_ROWS];
    ceScale = new float[CE_ROWS];
    java.util.Arrays.fill(ceScale, 1f / CE_ROWS);
    logitsTensor = Tensor.of(logits, CE_ROWS, CE_CLASSES).requiresGrad(true);
    labelsTensor = Tensor.of(labelFloats);
  }

  interface Unary {
    void run(float[] a, int ao, float[] o, int oo, int n);
  }

  private float[] elementwise(Unary k) {
    Parallel.forRange(N, GRAIN, (from, to) -> k.run(x, from, out, from, to - from));
    return out;
  }

  @Benchmark public float[] reluSimd() { return elementwise(Activations::relu); }
  @Benchmark public float[] reluScalar() { return elementwise(ScalarActivations::relu); }
  @Benchmark public float[] sigmoidSimd() { return elementwise(Activations::sigmoid); }
  @Benchmark public float[] sigmoidScalar() { return elementwise(ScalarActivations::sigmoid); }
  @Benchmark public float[] tanhSimd() { return elementwise(Activations::tanh); }
  @Benchmark public float[] tanhScalar() { return elementwise(ScalarActivations::tanh); }
  @Benchmark public float[] geluSimd() { return elementwise(Activations::gelu); }
  @Benchmark public float[] geluScalar() { return elementwise(ScalarActivations::gelu); }
  @Benchmark public float[] expSimd() { return elementwise(Elementwise::exp); }

  /** out = x + y over 4096×4096: 12 bytes per element (the memory-bound add, split like the activations). */
  @Benchmark
  public float[] addSimd() {
    Parallel.forRange(N, GRAIN, (from, to) -> Elementwise.add(x, from, y, from, out, from, to - from));
    return out;
  }

  /** out = x · y over 4096×4096: 12 bytes per element. */
  @Benchmark
  public float[] mulSimd() {
    Parallel.forRange(N, GRAIN, (from, to) -> Elementwise.mul(x, from, y, from, out, from, to - from));
    return out;
  }
  @Benchmark public float[] expScalar() { return elementwise(ScalarElementwise::exp); }

  @Benchmark
  public float[] softmaxSimd() {
    Parallel.forRange(ROWS, 8, (from, to) -> Softmax.softmaxRows(x, from * COLS, to - from, COLS, out, from * COLS));
    return out;
  }

  @Benchmark
  public float[] softmaxScalar() {
    Parallel.forRange(ROWS, 8, (from, to) -> ScalarSoftmax.softmaxRows(x, from * COLS, to - from, COLS, out, from * COLS));
    return out;
  }

  /** Forward (per-row loss) and fused backward ({@code (softmax − onehot)/N}) through the row kernels. */
  @Benchmark
  public float[] ceKernelsSimd() {
    Parallel.forRange(CE_ROWS, 32, (from, to) -> {
      Softmax.crossEntropyRows(logits, 0, CE_CLASSES, from, to, labels, null, 0f, ceLoss, ceStats);
      Softmax.crossEntropyBackwardRows(logits, 0, CE_CLASSES, from, to, labels, null, 0f, ceStats, ceScale, ceGrad, 0);
    });
    return ceGrad;
  }

  @Benchmark
  public float[] ceKernelsScalar() {
    Parallel.forRange(CE_ROWS, 32, (from, to) -> {
      ScalarSoftmax.crossEntropyRows(logits, 0, CE_CLASSES, from, to, labels, null, 0f, ceLoss, ceStats);
      ScalarSoftmax.crossEntropyBackwardRows(logits, 0, CE_CLASSES, from, to, labels, null, 0f, ceStats, ceScale, ceGrad, 0);
    });
    return ceGrad;
  }

  /** The public API, as a training step would call it: loss, backward, and the gradient dropped again. */
  @Benchmark
  public Tensor ceTensor() {
    logitsTensor.clearGrad();
    Loss.crossEntropy(logitsTensor, labelsTensor).backward();
    return logitsTensor.grad();
  }

  /** The unfused path for comparison: log-softmax (written out, 16 MB) then NLL, each with its own backward. */
  @Benchmark
  public Tensor ceComposed() {
    logitsTensor.clearGrad();
    Loss.nllLoss(logitsTensor.logSoftmax(1), labelsTensor).backward();
    return logitsTensor.grad();
  }
}
