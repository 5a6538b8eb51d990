package dev.downhill.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused optimizer updates: one pass reads a parameter, its gradient and the optimizer's state and
 * writes the new parameter and state, element by element, following torch.optim's update rules
 * (single-tensor implementation, PyTorch 1.13). {@link ScalarOptimizerKernels} is the bitwise twin.
 *
 * <p>All ranges are {@code n} floats from their offsets. The parameter {@code p} and the state
 * ranges are read and overwritten; the gradient {@code g} is only read. Ranges must not overlap
 * partially. Per-step scalars (bias corrections, the decayed learning rate, 1 − beta) are computed by the
 * caller in double, as PyTorch computes them in Python, and passed rounded to float.
 *
 * <p>Elements are independent, so ranges of more than {@link #GRAIN} elements are split over
 * {@link Parallel#forRange} (a parameter group's pass, {@link #adamGroup}, into the same part of
 * every tensor per thread); every element sees the same arithmetic, so the result is bit-identical
 * for any thread count. Memory traffic per element, the bound on speed: SGD with momentum reads
 * p, g, buf and writes p, buf (20 bytes); Adam/AdamW read p, g, m, v and write p, m, v (28 bytes).
 */
public final class OptimizerKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Smallest piece handed to a thread: 64 Ki floats (256 KiB per array), well above task overhead. */
  public static final int GRAIN = 1 << 16;

  private OptimizerKernels() {}

  /**
   * SGD step. With d = gradSign·g (+ weightDecay·p when weightDecay ≠ 0): when momentum ≠ 0,
   * buf = d on the first step (undampened, as PyTorch) and buf = momentum·buf + keep·d after
   * (keep = 1 − dampening, computed in double by the caller); then d = d + momentum·buf (nesterov)
   * or d = buf. Finally p = p − lr·d. {@code buf} is unused (may be null) when momentum is 0.
   * {@code gradSign} is −1 for maximize, else 1.
   */
  public static void sgd(float[] p, int po, float[] g, int go, float[] buf, int bo, int n,
      float gradSign, float weightDecay, float momentum, float keep, boolean nesterov, boolean firstStep, float lr) {
    Parallel.forRange(n, GRAIN, (from, to) -> sgdRange(p, po + from, g, go + from, buf, bo + from, to - from,
        gradSign, weightDecay, momentum, keep, nesterov, firstStep, lr));
  }

  private static void sgdRange(float[] p, int po, float[] g, int go, float[] buf, int bo, int n,
      float gradSign, float weightDecay, float momentum, float keep, boolean nesterov, boolean firstStep, float lr) {
    float nlr = -lr;
    boolean decay = weightDecay != 0f;
    boolean mom = momentum != 0f;
    FloatVector wdv = FloatVector.broadcast(S, weightDecay);
    FloatVector keepv = FloatVector.broadcast(S, keep);
    FloatVector momv = FloatVector.broadcast(S, momentum);
    FloatVector nlrv = FloatVector.broadcast(S, nlr);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector x = FloatVector.fromArray(S, p, po + i);
      FloatVector d = FloatVector.fromArray(S, g, go + i).mul(gradSign);
      if (decay) d = x.fma(wdv, d);
      if (mom) {
        FloatVector b = firstStep ? d : d.fma(keepv, FloatVector.fromArray(S, buf, bo + i).mul(momv));
        b.intoArray(buf, bo + i);
        d = nesterov ? b.fma(momv, d) : b;
      }
      d.fma(nlrv, x).intoArray(p, po + i);
    }
    ScalarOptimizerKernels.sgd(p, po + i, g, go + i, buf, bo + i, n - i,
        gradSign, weightDecay, momentum, keep, nesterov, firstStep, lr);
  }

  /**
   * Adam / AdamW step. x = decay·p (AdamW: decay = 1 − lr·weightDecay; Adam: 1); d = gradSign·g
   * (+ l2·x, Adam's weight decay, when l2 ≠ 0); m = beta1·m + c1·d; v = beta2·v + c2·d², where
   * c1 = 1 − beta1 and c2 = 1 − beta2 are rounded from double (as PyTorch's {@code alpha=1 - beta1});
   * with {@code vmax} non-null (AMSGrad) vmax = max(vmax, v) replaces v below;
   * p = x − stepSize·m / (√v / bc2Sqrt + eps), where stepSize = lr / (1 − beta1^t) and bc2Sqrt =
   * √(1 − beta2^t): eps is added after the square root of the bias-corrected second moment.
   */
  public static void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
      float[] vmax, int xo, int n, float gradSign, float decay, float l2, float beta1, float c1, float beta2, float c2,
      float stepSize, float bc2Sqrt, float eps) {
    Parallel.forRange(n, GRAIN, (from, to) -> adamRange(p, po + from, g, go + from, m, mo + from, v, vo + from,
        vmax, xo + from, to - from, gradSign, decay, l2, beta1, c1, beta2, c2, stepSize, bc2Sqrt, eps));
  }

  /**
   * {@link #adam} over a whole parameter group in one pass: tensor i is {@code p[i][po[i] ...]} with
   * gradient {@code g[i][go[i] ...]}, state {@code m[i]}, {@code v[i]} (and {@code vmax[i]} when
   * {@code vmax} is non-null) from 0, {@code n[i]} elements, and its own {@code stepSize[i]} and
   * {@code bc2Sqrt[i]} (step counts may differ between tensors); the other scalars are the group's.
   * Elements are independent: the bits are those of {@link #adam} on each.
   *
   * <p>Threads: with more than {@link #GRAIN} elements in all, the group is cut into
   * T = min(threads, ⌈total / GRAIN⌉) parts, part t being elements {@code [n·t/T, n·(t+1)/T)} of
   * every tensor (ends rounded down to whole vectors), and {@link Parallel#forRange} hands part t to
   * thread t, in one hand-off. So a group of a 250 000- and a 50 000-element weight keeps two threads
   * equally busy (a call per tensor left the smaller one to one thread), and on two threads each
   * thread updates about the same rows of each weight [out, in] that the matrix products of
   * {@link Gemm} give it: the forward's x·Wᵀ and a small batch's weight gradient gᵀ·x split W's rows,
   * and a few-row input gradient g·W splits its k blocks, which are W's rows. Those products then
   * find the rows in their own core's cache. Laid end to end and cut in two instead, the 8.5 MLP's
   * 500×500 weight was cut at row 161, and its input gradient g·W on two threads took 114 µs in the
   * training step against 52 µs for the same product alone (issue 16; {@code GemmSplitBench}
   * reproduces the effect).
   */
  public static void adamGroup(float[][] p, int[] po, float[][] g, int[] go, float[][] m, float[][] v, float[][] vmax,
      int[] n, float gradSign, float decay, float l2, float beta1, float c1, float beta2, float c2, float[] stepSize,
      float[] bc2Sqrt, float eps) {
    int k = n.length;
    long total = 0;
    for (int i = 0; i < k; i++) total += n[i];
    int parts = (int) Math.min(Parallel.threads(), (total + GRAIN - 1) / GRAIN);
    if (parts <= 1) {
      for (int i = 0; i < k; i++) {
        adamRange(p[i], po[i], g[i], go[i], m[i], 0, v[i], 0, vmax == null ? null : vmax[i], 0, n[i], gradSign, decay,
            l2, beta1, c1, beta2, c2, stepSize[i], bc2Sqrt[i], eps);
      }
      return;
    }
    Parallel.forRange(parts, 1, (from, to) -> {
      // One part per range, except when forRange runs serially (the pool busy, or a nested call).
      for (int t = from; t < to; t++) {
        for (int i = 0; i < k; i++) {
          int lo = part(n[i], t, parts);
          int hi = part(n[i], t + 1, parts);
          adamRange(p[i], po[i] + lo, g[i], go[i] + lo, m[i], lo, v[i], lo, vmax == null ? null : vmax[i], lo,
              hi - lo, gradSign, decay, l2, beta1, c1, beta2, c2, stepSize[i], bc2Sqrt[i], eps);
        }
      }
    });
  }

  /** Start of part {@code t} of {@code parts} of {@code n} elements: {@code n·t/parts} rounded down to whole vectors, n for the last. */
  static int part(int n, int t, int parts) {
    if (t >= parts) return n;
    return (int) ((long) n * t / parts) / L * L;
  }

  private static void adamRange(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
      float[] vmax, int xo, int n, float gradSign, float decay, float l2, float beta1, float c1, float beta2, float c2,
      float stepSize, float bc2Sqrt, float eps) {
    boolean useL2 = l2 != 0f;
    boolean ams = vmax != null;
    FloatVector l2v = FloatVector.broadcast(S, l2);
    FloatVector c1v = FloatVector.broadcast(S, c1);
    // √v / bc2Sqrt without a division (see divideByConstant): y = 1/bc2Sqrt rounded once.
    FloatVector yv = FloatVector.broadcast(S, 1f / bc2Sqrt);
    FloatVector negB = FloatVector.broadcast(S, -bc2Sqrt);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector x = FloatVector.fromArray(S, p, po + i).mul(decay);
      FloatVector d = FloatVector.fromArray(S, g, go + i).mul(gradSign);
      if (useL2) d = x.fma(l2v, d);
      FloatVector mi = d.fma(c1v, FloatVector.fromArray(S, m, mo + i).mul(beta1));
      FloatVector vi = d.mul(c2).fma(d, FloatVector.fromArray(S, v, vo + i).mul(beta2));
      mi.intoArray(m, mo + i);
      vi.intoArray(v, vo + i);
      if (ams) {
        vi = FloatVector.fromArray(S, vmax, xo + i).max(vi);
        vi.intoArray(vmax, xo + i);
      }
      FloatVector denom = divideByConstant(vi.sqrt(), yv, negB).add(eps);
      x.sub(mi.mul(stepSize).div(denom)).intoArray(p, po + i);
    }
    ScalarOptimizerKernels.adam(p, po + i, g, go + i, m, mo + i, v, vo + i, vmax, xo + i, n - i,
        gradSign, decay, l2, beta1, c1, beta2, c2, stepSize, bc2Sqrt, eps);
  }

  /**
   * {@code a / b} for a constant {@code b}, rounded exactly as the division rounds it, with two
   * FMAs and a multiplication in place of the division (Markstein's correction step):
   * q₀ = a·y with y = 1/b rounded, r = a − b·q₀ (exact, by the FMA), q = q₀ + r·y. Adam's update is
   * bound by the divider, not by memory: a square root and two divisions per element took
   * 0.75 ns/element in L1 and from memory alike; this one is the cheaper of the two divisions.
   * Used only where a ≥ 0 is a square root (never subnormal: √ of the least float is 3.7e-23) and
   * 0 &lt; b ≤ 1, so neither q nor r can overflow or underflow; an infinite a, for which r would be
   * NaN, gives q₀ = ∞ as the division does. The scalar twin divides, and the tests compare the two
   * bit for bit; {@code OptimizerKernelsTest} also checks all 2²³ significands of a for drawn b.
   */
  static FloatVector divideByConstant(FloatVector a, FloatVector y, FloatVector negB) {
    FloatVector q0 = a.mul(y);
    FloatVector q = q0.fma(negB, a).fma(y, q0);
    return q.blend(q0, a.eq(Float.POSITIVE_INFINITY));
  }

  /**
   * RMSprop step. d = gradSign·g (+ weightDecay·p); sq = alpha·sq + c·d² (c = 1 − alpha from double); centered
   * ({@code gavg} non-null): gavg = alpha·gavg + c·d and avg = √(sq − gavg²), else
   * avg = √sq; avg += eps. With {@code buf} non-null (momentum > 0): buf = momentum·buf + d/avg,
   * p = p − lr·buf; else p = p − lr·d/avg.
   */
  public static void rmsprop(float[] p, int po, float[] g, int go, float[] sq, int so, float[] gavg, int ao,
      float[] buf, int bo, int n, float gradSign, float weightDecay, float alpha, float c, float eps, float momentum, float lr) {
    Parallel.forRange(n, GRAIN, (from, to) -> rmspropRange(p, po + from, g, go + from, sq, so + from, gavg, ao + from,
        buf, bo + from, to - from, gradSign, weightDecay, alpha, c, eps, momentum, lr));
  }

  private static void rmspropRange(float[] p, int po, float[] g, int go, float[] sq, int so, float[] gavg, int ao,
      float[] buf, int bo, int n, float gradSign, float weightDecay, float alpha, float c, float eps, float momentum, float lr) {
    boolean decay = weightDecay != 0f;
    boolean centered = gavg != null;
    boolean mom = buf != null;
    FloatVector wdv = FloatVector.broadcast(S, weightDecay);
    FloatVector cv = FloatVector.broadcast(S, c);
    FloatVector nlrv = FloatVector.broadcast(S, -lr);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector x = FloatVector.fromArray(S, p, po + i);
      FloatVector d = FloatVector.fromArray(S, g, go + i).mul(gradSign);
      if (decay) d = x.fma(wdv, d);
      FloatVector s = d.mul(c).fma(d, FloatVector.fromArray(S, sq, so + i).mul(alpha));
      s.intoArray(sq, so + i);
      if (centered) {
        FloatVector a = d.fma(cv, FloatVector.fromArray(S, gavg, ao + i).mul(alpha));
        a.intoArray(gavg, ao + i);
        s = a.neg().fma(a, s);
      }
      FloatVector avg = s.sqrt().add(eps);
      if (mom) {
        FloatVector b = FloatVector.fromArray(S, buf, bo + i).mul(momentum).add(d.div(avg));
        b.intoArray(buf, bo + i);
        b.fma(nlrv, x).intoArray(p, po + i);
      } else {
        x.sub(d.mul(lr).div(avg)).intoArray(p, po + i);
      }
    }
    ScalarOptimizerKernels.rmsprop(p, po + i, g, go + i, sq, so + i, gavg, ao + i, buf, bo + i, n - i,
        gradSign, weightDecay, alpha, c, eps, momentum, lr);
  }

  /**
   * Adagrad step. d = gradSign·g (+ weightDecay·p); sum = sum + d²; p = p − clr·d / (√sum + eps),
   * where clr = lr / (1 + (t − 1)·lrDecay) is computed by the caller.
   */
  public static void adagrad(float[] p, int po, float[] g, int go, float[] sum, int so, int n,
      float gradSign, float weightDecay, float eps, float clr) {
    Parallel.forRange(n, GRAIN, (from, to) -> adagradRange(p, po + from, g, go + from, sum, so + from, to - from,
        gradSign, weightDecay, eps, clr));
  }

  private static void adagradRange(float[] p, int po, float[] g, int go, float[] sum, int so, int n,
      float gradSign, float weightDecay, float eps, float clr) {
    boolean decay = weightDecay != 0f;
    FloatVector wdv = FloatVector.broadcast(S, weightDecay);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector x = FloatVector.fromArray(S, p, po + i);
      FloatVector d = FloatVector.fromArray(S, g, go + i).mul(gradSign);
      if (decay) d = x.fma(wdv, d);
      FloatVector s = d.fma(d, FloatVector.fromArray(S, sum, so + i));
      s.intoArray(sum, so + i);
      x.sub(d.mul(clr).div(s.sqrt().add(eps))).intoArray(p, po + i);
    }
    ScalarOptimizerKernels.adagrad(p, po + i, g, go + i, sum, so + i, n - i, gradSign, weightDecay, eps, clr);
  }
}
