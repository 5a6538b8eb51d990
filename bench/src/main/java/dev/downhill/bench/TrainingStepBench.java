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
  Tensor[] xs;
  Tensor[] ys;
  boolean classify;
  /** Steps since the model and optimizer were last built. */
  int sinceReset;
  /** Steps run in all: which batch of the pool the next step takes. */
  long steps;

  /** Batches of data cycled through, one per step. */
  static final int BATCHES = 16;
  /**
   * The model and optimizer are built afresh (from the same seed) every this many steps, inside the
   * timed loop: its cost, a few microseconds a step once spread, is charged to the engine.
   *
   * <p>Why: trained on one fixed batch, the 8.5 MLP reaches a loss of exactly 0 after about 1000
   * steps, its gradients vanish, and about 14 % of Adam's second moments become subnormal; Adam.step
   * then took 1.35 ms instead of 0.23 (the whole step 2.8 against 0.75 ms), so the figure depended
   * on how long JMH had run. With 16 batches of random inputs and labels and a rebuild every 500
   * steps, every step is one of the first 500 of an ordinary run. {@code bench/peers.py} does the
   * same on the PyTorch side.
   */
  static final int RESET_STEPS = 500;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    Generator data = new Generator(1);
    xs = new Tensor[BATCHES];
    ys = new Tensor[BATCHES];
    for (int i = 0; i < BATCHES; i++) {
      switch (model) {
        case "mlp85" -> {
          xs[i] = Tensor.randn(data, 10, 100);
          ys[i] = Tensor.randint(data, 0, 2, 10);
        }
        case "mlp784" -> {
          xs[i] = Tensor.randn(data, 256, 784);
          ys[i] = Tensor.randint(data, 0, 10, 256);
        }
        case "linreg" -> {
          xs[i] = Tensor.randn(data, 100, 1);
          ys[i] = xs[i].mul(3f).add(1f).add(Tensor.randn(data, 100, 1).mul(0.1f));
        }
        default -> throw new IllegalArgumentException("TrainingStepBench: unknown model " + model);
      }
    }
    classify = !model.equals("linreg");
    build();
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

  /** The model and its optimizer, freshly initialised from seed 0. */
  void build() {
    Generator gen = new Generator(0);
    switch (model) {
      case "mlp85" -> {
        net = mlp(gen, 100, 500, 500, 2);
        opt = new Adam(net.parameters(), Adam.options().lr(1e-3));
      }
      case "mlp784" -> {
        net = mlp(gen, 784, 1024, 1024, 10);
        opt = new AdamW(net.parameters(), AdamW.options().lr(1e-3));
      }
      default -> {
        net = new Linear(1, 1, gen);
        opt = new AdamW(net.parameters(), AdamW.options().lr(0.01));
      }
    }
    sinceReset = 0;
  }

  @Benchmark
  public float step() {
    if (++sinceReset > RESET_STEPS) build();
    int batch = (int) (steps++ % BATCHES);
    return step(xs[batch], ys[batch]);
  }

  /** One training step on one batch: what a user's loop body does. */
  float step(Tensor x, Tensor y) {
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
