package dev.downhill.bench;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import dev.downhill.profiler.Profiler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the profiler's hooks cost: Chapter 8.5's training step (MLP 100-500-500-2, batch 10, Adam,
 * cross-entropy) with the hooks compiled in but no profiler open ({@code hooksOff}), with the
 * hooks folded away by {@code -Ddownhill.profiler=false} ({@code hooksCompiledOut}, its own fork),
 * and with a profiler recording every op ({@code profiling}). Run the three side by side:
 * {@code java -jar bench/target/benchmarks.jar ProfilerOverheadBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ProfilerOverheadBench {
  Sequential model;
  Adam opt;
  Tensor x;
  Tensor y;

  @Setup
  public void setup() {
    Generator gen = new Generator(0);
    model = new Sequential(new Linear(100, 500, gen), new ReLU(), new Linear(500, 500, gen), new ReLU(),
        new Linear(500, 2, gen));
    opt = new Adam(model.parameters(), Adam.options().lr(1e-3));
    x = Tensor.randn(gen, 10, 100);
    y = Tensor.randint(gen, 0, 2, 10);
  }

  float step() {
    opt.zeroGrad();
    Tensor loss = Loss.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  }

  @Benchmark
  public float hooksOff() {
    return step();
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Ddownhill.profiler=false"})
  public float hooksCompiledOut() {
    return step();
  }

  @Benchmark
  public float profiling() {
    try (Profiler p = Profiler.profile(new Profiler.Peak(1, 1))) {
      return step();
    }
  }
}
