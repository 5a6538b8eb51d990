package dev.downhill.bench;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Parallel;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.Optimizer;
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
 * Whole training steps through the public API — zeroGrad, forward, loss, backward, optimizer step —
 * as a user's loop runs them (allocations included). Time per step; {@link #flops(String)} counts the
 * products (forward, dW and dX, with no dX for the input), so GFLOP/s = flops / time.
 *
 * <ul>
 *   <li>{@code mlp85}: Chapter 8.5's MLP 100-500-500-2 with ReLU, batch 10, cross-entropy, Adam lr 1e-3.</li>
 *   <li>{@code mlp784}: an MNIST-sized MLP 784-1024-1024-10 with ReLU, batch 256, cross-entropy, AdamW lr 1e-3.</li>
 *   <li>{@code linreg}: the article's y = wx + b ({@code Linear(1, 1)}) on 100 samples, MSE, AdamW lr 0.01.</li>
 * </ul>
 * {@code bench/peers.py} times the same three steps in PyTorch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainingStepBench {
  @Param({"mlp85", "mlp784", "linreg"})
  String model;

  @Param({"1", "2"})
  int threads;

  Module net;
  Optimizer opt;
  Tensor x;
  Tensor y;
  boolean classify;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    Generator gen = new Generator(0);
    switch (model) {
      case "mlp85" -> {
        net = mlp(gen, 100, 500, 500, 2);
        opt = new Adam(net.parameters(), Adam.options().lr(1e-3));
        x = Tensor.randn(gen, 10, 100);
        y = Tensor.randint(gen, 0, 2, 10);
        classify = true;
      }
      case "mlp784" -> {
        net = mlp(gen, 784, 1024, 1024, 10);
        opt = new AdamW(net.parameters(), AdamW.options().lr(1e-3));
        x = Tensor.randn(gen, 256, 784);
        y = Tensor.randint(gen, 0, 10, 256);
        classify = true;
      }
      case "linreg" -> {
        net = new Linear(1, 1, gen);
        opt = new AdamW(net.parameters(), AdamW.options().lr(0.01));
        x = Tensor.randn(gen, 100, 1);
        y = x.mul(3f).add(1f).add(Tensor.randn(gen, 100, 1).mul(0.1f));
        classify = false;
      }
      default -> throw new IllegalArgumentException("TrainingStepBench: unknown model " + model);
    }
    // A fixed number of steps before JMH's timed warm-up: until C2 has compiled them the Vector API
    // loops run boxed and one step takes up to half a second, so a short time-based warm-up can end
    // after a handful of calls, before full speed (about 17 calls of a product, DESIGN.md).
    for (int i = 0; i < WARM_STEPS; i++) step();
  }

  /** Steps run in setUp, before JMH's own warm-up iterations. */
  static final int WARM_STEPS = 25;

  private static Sequential mlp(Generator gen, int in, int h1, int h2, int out) {
    return new Sequential(new Linear(in, h1, gen), new ReLU(), new Linear(h1, h2, gen), new ReLU(),
        new Linear(h2, out, gen));
  }

  @Benchmark
  public float step() {
    opt.zeroGrad();
    Tensor out = net.forward(x);
    Tensor loss = classify ? Loss.crossEntropy(out, y) : Loss.mseLoss(out, y);
    loss.backward();
    opt.step();
    return loss.item();
  }

  /** The model as the report prints it. */
  public static String label(String model) {
    return switch (model) {
      case "mlp85" -> "100-500-500-2 b10";
      case "mlp784" -> "784-1024²-10 b256";
      case "linreg" -> "1-1 b100";
      default -> model;
    };
  }

  /** FLOPs of one step's products: 2·b·in·out per layer forward, as much for dW, and for dX except on layer 1. */
  public static double flops(String model) {
    return switch (model) {
      case "mlp85" -> mlpFlops(10, 100, 500, 500, 2);
      case "mlp784" -> mlpFlops(256, 784, 1024, 1024, 10);
      case "linreg" -> mlpFlops(100, 1, 1);
      default -> throw new IllegalArgumentException(model);
    };
  }

  private static double mlpFlops(int batch, int... widths) {
    double f = 0;
    for (int l = 0; l + 1 < widths.length; l++) {
      double prod = 2.0 * batch * widths[l] * widths[l + 1];
      f += prod * (l == 0 ? 2 : 3);
    }
    return f;
  }
}
