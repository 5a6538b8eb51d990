package dev.downhill.autograd;

import dev.downhill.kernels.Gemm;
import java.util.Arrays;

/**
 * Matrix products on {@link Gemm}: {@code matmul} with torch.matmul's rules for 1-D, 2-D and batched
 * operands, and the fused {@code linear}. Each backward calls the transposed variants of the same
 * kernel ({@code dA = dC·Bᵀ}, {@code dB = Aᵀ·dC}), so no transpose is ever materialised.
 */
final class MatMul {
  private MatMul() {}

  /**
   * torch.matmul: 1-D·1-D is a dot product (a scalar); a 1-D left operand is a row {@code [1, k]} and a
   * 1-D right one a column {@code [k, 1]}, the added dimension removed from the result; otherwise the
   * last two dimensions multiply and the ones before are batch dimensions, broadcast against each other.
   */
  static Tensor matmul(Tensor a, Tensor b) {
    if (a.shape.length == 0 || b.shape.length == 0) {
      throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got "
          + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
    }
    int[] as = a.shape.length == 1 ? new int[] {1, a.shape[0]} : a.shape;
    int[] bs = b.shape.length == 1 ? new int[] {b.shape[0], 1} : b.shape;
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    if (bs[bs.length - 2] != k) {
      throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
          + ": inner dimensions " + k + " and " + bs[bs.length - 2] + " differ");
    }
    int[] aBatch = Arrays.copyOf(as, as.length - 2);
    int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
    int[] batch;
    try {
      batch = Shapes.broadcast("matmul", aBatch, bBatch);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
          + ": batch dimensions " + Shapes.str(aBatch) + " and " + Shapes.str(bBatch) + " do not broadcast");
    }
    Batches plan = new Batches(batch, aBatch, bBatch);
    int[] outShape = outShape(a.shape, b.shape, batch, m, n);

    // Leading dimensions of at least 1 keep the kernel's argument checks happy for empty matrices.
    int ldk = Math.max(1, k);
    int ldn = Math.max(1, n);
    float[] out = new float[plan.count * m * n];
    long t0 = OpTrace.start();
    if (bBatch.length == 0) {
      // A shared right operand: every batch of A is one tall matrix [batches·m, k].
      Gemm.sgemm(false, false, plan.count * m, n, k, 1f, a.array(), a.offset, ldk,
          b.array(), b.offset, ldn, 0f, out, 0, ldn);
    } else {
      for (int i = 0; i < plan.count; i++) {
        Gemm.sgemm(false, false, m, n, k, 1f, a.array(), a.offset + plan.a[i] * m * k, ldk,
            b.array(), b.offset + plan.b[i] * k * n, ldn, 0f, out, i * m * n, ldn);
      }
    }
    double flops = 2.0 * plan.count * m * n * k;
    double bytes = 4.0 * plan.count * ((double) m * k + (double) k * n + (double) m * n);
    OpTrace.stop("matmul", t0, flops, bytes);
    Tensor y = Tensor.wrap(out, outShape);
    if (!Autograd.recording(a, b)) {
      return y;
    }
    int aSize = a.size;
    int bSize = b.size;
    Node node = new Node("matmul", outShape, a, b) {
      // dA = dC·Bᵀ, dB = Aᵀ·dC, per batch; a broadcast operand sums over the batches that shared it.
      void backward(float[] g, Grads grads) {
        Tensor sa = saved(0);
        Tensor sb = saved(1);
        if (grads.needs(0)) {
          float[] ga = new float[aSize];
          if (bBatch.length == 0) {
            Gemm.sgemm(false, true, plan.count * m, k, n, 1f, g, 0, ldn, sb.array(), sb.offset, ldn, 0f, ga, 0, ldk);
          } else {
            for (int i = 0; i < plan.count; i++) {
              Gemm.sgemm(false, true, m, k, n, 1f, g, i * m * n, ldn, sb.array(), sb.offset + plan.b[i] * k * n, ldn,
                  plan.firstA[i] ? 0f : 1f, ga, plan.a[i] * m * k, ldk);
            }
          }
          grads.add(0, ga);
        }
        if (grads.needs(1)) {
          float[] gb = new float[bSize];
          if (bBatch.length == 0) {
            Gemm.sgemm(true, false, k, n, plan.count * m, 1f, sa.array(), sa.offset, ldk, g, 0, ldn, 0f, gb, 0, ldn);
          } else {
            for (int i = 0; i < plan.count; i++) {
              Gemm.sgemm(true, false, k, n, m, 1f, sa.array(), sa.offset + plan.a[i] * m * k, ldk, g, i * m * n, ldn,
                  plan.firstB[i] ? 0f : 1f, gb, plan.b[i] * k * n, ldn);
            }
          }
          grads.add(1, gb);
        }
      }
    };
    node.save(a, b);
    node.cost(2 * flops, 2 * bytes);
    return y.madeBy(node);
  }

  /** The result's shape: the batch, then m and n, without the dimensions a 1-D operand gained. */
  private static int[] outShape(int[] a, int[] b, int[] batch, int m, int n) {
    int[] s = Arrays.copyOf(batch, batch.length + (a.length > 1 ? 1 : 0) + (b.length > 1 ? 1 : 0));
    int at = batch.length;
    if (a.length > 1) s[at++] = m;
    if (b.length > 1) s[at] = n;
    return s;
  }

  /**
   * For each batch of the (broadcast) result, which matrix of A and of B it uses, in row-major order
   * of the result's batch index; a broadcast operand's matrices repeat.
   */
  private static final class Batches {
    final int count;
    final int[] a;
    final int[] b;
    /** Whether result batch i is the first to use its matrix of A (of B): its gradient starts there. */
    final boolean[] firstA;
    final boolean[] firstB;

    Batches(int[] batch, int[] aBatch, int[] bBatch) {
      count = Shapes.size(batch);
      a = new int[count];
      b = new int[count];
      firstA = new boolean[count];
      firstB = new boolean[count];
      boolean[] seenA = new boolean[Shapes.size(aBatch)];
      boolean[] seenB = new boolean[Shapes.size(bBatch)];
      int[] index = new int[batch.length];
      for (int i = 0; i < count; i++) {
        a[i] = flat(index, aBatch);
        b[i] = flat(index, bBatch);
        firstA[i] = !seenA[a[i]];
        firstB[i] = !seenB[b[i]];
        seenA[a[i]] = true;
        seenB[b[i]] = true;
        for (int d = batch.length - 1; d >= 0 && ++index[d] == batch[d]; d--) index[d] = 0;
      }
    }

    /** The flat index into {@code shape}'s batches of a result batch index, right-aligned, size-1 dims fixed at 0. */
    private static int flat(int[] index, int[] shape) {
      int f = 0;
      int shift = index.length - shape.length;
      for (int d = 0; d < shape.length; d++) f = f * shape[d] + (shape[d] == 1 ? 0 : index[d + shift]);
      return f;
    }
  }

  /**
   * {@code x·Wᵀ + bias}, nn.Linear's layout: x is {@code [..., in]}, W is {@code [out, in]}, bias is
   * {@code [out]} or null; the result is {@code [..., out]}. The bias is added in the kernel's epilogue.
   */
  static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    if (x.shape.length == 0 || w.shape.length != 2) {
      throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape) + " and weight " + Shapes.str(w.shape)
          + ": need an input of at least 1 dimension and a weight [out, in]");
    }
    int in = x.shape[x.shape.length - 1];
    int outF = w.shape[0];
    if (w.shape[1] != in) {
      throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape) + ", weight " + Shapes.str(w.shape)
          + ": input features " + in + " and the weight's " + w.shape[1] + " differ");
    }
    if (bias != null && (bias.shape.length != 1 || bias.shape[0] != outF)) {
      throw new IllegalArgumentException("linear: weight " + Shapes.str(w.shape) + ", bias " + Shapes.str(bias.shape)
          + ": the bias must be [" + outF + "]");
    }
    int rows = x.size / Math.max(1, in);
    if (in == 0) rows = Shapes.prod(x.shape, 0, x.shape.length - 1);
    int[] outShape = x.shape.clone();
    outShape[outShape.length - 1] = outF;
    float[] out = new float[rows * outF];
    long t0 = OpTrace.start();
    Gemm.sgemm(false, true, rows, outF, in, 1f, x.array(), x.offset, Math.max(1, in), w.array(), w.offset,
        Math.max(1, in), 0f, out, 0, Math.max(1, outF), bias == null ? null : bias.array(),
        bias == null ? 0 : bias.offset);
    double flops = 2.0 * rows * outF * in; // the bias add is not counted, as torch.profiler counts addmm
    double bytes = 4.0 * ((double) rows * in + (double) outF * in + (double) rows * outF);
    OpTrace.stop("linear", t0, flops, bytes);
    Tensor y = Tensor.wrap(out, outShape);
    boolean recording = bias == null ? Autograd.recording(x, w) : Autograd.recording(x, w, bias);
    if (!recording) {
      return y;
    }
    int r = rows;
    Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
    Node node = new Node("linear", outShape, inputs) {
      // dx = g·W, dW = gᵀ·x, dbias = Σ_rows g
      void backward(float[] g, Grads grads) {
        Tensor sx = saved(0);
        Tensor sw = saved(1);
        int ld = Math.max(1, in);
        int ldo = Math.max(1, outF);
        if (grads.needs(0)) {
          float[] gx = new float[r * in];
          Gemm.sgemm(false, false, r, in, outF, 1f, g, 0, ldo, sw.array(), sw.offset, ld, 0f, gx, 0, ld);
          grads.add(0, gx);
        }
        if (grads.needs(1)) {
          float[] gw = grads.buffer(1, outF * in, false); // beta = 0 writes every element
          Gemm.sgemm(true, false, outF, in, r, 1f, g, 0, ldo, sx.array(), sx.offset, ld, 0f, gw, 0, ld);
          grads.add(1, gw);
        }
        if (inputs.length == 3 && grads.needs(2)) {
          grads.add(2, Broadcast.reduceTo(g, new int[] {r, outF}, new int[] {outF}));
        }
      }
    };
    node.save(x, w);
    node.cost(2 * flops, 2 * bytes);
    return y.madeBy(node);
  }
}
