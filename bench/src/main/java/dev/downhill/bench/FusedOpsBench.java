package dev.downhill.bench;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.FusedAttention;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.kernels.Parallel;
import dev.downhill.nn.Attention;
import dev.downhill.nn.LayerNorm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused ops beside the composed forms they replace, forward and backward through the public API
 * at tiny-gpt's shapes (batch 64, 8 tokens, 64 channels, 4 heads of 16):
 *
 * <ul>
 *   <li>{@code attentionFused}: {@code FusedAttention.packed} on the [64, 8, 192] projection, as
 *       {@code CausalSelfAttention} runs it; {@code attentionComposed}: split, view, transpose,
 *       {@code Attention.scaledDotProductAttentionMath} (batched matmul, maskedFill, softmax,
 *       batched matmul), transpose and reshape, as the module ran before.</li>
 *   <li>{@code layerNormFused} / {@code layerNormComposed}: {@code LayerNorm.layerNorm} against its
 *       nine-op composition on [64, 8, 64] with weight and bias.</li>
 * </ul>
 *
 * Each invocation is one forward and its backward (a sum's gradient of ones would let the
 * backward skip work, so a fixed random upstream gradient is used).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class FusedOpsBench {
  static final int B = 64, T = 8, C = 64, H = 4, D = C / H;

  @Param({"1", "2"})
  int threads;

  Tensor qkv, gAttn, x, w, b, gLn;

  @Setup
  public void setup() {
    Parallel.setThreads(threads);
    Generator gen = new Generator(1);
    qkv = Tensor.randn(gen, B, T, 3 * C).requiresGrad(true);
    gAttn = Tensor.randn(gen, B, T, C);
    x = Tensor.randn(gen, B, T, C).requiresGrad(true);
    w = Tensor.randn(gen, C).requiresGrad(true);
    b = Tensor.randn(gen, C).requiresGrad(true);
    gLn = Tensor.randn(gen, B, T, C);
  }

  @Benchmark
  public Tensor attentionFused() {
    Autograd.zeroGrad(List.of(qkv), true);
    FusedAttention.packed(qkv, H, true).backward(gAttn);
    return qkv.grad();
  }

  @Benchmark
  public Tensor attentionComposed() {
    Autograd.zeroGrad(List.of(qkv), true);
    Tensor[] parts = qkv.split(C, 2);
    Tensor q = parts[0].reshape(B, T, H, D).transpose(1, 2);
    Tensor k = parts[1].reshape(B, T, H, D).transpose(1, 2);
    Tensor v = parts[2].reshape(B, T, H, D).transpose(1, 2);
    Attention.scaledDotProductAttentionMath(q, k, v, null, true).transpose(1, 2).reshape(B, T, C).backward(gAttn);
    return qkv.grad();
  }

  @Benchmark
  public Tensor layerNormFused() {
    Autograd.zeroGrad(List.of(x, w, b), true);
    LayerNorm.layerNorm(x, new int[] {C}, w, b, 1e-5).backward(gLn);
    return x.grad();
  }

  @Benchmark
  public Tensor layerNormComposed() {
    Autograd.zeroGrad(List.of(x, w, b), true);
    LayerNorm.layerNormComposed(x, new int[] {C}, w, b, 1e-5).backward(gLn);
    return x.grad();
  }
}
