package dev.downhill.bench;

import dev.downhill.autograd.OpTrace;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Gemm;
import dev.downhill.kernels.Parallel;
import dev.downhill.loss.Loss;
import dev.downhill.profiler.Profiler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a training step of {@link TrainingStepBench} spends its time: the medians of forward (with
 * zeroGrad and the loss), backward and the optimizer step over a few thousand steps, then every
 * matrix product the step does, timed alone through {@link Gemm#sgemm} on the same shapes and
 * transposes. Not JMH: the parts of one step cannot be timed apart there. Run as
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar split mlp85 [threads]};
 * {@code bench/step_split.py} adds NumPy's time for each product beside it.
 *
 * <p>Lines: {@code part <name> <median µs>}, then {@code op <position> <median µs> <name>} for each op
 * of the step where it runs ({@link #opsInStep}), then {@code product <m>x<k>x<n> <op> <median µs>},
 * then {@code products <sum of the product medians µs>}.
 */
final class StepSplit {
  private StepSplit() {}

  /** The products of one step of an MLP: per layer forward x·Wᵀ (NT), dX = g·W (NN, not for layer 1), dW = gᵀ·x (TN). */
  static List<String[]> products(String model) {
    int[] w = switch (model) {
      case "mlp85" -> new int[] {10, 100, 500, 500, 2};
      case "mlp784" -> new int[] {256, 784, 1024, 1024, 10};
      case "linreg" -> new int[] {100, 1, 1};
      default -> throw new IllegalArgumentException("StepSplit: unknown model '" + model + "' (mlp85, mlp784, linreg)");
    };
    int b = w[0];
    List<String[]> out = new ArrayList<>();
    for (int l = 1; l + 1 < w.length; l++) {
      int in = w[l];
      int o = w[l + 1];
      out.add(new String[] {b + "x" + in + "x" + o, "NT"});
      if (l > 1) out.add(new String[] {b + "x" + o + "x" + in, "NN"});
      out.add(new String[] {o + "x" + b + "x" + in, "TN"});
    }
    return out;
  }

  static int main(String[] args) {
    if (args.length > 0 && args[0].equals("gemm")) {
      // gemm THREADS SHAPE/OP...: just those products, e.g. "gemm 1 10x100x500/NT 500x10x100/TN".
      Parallel.setThreads(Integer.parseInt(args[1]));
      for (int r = 0; r < 3; r++) {
        for (int i = 2; i < args.length; i++) {
          String[] so = args[i].split("/");
          double[] t = productTimes(so[0], so[1]);
          System.out.printf("product %s %s %.2f (min %.2f)%n", so[0], so[1], t[0], t[1]);
        }
      }
      return 0;
    }
    String model = args.length > 0 ? args[0] : "mlp85";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    TrainingStepBench bench = new TrainingStepBench();
    bench.model = model;
    bench.threads = threads;
    bench.setUp();
    int steps = model.equals("mlp784") ? 300 : 4000;
    for (int i = 0; i < steps; i++) bench.step(); // warm-up: C2 compiles the whole step
    long[] fwd = new long[steps];
    long[] bwd = new long[steps];
    long[] opt = new long[steps];
    long[] all = new long[steps];
    for (int i = 0; i < steps; i++) {
      if (++bench.sinceReset > TrainingStepBench.RESET_STEPS) bench.build();
      int batch = (int) (bench.steps++ % TrainingStepBench.BATCHES);
      long t0 = System.nanoTime();
      bench.opt.zeroGrad();
      Tensor out = bench.net.forward(bench.xs[batch]);
      Tensor loss = bench.classify ? Loss.crossEntropy(out, bench.ys[batch]) : Loss.mseLoss(out, bench.ys[batch]);
      long t1 = System.nanoTime();
      loss.backward();
      long t2 = System.nanoTime();
      bench.opt.step();
      loss.item();
      long t3 = System.nanoTime();
      fwd[i] = t1 - t0;
      bwd[i] = t2 - t1;
      opt[i] = t3 - t2;
      all[i] = t3 - t0;
    }
    System.out.printf("part forward %.2f%n", median(fwd));
    System.out.printf("part backward %.2f%n", median(bwd));
    System.out.printf("part optimizer %.2f%n", median(opt));
    System.out.printf("part step %.2f%n", median(all));
    System.out.printf("mean step %.2f%n", Arrays.stream(all).average().orElse(0) / 1e3);
    opsInStep(bench, steps);
    double sum = 0;
    for (String[] p : products(model)) {
      double us = productMicros(p[0], p[1]);
      sum += us;
      System.out.printf("product %s %s %.2f%n", p[0], p[1], us);
    }
    System.out.printf("products %.2f%n", sum);
    if (Boolean.getBoolean("split.profile")) {
      // The engine's own per-op table over 500 more steps (-Dsplit.profile=true), for the step's other ops.
      try (Profiler prof = Profiler.profile(new Profiler.Peak(178, 20))) {
        for (int i = 0; i < 500; i++) bench.step();
        System.out.println(prof.table());
      }
    }
    return 0;
  }

  /**
   * Each op of the step where it runs, in the step: the median over {@code steps} steps of the time
   * of the op at each position of the step (the engine's {@link OpTrace} hook: forward ops, each
   * node's backward, the optimizer step), as lines {@code op <position> <median µs> <name>}. Beside
   * the products timed alone below, this shows what running inside the step costs each product (its
   * operands out of cache, or in the other core's).
   */
  static void opsInStep(TrainingStepBench bench, int steps) {
    int most = 64;
    String[] names = new String[most];
    long[][] took = new long[most][steps];
    int[] at = new int[1];
    int[] step = new int[1];
    OpTrace.Listener before = OpTrace.setListener((name, start, end, flops, bytes) -> {
      int i = at[0]++;
      if (i < most) {
        names[i] = name;
        took[i][step[0]] = end - start;
      }
    });
    try {
      for (step[0] = 0; step[0] < steps; step[0]++) {
        at[0] = 0;
        bench.step();
      }
    } finally {
      OpTrace.setListener(before);
    }
    for (int i = 0; i < Math.min(at[0], most); i++) {
      System.out.printf("op %d %.2f %s%n", i, median(took[i]), names[i]);
    }
  }

  /** The median time of one call, from batches of calls of at least 50 µs, for about 0.3 s. */
  static double productMicros(String shape, String op) {
    return productTimes(shape, op)[0];
  }

  /** The median and the least time of one call (µs), from batches of calls of at least 50 µs, for about 0.3 s. */
  static double[] productTimes(String shape, String op) {
    Runnable call = product(shape, op);
    // Warm up for 0.3 s as well as 200 calls: a 6 µs product's 200 calls end before C2 has compiled
    // its kernels, and the first windows then timed the interpreter's boxed vectors.
    warmUp(call, 300_000_000L);
    long[] all = batchTimes(call, 300_000_000L, 9);
    return new double[] {median(all), Arrays.stream(all).min().orElse(0) / 1e3};
  }

  /** One call of the product {@code shape} ({@link GemmBench.Problem}'s shapes) with transposes {@code op}, on fixed operands. */
  static Runnable product(String shape, String op) {
    GemmBench.Problem p = GemmBench.Problem.of(shape, op);
    return () -> Gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a, 0, p.lda, p.b, 0, p.ldb, 0f, p.c, 0, p.n);
  }

  /** Calls {@code call} at least 200 times and for at least {@code nanos}. */
  static void warmUp(Runnable call, long nanos) {
    long end = System.nanoTime() + nanos;
    for (int i = 0; i < 200 || System.nanoTime() < end; i++) call.run();
  }

  /**
   * The time of one call (ns) in each batch of calls of at least 50 µs, batch after batch for
   * {@code nanos} and at least {@code least} batches.
   */
  static long[] batchTimes(Runnable call, long nanos, int least) {
    long t = System.nanoTime();
    call.run();
    long one = Math.max(1, System.nanoTime() - t);
    int reps = (int) Math.max(1, 50_000 / one);
    List<Long> times = new ArrayList<>();
    long deadline = System.nanoTime() + nanos;
    while (times.size() < least || System.nanoTime() < deadline) {
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) call.run();
      times.add((System.nanoTime() - t0) / reps);
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e3;
  }
}
