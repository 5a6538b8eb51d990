package dev.downhill.bench;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.OptimizerKernels;
import dev.downhill.kernels.Parallel;
import dev.downhill.kernels.ScalarOptimizerKernels;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.SGD;
import java.util.List;
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
 * One optimizer step on a 16M-element (n = 2^24) float parameter: the fused SIMD kernel, its scalar
 * twin (split over the same threads by {@link Parallel#forRange}), and the whole {@code step()} of
 * the optimizer object (kernel plus bookkeeping), on {@code threads} threads.
 *
 * <p>Bytes moved per step, for GB/s = bytes / time:
 * <ul>
 *   <li>SGD with momentum: reads param, grad, momentum buffer; writes param, buffer:
 *       5 × 4 B × 2^24 = 335,544,320 B (320 MiB).</li>
 *   <li>AdamW: reads param, grad, m, v; writes param, m, v: 7 × 4 B × 2^24 = 469,762,048 B
 *       (448 MiB).</li>
 * </ul>
 * Every array is 64 MiB, far beyond any cache, so this is memory bandwidth; compare with the triad
 * of StreamBench on the same threads, and with {@code bench/torch_optim.py} (PyTorch's
 * {@code AdamW(foreach=True).step()} and SGD momentum on the same size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
public class OptimizerBench {
  static final int N = 1 << 24;

  @Param({"1", "2"})
  int threads;

  float[] p;
  float[] g;
  float[] m;
  float[] v;
  Tensor param;
  SGD sgd;
  AdamW adamw;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    SplittableRandom r = new SplittableRandom(1);
    p = new float[N];
    g = new float[N];
    m = new float[N];
    v = new float[N];
    for (int i = 0; i < N; i++) {
      p[i] = (float) r.nextDouble(-1, 1);
      g[i] = (float) r.nextDouble(-1e-3, 1e-3);
      v[i] = g[i] * g[i];
    }
    param = Tensor.of(p).requiresGrad(true);
    param.mul(Tensor.of(g)).sum().backward(); // param.grad() = g
    sgd = new SGD(List.of(param), SGD.options().lr(1e-3).momentum(0.9));
    adamw = new AdamW(List.of(param), AdamW.options().lr(1e-4));
    try (var ignored = Autograd.noGrad()) {
      sgd.step();
      adamw.step(); // both states exist before timing
    }
  }

  @Benchmark
  public float[] sgdMomentumSimd() {
    OptimizerKernels.sgd(p, 0, g, 0, m, 0, N, 1f, 0f, 0.9f, 1f, false, false, 1e-3f);
    return p;
  }

  @Benchmark
  public float[] sgdMomentumScalar() {
    Parallel.forRange(N, OptimizerKernels.GRAIN, (from, to) ->
        ScalarOptimizerKernels.sgd(p, from, g, from, m, from, to - from, 1f, 0f, 0.9f, 1f, false, false, 1e-3f));
    return p;
  }

  @Benchmark
  public float[] adamwSimd() {
    OptimizerKernels.adam(p, 0, g, 0, m, 0, v, 0, null, 0, N, 1f, 0.99999f, 0f, 0.9f, 0.1f, 0.999f, 0.001f,
        1e-4f, 0.5f, 1e-8f);
    return p;
  }

  @Benchmark
  public float[] adamwScalar() {
    Parallel.forRange(N, OptimizerKernels.GRAIN, (from, to) ->
        ScalarOptimizerKernels.adam(p, from, g, from, m, from, v, from, null, 0, to - from, 1f, 0.99999f, 0f, 0.9f,
            0.1f, 0.999f, 0.001f, 1e-4f, 0.5f, 1e-8f));
    return p;
  }

  /** SGD.step() on the 16M parameter: the kernel plus the optimizer's per-parameter bookkeeping. */
  @Benchmark
  public Tensor sgdMomentumStep() {
    sgd.step();
    return param;
  }

  /** AdamW.step() on the 16M parameter. */
  @Benchmark
  public Tensor adamwStep() {
    adamw.step();
    return param;
  }
}
