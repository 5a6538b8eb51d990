package dev.downhill.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision general matrix multiply on the Vector API:
 * {@code C = alpha·op(A)·op(B) + beta·C (+ bias)}, row-major, {@link ScalarGemm} is the plain
 * triple-loop twin.
 *
 * <p>Shapes: {@code op(A)} is {@code [m, k]}, {@code op(B)} is {@code [k, n]}, C is {@code [m, n]}.
 * Element {@code (i, p)} of {@code op(A)} is {@code a[ao + i·lda + p]}, or {@code a[ao + p·lda + i]}
 * when {@code transA} (A is then stored {@code [k, m]}); likewise for B. C's element {@code (i, j)}
 * is {@code c[co + i·ldc + j]}. Only those {@code m·n} elements of C are written. With
 * {@code beta == 0} the old C is never read, so NaN in it does not leak, as in BLAS. The optional
 * {@code bias} (length n, or null) is added to every row after the product: the epilogue of a
 * linear layer.
 *
 * <p>How: the classic blocking. A {@code KC × NC} block of op(B) is packed into panels of {@link #NR}
 * columns, an {@code MC × KC} block of op(A) into panels of {@link #MR} rows, and the micro-kernel keeps
 * a {@code MR × NR} = 6×16 tile of C (12 vectors) in registers while it streams one panel of each with
 * {@code fma}: 12 accumulators, two B vectors and the broadcast element of A fill the 16 AVX2
 * registers, and each step does 12 FMAs for 8 loads (4×16, with 8 accumulators, does 8 for 6; it
 * measured 1–9 % slower side by side, same bits). With AVX-512's 32 registers the tile is 12×32
 ({@link #kernel12}: 24 accumulators, 24 FMAs for 14 loads), with 10- and 4-row variants for a last
 * panel of 10 or 4 rows ({@link #hasRowKernel}). The row panel of A is the outer
 * loop and B's panels the inner one: the A panel ({@code MR·KC} floats, 12 KiB) stays in L1 while the
 * packed B block streams past it from L2/L3, and C is written tile after tile along its rows, which
 * the hardware prefetchers follow. KC is large (k is split into as few even blocks of at most 512 as
 * it takes) so that C is read back and rewritten few times. Side by side on this machine, that order
 * measured 9–16 % faster on one thread at 1024² and 2048² than the textbook one (B panel in L1, A
 * block in L2, C walked down its columns), and 4 % slower at 256×784·1024.
 *
 * <p>Small products (few rows) skip the packing of B when B is not transposed: op(B)'s rows are
 * already contiguous, and packing would cost about as much as the arithmetic. With B transposed
 * (nn.Linear's x·Wᵀ) and few rows, deep or narrow products run as dot products of contiguous rows
 * ({@link GemmDot}), nothing packed either. A is read in place, not packed, for those few-row
 * products and for any product at most {@link #IN_PLACE_A_MAX_N} columns wide ({@link #inPlaceA}):
 * packing costs about 0.5 ns per element of A, most of the time of a narrow product.
 *
 * <p>Threads: the threads of {@link Parallel} take whole column ranges of C (whole row ranges when C
 * is too narrow or k is thin, {@link #THIN_K}), from {@link #PARALLEL_MIN_WORK} multiply-adds up,
 * and each computes the entire product for its part with its own packed blocks. One exception: a
 * few-rows product with B not transposed (x·W, a small batch's input gradient g·W) is split by its k
 * blocks ({@link #directSplitK}), so that each thread reads the rows of W it wrote in the optimizer
 * step; each block is then summed apart and added to C in block order, as one thread adds them.
 * Either way every element of C sees the same sequence of operations whatever the split, so
 * results are bit-identical for any thread count.
 */
public final class Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /**
   * Rows of the register tile: 12 with AVX-512's 32 vector registers, 6 with AVX2's 16
   * ({@code -Ddownhill.gemm.mr=6} or {@code 12} overrides, for side-by-side runs). With 12 on the
   * Xeon, one thread, same bits: 1024³ 123 → 143 GFLOP/s, 256×1024·1024 106 → 123; two threads
   * 157 → 201 and 117 → 166 (each B panel is streamed from L2 once per 12 rows instead of 6).
   */
  public static final int MR = tileRows(Integer.getInteger("downhill.gemm.mr", FloatVector.SPECIES_PREFERRED.length() >= 16 ? 12 : 6));
  /** The first MR lanes of a vector (all of them where a vector has fewer): one row of a packed A panel. */
  private static final VectorMask<Float> PANEL_ROWS = S.indexInRange(0, Math.min(MR, L));
  /** Columns of the register tile: two vectors. */
  public static final int NR = 2 * L;
  static final int KC = 512;
  /** Rows of A packed at a time: a multiple of MR, so that only the last block can have a partial panel. */
  static final int MC = 120;
  /**
   * Columns of op(B) packed at a time. The packed {@code KC × NC} block streams past the A panel from
   * L2 where L2 is large: on the 2 MiB-L2 Xeon (one thread) 1024³ ran at 91 GFLOP/s with NC = 2048 (a
   * 4 MiB block, streamed from L3), 123 with 512 (1 MiB) and 114 with 256; 256×1024·1024 at 86, 106
   * and 77. On the Zen 3 (512 KiB L2, a fast L3), NC = 2048 had measured 9–16 % faster than blocks
   * held in L2. So: a block of half the L2 when that is 1 MiB or more (the size read from Linux's
   * sysfs), else 2048.
   */
  static final int NC = blockColumns(l2Bytes());
  /** Up to this many rows of C, B (not transposed) is read in place instead of packed (at most MC). */
  static final int DIRECT_MAX_ROWS = 32;
  /**
   * Up to this many rows of C, a transposed B (and A as stored) goes to {@link GemmDot}'s dot products
   * when k is at least {@link #DOT_MIN_K} or C is narrower than one panel. Same run, one thread, least
   * of three 0.3 s windows (medians on this shared machine were up to 2× the least): 10×500·500ᵀ
   * 110 → 57 µs, 10×500·2ᵀ 11.7 → 1.0 µs; but 10×100·500ᵀ 20.5 → 22 µs, where the per-element
   * reduction weighs against only 7 FMAs, so shallow products keep the packed path.
   */
  static final int DOT_MAX_ROWS = 16;
  /** See {@link #DOT_MAX_ROWS}. */
  static final int DOT_MIN_K = 256;
  /**
   * k-block depth of that path: its B panel is read in place, {@code DIRECT_KC} rows of one cache line
   * each, and must stay in L1 beside the A panels (at 10×500·500, depth 512 ran at 19 GFLOP/s, 256 at 30).
   */
  static final int DIRECT_KC = 256;
  /** The most floats of scratch C that {@link #directSplitK} uses (4 MiB); wider products split by columns. */
  static final int SPLIT_K_MAX_FLOATS = 1 << 20;
  /** Rows of a B panel packed from a transposed B at a time: 64 rows of 16 floats are 4 KiB, well inside L1. */
  static final int TRANSPOSE_SLICE = 64;
  /**
   * Below this many multiply-adds (64³; about 3 µs of work on one core) the product runs on the
   * calling thread alone. It was 128³ (2²¹), from JMH runs of products alone; but a training step
   * calls its kernels back to back, so the pool's workers are still spinning when the next product
   * comes, and the hand-off costs about a microsecond. On the Xeon, two threads, least of two runs:
   * 10×100·500ᵀ 16.8 → 10.0 µs, 500×10·100 (Aᵀ·B) 16.0 → 10.0, 64³ 5.1 → 3.5; the 8.5 MLP's step
   * (100-500-500-2, batch 10) 524–581 → 408–517 µs in three alternating pairs. A worker that has
   * parked is no worse than serial: the caller runs every range it has not claimed.
   *
   * <p>Not while the JVM is cold, though: for its first {@link #COLD_CALLS} products the bar is
   * {@link #COLD_MIN_WORK}. Until C2 has compiled the kernels they run boxed, and splitting the
   * small products then took the second core from the compiler: a fresh {@code run ch8-overfit}
   * took 4150 ms (median of 5, alternating) with 64³ from the first call, against 3620 ms with 128³.
   * For the same reason the cold JVM uses fewer kernels: the 12-row tile for 10- and 4-row panels
   * too ({@link #hasRowKernel}) and an element-by-element merge of edge tiles, each with the bits of
   * the warm path (a kernel not yet compiled runs its vectors boxed, one such phase per kernel). With
   * both, a fresh ch8-overfit measured 4063 ms against 4312 ms for the build before this session's
   * GEMM changes (medians of 10, alternating), where it had been 4100–4150 without them.
   */
  static final long PARALLEL_MIN_WORK = 1L << 18;
  /** The bar of {@link #PARALLEL_MIN_WORK} for the JVM's first {@link #COLD_CALLS} products: 128³. */
  static final long COLD_MIN_WORK = 1L << 21;
  /**
   * Products before the lower bar applies: a training step of a 3-layer MLP makes 8 or 9.
   * {@code -Ddownhill.gemm.coldCalls=N} changes it (0: warm from the first product), for benchmarks
   * of the steady state: the switch runs kernels C2 has not compiled yet, so the products right
   * after it run boxed again for a while (a fresh JVM's 10×500·500: about 0.4 s in all, calls 8192 to
   * 8600 taking 9 ms down to 0.6 ms against 0.1 ms warm), and JMH iterations that fall on it time that.
   */
  static final int COLD_CALLS = coldCalls(System.getProperty("downhill.gemm.coldCalls"));
  /** Products so far, up to {@link #COLD_CALLS} (a racy count: being off by a few calls does not matter). */
  private static int calls;
  /**
   * Up to this depth a product is mostly the writing of C, and two threads split its rows rather
   * than its columns. A column split puts a boundary inside every row, and a row of C rarely ends on
   * a cache line (a float[]'s elements start 16 bytes into the object), so both threads write one
   * line of every row: at 500×10·500 (a batch-10 weight gradient, Aᵀ·B) two threads took 56 µs, as
   * long as one, and 29 µs with the rows split, same run; products with k = 256 measured alike
   * either way.
   */
  static final int THIN_K = 64;

  /**
   * Each thread's packing buffers, kept between calls (about 4.3 MiB at most per thread, for a full
   * {@code KC × NC} block of B) so that a product allocates nothing once warm.
   */
  private static final class Scratch {
    final float[] packedA = new float[MC * KC];
    float[] packedB = new float[0];
    /** One register tile, for edge tiles that do not fill MR × NR. */
    final float[] tile = new float[MR * NR];
    /** One packed panel of B, for the partial last panel of an unpacked B. */
    final float[] edgeB = new float[KC * NR];
    /** The later k blocks of {@link #directSplitK}, each an m × n C of its own (grown as needed). */
    float[] splitK = new float[0];
    /** The gather offsets of {@link #gatherRows} for leading dimension {@code gatherLd}. */
    final int[] gatherRows = new int[L];
    int gatherLd = -1;
  }

  /** Written only by the micro-kernel's never-taken branch; see the comment there. */
  private static int neverTaken;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Gemm() {}

  /** {@code C = alpha·op(A)·op(B) + beta·C}; see the class comment for the layout. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
    sgemm(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, null, 0);
  }

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C + bias}, the bias ({@code bias[biasOff, biasOff + n)}, or null for
   * none) added to every row of C. Arguments are checked up front; a bad one throws
   * {@link IllegalArgumentException} naming it, before anything is written.
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    checkArguments(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bias, biasOff);
    if (m == 0 || n == 0) return;
    if (k == 0 || alpha == 0) {
      scaleOnly(m, n, beta, c, co, ldc, bias, biasOff);
      return;
    }
    long work = (long) m * n * k;
    boolean cold = calls < COLD_CALLS;
    if (cold) calls++;
    int threads = work < (cold ? COLD_MIN_WORK : PARALLEL_MIN_WORK) ? 1 : Parallel.threads();
    if (SMALL_PATHS && GemmDot.AVAILABLE && transB && !transA && m <= DOT_MAX_ROWS && k >= L
        && (k >= DOT_MIN_K || n < NR)) {
      // Few rows times a transposed B (x·Wᵀ): dot products of contiguous rows, nothing packed.
      if (threads == 1) {
        GemmDot.run(m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff);
      } else {
        Parallel.forRange(n, GemmDot.NB, (j0, j1) ->
            GemmDot.run(m, j0, j1, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff));
      }
      return;
    }
    if (!transB && m <= DIRECT_MAX_ROWS) {
      // Few rows: each B panel would serve only a few register tiles, so packing it would cost
      // about as much as the arithmetic; read B in place, each thread its own columns. (With more
      // rows the strided reads lose: at 256×784·784×1024 the packed path was twice as fast.)
      int kStep = kStep(k, DIRECT_KC);
      if (threads == 1) {
        direct(transA, m, 0, n, k, 0, k, kStep, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff);
      } else if (splitsK(m, n, k, threads)) {
        directSplitK(transA, m, n, k, kStep, (k + kStep - 1) / kStep, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc,
            bias, biasOff);
      } else {
        Parallel.forRange(n, NR, (j0, j1) -> direct(transA, m, j0, j1, k, 0, k, kStep, alpha, a, ao, lda, b, bo, ldb,
            beta, c, co, ldc, bias, biasOff));
      }
      return;
    }
    // Each thread computes whole columns of C (or whole rows, when C is too narrow to split or k is
    // thin, see THIN_K), the entire product for them, with its own packed blocks: one hand-off per
    // call and no waiting between k blocks. Packing twice what two threads share costs little: A is m·k floats against
    // m·k·n/2 multiply-adds per thread. (Sharing one packed block of B, with a barrier at every k
    // block, measured slower at 256×784·1024: 84 against 101 GFLOP/s on two threads.)
    if (threads == 1) {
      blocked(transA, transB, 0, m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff);
    } else if (n >= threads * 4 * NR && !(k <= THIN_K && m >= threads * 4 * MR)) {
      Parallel.forRange(n, NR, (j0, j1) ->
          blocked(transA, transB, 0, m, j0, j1, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff));
    } else {
      Parallel.forRange(m, MR, (i0, i1) ->
          blocked(transA, transB, i0, i1, 0, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, bias, biasOff));
    }
  }

  /**
   * Rows {@code [i0, i1)} × columns {@code [j0, j1)} of C, the whole product for them, on the calling
   * thread with its own packed blocks.
   */
  private static void blocked(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    Scratch scratch = SCRATCH.get();
    int kStep = kStep(k, KC);
    boolean inPlace = inPlaceA(transA, j1 - j0);
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      for (int pc = 0; pc < k; pc += kStep) {
        int kc = Math.min(kStep, k - pc);
        float betaHere = pc == 0 ? beta : 1f;
        float[] biasHere = pc + kc == k ? bias : null;
        int nPadded = (nc + NR - 1) / NR * NR;
        if (scratch.packedB.length < kc * nPadded) scratch.packedB = new float[KC * nPadded];
        packB(transB, b, bo, ldb, pc, kc, jc, nc, scratch.packedB);
        macro(transA, inPlace, i0, i1, nc, jc, pc, kc, alpha, betaHere, a, ao, lda, scratch.packedB, c, co, ldc,
            biasHere, biasOff);
      }
    }
  }

  /**
   * One {@code kc}-deep step of the product on a packed block of B (columns {@code jc + [0, nc)} of C):
   * rows {@code [i0, i1)} × all {@code nc} block columns, on the calling thread. With {@code inPlace}
   * ({@link #inPlaceA}) the panels of A are read where they lie; only a last partial panel without
   * an in-place kernel is packed.
   */
  private static void macro(boolean transA, boolean inPlace, int i0, int i1, int nc, int jc, int pc, int kc,
      float alpha, float beta, float[] a, int ao, int lda, float[] packedB, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    Scratch scratch = SCRATCH.get();
    float[] packedA = scratch.packedA;
    float[] tile = scratch.tile;
    boolean plain = isPlain(alpha, beta, bias);
    for (int ic = i0; ic < i1; ic += MC) {
      int mc = Math.min(MC, i1 - ic);
      int tail = mc % MR;
      if (!inPlace) {
        packA(transA, a, ao, lda, ic, mc, pc, kc, packedA);
      } else if (tail != 0 && !hasInPlaceKernel(tail)) {
        packA(transA, a, ao, lda, ic + mc - tail, tail, pc, kc, packedA); // the one packed panel, at 0
      }
      // Row panel outside, column panels inside: the A panel (MR·kc floats) stays in L1 while the
      // packed B block streams past it, and C is written row-tile after row-tile along its rows.
      for (int ir = 0; ir < mc; ir += MR) {
        int mr = Math.min(MR, mc - ir);
        int cRow = co + (ic + ir) * ldc + jc;
        boolean here = inPlace && hasInPlaceKernel(mr);
        int aAt = here ? ao + (ic + ir) * lda + pc : inPlace ? 0 : ir * kc;
        for (int jr = 0; jr < nc; jr += NR) {
          int nr = Math.min(NR, nc - jr);
          int bAt = jr * kc; // packed panels: NR columns after NR columns, each kc rows deep
          int biasAt = biasOff + jc + jr;
          if (here) {
            if (nr == NR && plain) {
              kernelInPlaceA(mr, kc, a, aAt, lda, packedB, bAt, c, cRow + jr, ldc);
            } else {
              kernelInPlaceA(mr, kc, a, aAt, lda, packedB, bAt, tile, 0, NR);
              merge(tile, mr, nr, alpha, beta, c, cRow + jr, ldc, bias, biasAt);
            }
            continue;
          }
          boolean rows = hasRowKernel(mr);
          if (rows && nr == NR && plain) {
            kernelRows(mr, kc, packedA, aAt, packedB, bAt, c, cRow + jr, ldc);
          } else {
            if (rows) kernelRows(mr, kc, packedA, aAt, packedB, bAt, tile, 0, NR);
            else kernel(kc, packedA, aAt, packedB, bAt, tile, 0, NR);
            merge(tile, mr, nr, alpha, beta, c, cRow + jr, ldc, bias, biasAt);
          }
        }
      }
    }
  }

  static int coldCalls(String value) {
    if (value == null) return 8192;
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("downhill.gemm.coldCalls: expected a whole number >= 0, got '" + value + "'");
  }

  static int tileRows(int mr) {
    if (mr != 6 && mr != 12) {
      throw new IllegalArgumentException("downhill.gemm.mr: expected 6 or 12, got " + mr);
    }
    return mr;
  }

  static int blockColumns(long l2) {
    if (l2 < (1 << 20)) {
      return 2048;
    }
    return (int) Math.max(NR, l2 / 2 / (4L * KC) / NR * NR);
  }

  /** The size of this CPU's (first) level-2 data cache from sysfs, or -1 where that cannot be read. */
  static long l2Bytes() {
    for (int i = 0; i < 8; i++) {
      Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i);
      try {
        if (!Files.readString(dir.resolve("level")).trim().equals("2")
            || Files.readString(dir.resolve("type")).trim().equals("Instruction")) {
          continue;
        }
        String size = Files.readString(dir.resolve("size")).trim();
        long unit = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1 << 20 : 1;
        return Long.parseLong(size.replaceAll("[KM]$", "")) * unit;
      } catch (IOException | RuntimeException e) {
        // not Linux, or no such entry: try the next one
      }
    }
    return -1;
  }

  /** The depth of the k blocks: {@code k} split evenly into as few blocks of at most {@code most} as it takes. */
  static int kStep(int k, int most) {
    int blocks = (k + most - 1) / most;
    return (k + blocks - 1) / blocks;
  }

  /**
   * All {@code m} rows × columns {@code [j0, j1)} of C with B (not transposed) read in place, and A
   * too where {@link #inPlaceA} allows (any width here: A is at most 32 rows, reused by every panel):
   * the k blocks {@code [pcFrom, pcTo)} of depth {@code kStep} of a product of depth {@code k}, the
   * first with {@code beta}, the later ones added to C, and the bias with the block that ends at k.
   */
  private static void direct(boolean transA, int m, int j0, int j1, int k, int pcFrom, int pcTo, int kStep,
      float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    Scratch scratch = SCRATCH.get();
    float[] packedA = scratch.packedA;
    float[] tile = scratch.tile;
    float[] edgeB = scratch.edgeB;
    boolean inPlace = inPlaceA(transA, 0);
    int tail = m % MR;
    for (int pc = pcFrom; pc < pcTo; pc += kStep) {
      int kc = Math.min(kStep, k - pc);
      float betaHere = pc == pcFrom ? beta : 1f;
      float[] biasHere = pc + kc == k ? bias : null;
      boolean plain = isPlain(alpha, betaHere, biasHere);
      if (!inPlace) {
        packA(transA, a, ao, lda, 0, m, pc, kc, packedA);
      } else if (tail != 0 && !hasInPlaceKernel(tail)) {
        packA(transA, a, ao, lda, m - tail, tail, pc, kc, packedA); // the one packed panel, at 0
      }
      for (int jr = j0; jr < j1; jr += NR) {
        int nr = Math.min(NR, j1 - jr);
        int bAt = bo + pc * ldb + jr;
        if (nr < NR) {
          // The last, partial panel: the kernel would read past the row's end, so pack just it.
          packB(false, b, bo, ldb, pc, kc, jr, nr, edgeB);
        }
        for (int ir = 0; ir < m; ir += MR) {
          int mr = Math.min(MR, m - ir);
          int cAt = co + ir * ldc + jr;
          int biasAt = biasOff + jr;
          if (inPlace && hasInPlaceKernel(mr)) {
            int aAt = ao + ir * lda + pc;
            if (nr < NR) {
              kernelInPlaceA(mr, kc, a, aAt, lda, edgeB, 0, tile, 0, NR);
              merge(tile, mr, nr, alpha, betaHere, c, cAt, ldc, biasHere, biasAt);
            } else if (plain) {
              kernelStridedInPlaceA(mr, kc, a, aAt, lda, b, bAt, ldb, c, cAt, ldc);
            } else {
              kernelStridedInPlaceA(mr, kc, a, aAt, lda, b, bAt, ldb, tile, 0, NR);
              merge(tile, mr, nr, alpha, betaHere, c, cAt, ldc, biasHere, biasAt);
            }
            continue;
          }
          int aAt = inPlace ? 0 : ir * kc;
          boolean rows = hasRowKernel(mr);
          if (nr < NR) {
            if (rows) kernelRows(mr, kc, packedA, aAt, edgeB, 0, tile, 0, NR);
            else kernel(kc, packedA, aAt, edgeB, 0, tile, 0, NR);
            merge(tile, mr, nr, alpha, betaHere, c, cAt, ldc, biasHere, biasAt);
          } else if (rows && plain) {
            kernelStridedRows(mr, kc, packedA, aAt, b, bAt, ldb, c, cAt, ldc);
          } else {
            if (rows) kernelStridedRows(mr, kc, packedA, aAt, b, bAt, ldb, tile, 0, NR);
            else kernelStrided(kc, packedA, aAt, b, bAt, ldb, tile, 0, NR);
            merge(tile, mr, nr, alpha, betaHere, c, cAt, ldc, biasHere, biasAt);
          }
        }
      }
    }
  }

  /**
   * Whether a few-rows product with B not transposed, on {@code threads} threads, splits k
   * ({@link #directSplitK}) rather than columns: when k spans threads to 2·threads blocks of
   * {@link #DIRECT_KC} (so every thread gets a block, and none more than two) and the scratch C of
   * the later blocks is at most {@link #SPLIT_K_MAX_FLOATS}. With fewer blocks than threads the
   * column split keeps every thread busy (on 8 threads, a k of 500 would have used 2 of them).
   */
  static boolean splitsK(int m, int n, int k, int threads) {
    int kStep = kStep(k, DIRECT_KC);
    int blocks = (k + kStep - 1) / kStep;
    return splitKOn && threads > 1 && blocks >= threads && blocks <= 2 * threads
        && (long) (blocks - 1) * m * n <= SPLIT_K_MAX_FLOATS;
  }

  /** Off: {@link #splitsK} is never true (the column split instead), for side-by-side runs ({@code GemmSplitBench}). */
  private static boolean splitKOn = !"false".equals(System.getProperty("downhill.gemm.splitK"));

  /** Turns the k split of {@link #splitsK} on or off; returns the old setting. */
  static boolean setSplitKForTests(boolean on) {
    boolean old = splitKOn;
    splitKOn = on;
    return old;
  }

  /**
   * {@link #direct} on several threads by k blocks rather than by columns: thread t computes the
   * blocks of its range (of the {@code blocks} blocks of depth {@code kStep}), the first range into C
   * as {@link #direct} on one thread would, every later block into a scratch C of its own from
   * zero; then the caller adds those to C block after block, with the epilogue the one-thread path
   * applies to each block ({@code C = alpha·sum + C}, the bias with the last). Every element of C
   * sees the same operations in the same order as on one thread, so the bits are the same.
   *
   * <p>Why not columns: for x·W with few rows of x, each thread then reads the rows of W in its k
   * range, the same rows (about, on two threads) that it wrote in the optimizer step and read in the
   * forward's x·Wᵀ; split by columns, it read half of every row, much of it from the other core's
   * cache. On the 8.5 MLP's input gradient g·W (10×500·500×500, two threads): 114 µs in the training
   * step, 52 for the same product alone; after a rewrite of W split by rows as Adam's, split by k
   * 54 µs and by columns 125 ({@code GemmSplitBench} measures the same; issue 16). With an odd
   * number of blocks the threads' shares differ by a block.
   */
  private static void directSplitK(boolean transA, int m, int n, int k, int kStep, int blocks, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc, float[] bias,
      int biasOff) {
    Scratch scratch = SCRATCH.get();
    int size = m * n;
    // Block q ≥ 1 has the slot at (q − 1)·size, [m][n] (unused for the blocks of the first range,
    // which go straight into C: how many those are is Parallel's choice).
    if (scratch.splitK.length < (blocks - 1) * size) scratch.splitK = new float[(blocks - 1) * size];
    float[] partial = scratch.splitK;
    // Where the first range ended; written by whichever thread runs it, read here after forRange
    // returns (its completion count orders the write before the read).
    int[] firstRangeEnd = new int[1];
    Parallel.forRange(blocks, 1, (q0, q1) -> {
      if (q0 == 0) {
        firstRangeEnd[0] = q1;
        // As one thread's direct: the first block with beta, the others added, the bias (if any)
        // only with the block that ends at k, so with none unless this range holds every block.
        direct(transA, m, 0, n, k, 0, Math.min(k, q1 * kStep), kStep, alpha, a, ao, lda, b, bo, ldb, beta, c, co,
            ldc, bias, biasOff);
        return;
      }
      for (int q = q0; q < q1; q++) {
        int pc = q * kStep; // block q alone, summed from zero: alpha 1, beta 0, no bias
        direct(transA, m, 0, n, k, pc, Math.min(k, pc + kStep), kStep, 1f, a, ao, lda, b, bo, ldb, 0f, partial,
            (q - 1) * size, n, null, 0);
      }
    });
    // The later blocks in order, each merged as one thread's direct merges a block after the first
    // (beta = 1: old + alpha·s rounded once by the fma), the bias with the last block.
    for (int q = firstRangeEnd[0]; q < blocks; q++) {
      mergeSums(partial, (q - 1) * size, n, m, n, alpha, 1f, c, co, ldc, q == blocks - 1 ? bias : null, biasOff);
    }
  }

  /**
   * The register tile on packed panels: {@code C[MR × NR] = Σ_p a[p, 0..MR) ⊗ b[p, 0..NR)}, A laid out
   * {@code [kc][MR]} from {@code ao}, B {@code [kc][NR]} from {@code bo}. The sums overwrite C; scaling,
   * old C and bias are applied by {@link #mergeTile} from a scratch tile when there are any.
   *
   * <p>How C2 compiles it decides the speed, so the loop is written for C2:
   * <ul>
   *   <li>It calls nothing. The epilogue used to be a method taking the accumulators as arguments;
   *       in about one JVM in four that ran Aᵀ·B, C2 compiled the kernel without inlining it, and
   *       the product ran at half speed for the JVM's life ({@code -XX:+PrintCompilation}: the
   *       epilogue compiled on its own, the kernel never recompiled). A vector passed to a method
   *       that is not inlined is boxed.
   *   <li>It is unrolled by two by hand: C2 does not unroll a body this large, and a compare, branch
   *       and index update per step cost front-end slots that the FMAs need.
   *   <li>It counts on A's index, so that it is a counted loop and A's bounds checks move in front of
   *       it; B's index is a second induction variable, whose two checks stay in the loop. (With 4×16,
   *       B's index could be 4·ap plus a constant; with 6 rows it is not a whole multiple.)
   *   <li>A branch that is never taken separates the two steps; see the comment at it.
   * </ul>
   */
  static void kernel6(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    int aEnd = ao + (kc & ~1) * 6;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 6, bp += 2 * NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      // Never true: ap indexes a, so it is not negative (C2 cannot prove that, so the test stays).
      // The branch splits the loop body in two, so C2 cannot hoist the second step's loads above
      // the first step's FMAs: with them hoisted, more vectors are live than the 16 registers, and
      // accumulators spill to the stack (with 4×16: 42 against 65 GFLOP/s, side by side). Its body
      // must neither leave the loop nor call anything: with `break`, about one JVM in fifteen compiled
      // the exit by boxing an accumulator on every iteration and ran at half speed for its whole
      // life; with `throw`, every JVM did.
      if (ap == Integer.MIN_VALUE) neverTaken++;
      b0 = FloatVector.fromArray(S, b, bp + NR);
      b1 = FloatVector.fromArray(S, b, bp + NR + L);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 10]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 11]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    if ((kc & 1) != 0) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
    c10.intoArray(c, co + ldc);
    c11.intoArray(c, co + ldc + L);
    c20.intoArray(c, co + 2 * ldc);
    c21.intoArray(c, co + 2 * ldc + L);
    c30.intoArray(c, co + 3 * ldc);
    c31.intoArray(c, co + 3 * ldc + L);
    c40.intoArray(c, co + 4 * ldc);
    c41.intoArray(c, co + 4 * ldc + L);
    c50.intoArray(c, co + 5 * ldc);
    c51.intoArray(c, co + 5 * ldc + L);
  }

  /**
   * {@link #kernel} reading B in place, rows {@code bs} floats apart (the unpacked path). Kept separate
   * because with a stride that is not a constant C2 keeps a bounds check per load of B in the loop;
   * those checks already keep the two steps apart, so no extra branch is needed. The loop still counts
   * on A's index so that A's checks leave it (6–15 % faster on the chapters' shapes than counting on p
   * with a {@code p + 1 < kc} test, which C2 does not treat as a counted loop).
   */
  static void kernelStrided6(int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    int aEnd = ao + (kc & ~1) * 6;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 6, bp += 2 * bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      b0 = FloatVector.fromArray(S, b, bp + bs);
      b1 = FloatVector.fromArray(S, b, bp + bs + L);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 10]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 11]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    if ((kc & 1) != 0) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
    c10.intoArray(c, co + ldc);
    c11.intoArray(c, co + ldc + L);
    c20.intoArray(c, co + 2 * ldc);
    c21.intoArray(c, co + 2 * ldc + L);
    c30.intoArray(c, co + 3 * ldc);
    c31.intoArray(c, co + 3 * ldc + L);
    c40.intoArray(c, co + 4 * ldc);
    c41.intoArray(c, co + 4 * ldc + L);
    c50.intoArray(c, co + 5 * ldc);
    c51.intoArray(c, co + 5 * ldc + L);
  }

  /**
   * The register tile on packed panels: {@code C[MR × NR] = Σ_p a[p, 0..MR) ⊗ b[p, 0..NR)}, A laid out
   * {@code [kc][MR]} from {@code ao}, B {@code [kc][NR]} from {@code bo}: {@link #kernel12} with
   * AVX-512's 32 registers, {@link #kernel6} with AVX2's 16. Both give every element of C the same
   * sequence of fused multiply-adds, so the bits do not depend on which one runs.
   */
  static void kernel(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    if (MR == 12) {
      kernel12(kc, a, ao, b, bo, c, co, ldc);
    } else {
      kernel6(kc, a, ao, b, bo, c, co, ldc);
    }
  }

  /**
   * Whether a panel whose first {@code mr} rows are real has a kernel that computes just those rows
   * (and may write them straight to C): a whole panel, or 10 or 4 rows of a 12-row one.
   */
  static boolean hasRowKernel(int mr) {
    return mr == MR || (MR == 12 && (mr == 10 || mr == 4) && calls >= COLD_CALLS);
  }

  /** The number of products seen so far, for tests that run the cold and the warm paths side by side. */
  static void setCallsForTests(int n) {
    calls = n;
  }

  /** {@link #kernel} for a panel of which the first {@code mr} rows are real: only those rows where {@link #hasRowKernel}. */
  static void kernelRows(int mr, int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    if (MR == 12 && mr == 10) {
      kernelRows10(kc, a, ao, b, bo, c, co, ldc);
    } else if (MR == 12 && mr == 4) {
      kernelRows4(kc, a, ao, b, bo, c, co, ldc);
    } else {
      kernel(kc, a, ao, b, bo, c, co, ldc);
    }
  }

  /** {@link #kernelStrided} for a panel of which the first {@code mr} rows are real, as {@link #kernelRows}. */
  static void kernelStridedRows(int mr, int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    if (MR == 12 && mr == 10) {
      kernelStridedRows10(kc, a, ao, b, bo, bs, c, co, ldc);
    } else if (MR == 12 && mr == 4) {
      kernelStridedRows4(kc, a, ao, b, bo, bs, c, co, ldc);
    } else {
      kernelStrided(kc, a, ao, b, bo, bs, c, co, ldc);
    }
  }

  /** {@link #kernel} reading B in place, rows {@code bs} floats apart: {@link #kernelStrided12} or {@link #kernelStrided6}. */
  static void kernelStrided(int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    if (MR == 12) {
      kernelStrided12(kc, a, ao, b, bo, bs, c, co, ldc);
    } else {
      kernelStrided6(kc, a, ao, b, bo, bs, c, co, ldc);
    }
  }

  /**
   * The 12×(2 vectors) tile for AVX-512: 24 accumulators, two B vectors and a broadcast in 32
   * registers, 24 FMAs per step for 14 loads (6×32: 12 for 8). Written as {@link #kernel6} is, with
   * the same never-taken branch between its two steps.
   */
  static void kernel12(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + 10]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + 11]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
      if (ap == Integer.MIN_VALUE) neverTaken++; // see kernel6
      b0 = FloatVector.fromArray(S, b, bp + NR);
      b1 = FloatVector.fromArray(S, b, bp + NR + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 16]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 17]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 18]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 19]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 20]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 21]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + 22]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + 23]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
    }
    if ((kc & 1) != 0) {
        FloatVector b0 = FloatVector.fromArray(S, b, bp);
        FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
        FloatVector x = FloatVector.broadcast(S, a[ap]);
        c0_0 = x.fma(b0, c0_0);
        c0_1 = x.fma(b1, c0_1);
        x = FloatVector.broadcast(S, a[ap + 1]);
        c1_0 = x.fma(b0, c1_0);
        c1_1 = x.fma(b1, c1_1);
        x = FloatVector.broadcast(S, a[ap + 2]);
        c2_0 = x.fma(b0, c2_0);
        c2_1 = x.fma(b1, c2_1);
        x = FloatVector.broadcast(S, a[ap + 3]);
        c3_0 = x.fma(b0, c3_0);
        c3_1 = x.fma(b1, c3_1);
        x = FloatVector.broadcast(S, a[ap + 4]);
        c4_0 = x.fma(b0, c4_0);
        c4_1 = x.fma(b1, c4_1);
        x = FloatVector.broadcast(S, a[ap + 5]);
        c5_0 = x.fma(b0, c5_0);
        c5_1 = x.fma(b1, c5_1);
        x = FloatVector.broadcast(S, a[ap + 6]);
        c6_0 = x.fma(b0, c6_0);
        c6_1 = x.fma(b1, c6_1);
        x = FloatVector.broadcast(S, a[ap + 7]);
        c7_0 = x.fma(b0, c7_0);
        c7_1 = x.fma(b1, c7_1);
        x = FloatVector.broadcast(S, a[ap + 8]);
        c8_0 = x.fma(b0, c8_0);
        c8_1 = x.fma(b1, c8_1);
        x = FloatVector.broadcast(S, a[ap + 9]);
        c9_0 = x.fma(b0, c9_0);
        c9_1 = x.fma(b1, c9_1);
        x = FloatVector.broadcast(S, a[ap + 10]);
        c10_0 = x.fma(b0, c10_0);
        c10_1 = x.fma(b1, c10_1);
        x = FloatVector.broadcast(S, a[ap + 11]);
        c11_0 = x.fma(b0, c11_0);
        c11_1 = x.fma(b1, c11_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
    c10_0.intoArray(c, co + 10 * ldc);
    c10_1.intoArray(c, co + 10 * ldc + L);
    c11_0.intoArray(c, co + 11 * ldc);
    c11_1.intoArray(c, co + 11 * ldc + L);
  }

  /** {@link #kernelStrided6} with {@link #kernel12}'s tile. */
  static void kernelStrided12(int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + 10]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + 11]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
      b0 = FloatVector.fromArray(S, b, bp + bs);
      b1 = FloatVector.fromArray(S, b, bp + bs + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 16]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 17]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 18]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 19]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 20]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 21]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + 22]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + 23]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
    }
    if ((kc & 1) != 0) {
        FloatVector b0 = FloatVector.fromArray(S, b, bp);
        FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
        FloatVector x = FloatVector.broadcast(S, a[ap]);
        c0_0 = x.fma(b0, c0_0);
        c0_1 = x.fma(b1, c0_1);
        x = FloatVector.broadcast(S, a[ap + 1]);
        c1_0 = x.fma(b0, c1_0);
        c1_1 = x.fma(b1, c1_1);
        x = FloatVector.broadcast(S, a[ap + 2]);
        c2_0 = x.fma(b0, c2_0);
        c2_1 = x.fma(b1, c2_1);
        x = FloatVector.broadcast(S, a[ap + 3]);
        c3_0 = x.fma(b0, c3_0);
        c3_1 = x.fma(b1, c3_1);
        x = FloatVector.broadcast(S, a[ap + 4]);
        c4_0 = x.fma(b0, c4_0);
        c4_1 = x.fma(b1, c4_1);
        x = FloatVector.broadcast(S, a[ap + 5]);
        c5_0 = x.fma(b0, c5_0);
        c5_1 = x.fma(b1, c5_1);
        x = FloatVector.broadcast(S, a[ap + 6]);
        c6_0 = x.fma(b0, c6_0);
        c6_1 = x.fma(b1, c6_1);
        x = FloatVector.broadcast(S, a[ap + 7]);
        c7_0 = x.fma(b0, c7_0);
        c7_1 = x.fma(b1, c7_1);
        x = FloatVector.broadcast(S, a[ap + 8]);
        c8_0 = x.fma(b0, c8_0);
        c8_1 = x.fma(b1, c8_1);
        x = FloatVector.broadcast(S, a[ap + 9]);
        c9_0 = x.fma(b0, c9_0);
        c9_1 = x.fma(b1, c9_1);
        x = FloatVector.broadcast(S, a[ap + 10]);
        c10_0 = x.fma(b0, c10_0);
        c10_1 = x.fma(b1, c10_1);
        x = FloatVector.broadcast(S, a[ap + 11]);
        c11_0 = x.fma(b0, c11_0);
        c11_1 = x.fma(b1, c11_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
    c10_0.intoArray(c, co + 10 * ldc);
    c10_1.intoArray(c, co + 10 * ldc + L);
    c11_0.intoArray(c, co + 11 * ldc);
    c11_1.intoArray(c, co + 11 * ldc + L);
  }

  /**
   * {@link #kernel12} for the first 10 rows of a 12-row panel only: a batch of 10 (the chapters'
   * models) fills one panel but 10 of its 12 rows, and the full tile spent a sixth of its FMAs on
   * zero rows. Each element of C gets the same FMAs in the same order as in {@link #kernel12}. This
   * kernel, {@link #kernel12} and their strided and 4-row variants are printed by
   * {@code bench/tools/gemm_kernels.py}; regenerate them rather than editing one by hand.
   */
  static void kernelRows10(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      if (ap == Integer.MIN_VALUE) neverTaken++; // see kernel6
      b0 = FloatVector.fromArray(S, b, bp + NR);
      b1 = FloatVector.fromArray(S, b, bp + NR + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 16]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 17]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 18]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 19]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 20]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 21]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
    }
    if ((kc & 1) != 0) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
  }

  /** {@link #kernelRows10} reading B in place, rows {@code bs} floats apart, as {@link #kernelStrided12}. */
  static void kernelStridedRows10(int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      b0 = FloatVector.fromArray(S, b, bp + bs);
      b1 = FloatVector.fromArray(S, b, bp + bs + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + 16]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + 17]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + 18]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + 19]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + 20]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + 21]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
    }
    if ((kc & 1) != 0) {
        FloatVector b0 = FloatVector.fromArray(S, b, bp);
        FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
        FloatVector x = FloatVector.broadcast(S, a[ap]);
        c0_0 = x.fma(b0, c0_0);
        c0_1 = x.fma(b1, c0_1);
        x = FloatVector.broadcast(S, a[ap + 1]);
        c1_0 = x.fma(b0, c1_0);
        c1_1 = x.fma(b1, c1_1);
        x = FloatVector.broadcast(S, a[ap + 2]);
        c2_0 = x.fma(b0, c2_0);
        c2_1 = x.fma(b1, c2_1);
        x = FloatVector.broadcast(S, a[ap + 3]);
        c3_0 = x.fma(b0, c3_0);
        c3_1 = x.fma(b1, c3_1);
        x = FloatVector.broadcast(S, a[ap + 4]);
        c4_0 = x.fma(b0, c4_0);
        c4_1 = x.fma(b1, c4_1);
        x = FloatVector.broadcast(S, a[ap + 5]);
        c5_0 = x.fma(b0, c5_0);
        c5_1 = x.fma(b1, c5_1);
        x = FloatVector.broadcast(S, a[ap + 6]);
        c6_0 = x.fma(b0, c6_0);
        c6_1 = x.fma(b1, c6_1);
        x = FloatVector.broadcast(S, a[ap + 7]);
        c7_0 = x.fma(b0, c7_0);
        c7_1 = x.fma(b1, c7_1);
        x = FloatVector.broadcast(S, a[ap + 8]);
        c8_0 = x.fma(b0, c8_0);
        c8_1 = x.fma(b1, c8_1);
        x = FloatVector.broadcast(S, a[ap + 9]);
        c9_0 = x.fma(b0, c9_0);
        c9_1 = x.fma(b1, c9_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
  }


  /**
   * {@link #kernel12} for the first 4 rows of a 12-row panel only: 64, 100 or 256 rows leave 4 in
   * the last panel, where the full tile spent two thirds of its FMAs on zero rows (64³: 6.0 → 5.6
   * µs). Each element of C gets the same FMAs in the same order as in {@link #kernel12}.
   */
  static void kernelRows4(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      if (ap == Integer.MIN_VALUE) neverTaken++; // see kernel6
      b0 = FloatVector.fromArray(S, b, bp + NR);
      b1 = FloatVector.fromArray(S, b, bp + NR + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
    }
    if ((kc & 1) != 0) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
  }

  /** {@link #kernelRows4} reading B in place, rows {@code bs} floats apart, as {@link #kernelStrided12}. */
  static void kernelStridedRows4(int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0;
    int aEnd = ao + (kc & ~1) * 12;
    int ap = ao;
    int bp = bo;
    for (; ap < aEnd; ap += 2 * 12, bp += 2 * bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      b0 = FloatVector.fromArray(S, b, bp + bs);
      b1 = FloatVector.fromArray(S, b, bp + bs + L);
      x = FloatVector.broadcast(S, a[ap + 12]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + 13]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + 14]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + 15]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
    }
    if ((kc & 1) != 0) {
        FloatVector b0 = FloatVector.fromArray(S, b, bp);
        FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
        FloatVector x = FloatVector.broadcast(S, a[ap]);
        c0_0 = x.fma(b0, c0_0);
        c0_1 = x.fma(b1, c0_1);
        x = FloatVector.broadcast(S, a[ap + 1]);
        c1_0 = x.fma(b0, c1_0);
        c1_1 = x.fma(b1, c1_1);
        x = FloatVector.broadcast(S, a[ap + 2]);
        c2_0 = x.fma(b0, c2_0);
        c2_1 = x.fma(b1, c2_1);
        x = FloatVector.broadcast(S, a[ap + 3]);
        c3_0 = x.fma(b0, c3_0);
        c3_1 = x.fma(b1, c3_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
  }


  /**
   * Whether panels of A may be read where they lie rather than packed ({@link #kernelInPlaceA}): A
   * not transposed, C at most {@link #IN_PLACE_A_MAX_N} columns wide on this thread, a warm JVM
   * (see {@link #COLD_CALLS}) and a tile with in-place kernels. Packing A costs about 0.5 ns per
   * element on the Xeon (each float is written 12 floats from the last), against {@code n/88} ns of
   * multiply-adds per element at the FMA peak, so for a narrow C it is most of the overhead: at 64³
   * it took 1.4–2.5 µs of a 6 µs product, while the 12-row in-place kernel ran as fast as
   * {@link #kernel12} on a packed panel. Same harness, alternating JVMs, default threads, best of
   * eight windows: 64³ 4.3–6.5 → 2.7–4.4 µs, 512×64·64 24–41 → 16–25, 256×1000·64 155 → 120,
   * 256×1024·10 120–180 → 71–119 (rows 4 KiB apart, no harm seen). At 128³ and 256³ the two
   * measured alike within this VM's noise, so wider products keep packing.
   * {@code -Ddownhill.gemm.inPlaceA=false} turns it off.
   */
  static boolean inPlaceA(boolean transA, int n) {
    return inPlaceAOn && !transA && n <= IN_PLACE_A_MAX_N && calls >= COLD_CALLS;
  }

  /** See {@link #inPlaceA}. */
  static final int IN_PLACE_A_MAX_N = 64;
  private static boolean inPlaceAOn = !"false".equals(System.getProperty("downhill.gemm.inPlaceA"));

  /** Turns {@link #inPlaceA} on or off, for tests that compare it with packing; returns the old setting. */
  static boolean setInPlaceAForTests(boolean on) {
    boolean old = inPlaceAOn;
    inPlaceAOn = on;
    return old;
  }

  /** Whether {@link #kernelInPlaceA} has a kernel for the first {@code mr} rows of a panel. */
  static boolean hasInPlaceKernel(int mr) {
    return mr == MR || (MR == 12 && (mr == 10 || mr == 4));
  }

  /**
   * {@link #kernelRows} with the panel's {@code mr} rows of A read in place, {@code lda} floats apart
   * from {@code ao}: the same multiply-adds in the same order, so the same bits as on a packed panel.
   */
  static void kernelInPlaceA(int mr, int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    if (MR == 6) {
      kernelInPlaceA6(kc, a, ao, lda, b, bo, c, co, ldc);
    } else if (mr == 12) {
      kernelInPlaceA12(kc, a, ao, lda, b, bo, c, co, ldc);
    } else if (mr == 10) {
      kernelInPlaceA10(kc, a, ao, lda, b, bo, c, co, ldc);
    } else {
      kernelInPlaceA4(kc, a, ao, lda, b, bo, c, co, ldc);
    }
  }

  /** {@link #kernel12} with A's 12 rows read in place (generated: {@code bench/tools/gemm_kernels.py 12 --a-in-place}). */
  static void kernelInPlaceA12(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int a6 = 6 * lda;
    int a7 = 7 * lda;
    int a8 = 8 * lda;
    int a9 = 9 * lda;
    int a10 = 10 * lda;
    int a11 = 11 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + a6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + a7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + a8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + a9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + a10]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + a11]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
    c10_0.intoArray(c, co + 10 * ldc);
    c10_1.intoArray(c, co + 10 * ldc + L);
    c11_0.intoArray(c, co + 11 * ldc);
    c11_1.intoArray(c, co + 11 * ldc + L);
  }

  /** The first 10 rows of {@link #kernelInPlaceA12}. */
  static void kernelInPlaceA10(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int a6 = 6 * lda;
    int a7 = 7 * lda;
    int a8 = 8 * lda;
    int a9 = 9 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + a6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + a7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + a8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + a9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
  }

  /** The first 4 rows of {@link #kernelInPlaceA12}. */
  static void kernelInPlaceA4(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
  }

  /** {@link #kernel6} with A's 6 rows read in place, for AVX2's 6-row tile. */
  static void kernelInPlaceA6(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
  }


  /** {@link #kernelInPlaceA} with B read in place too, its rows {@code bs} floats apart (for {@link #direct}). */
  static void kernelStridedInPlaceA(int mr, int kc, float[] a, int ao, int lda, float[] b, int bo, int bs, float[] c,
      int co, int ldc) {
    if (MR == 6) {
      kernelStridedInPlaceA6(kc, a, ao, lda, b, bo, bs, c, co, ldc);
    } else if (mr == 12) {
      kernelStridedInPlaceA12(kc, a, ao, lda, b, bo, bs, c, co, ldc);
    } else if (mr == 10) {
      kernelStridedInPlaceA10(kc, a, ao, lda, b, bo, bs, c, co, ldc);
    } else {
      kernelStridedInPlaceA4(kc, a, ao, lda, b, bo, bs, c, co, ldc);
    }
  }

  /** {@link #kernelStrided12} with A's 12 rows read in place ({@code gemm_kernels.py 12 --a-in-place --strided}). */
  static void kernelStridedInPlaceA12(int kc, float[] a, int ao, int lda, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int a6 = 6 * lda;
    int a7 = 7 * lda;
    int a8 = 8 * lda;
    int a9 = 9 * lda;
    int a10 = 10 * lda;
    int a11 = 11 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + a6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + a7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + a8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + a9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(S, a[ap + a10]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(S, a[ap + a11]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
    c10_0.intoArray(c, co + 10 * ldc);
    c10_1.intoArray(c, co + 10 * ldc + L);
    c11_0.intoArray(c, co + 11 * ldc);
    c11_1.intoArray(c, co + 11 * ldc + L);
  }

  /** The first 10 rows of {@link #kernelStridedInPlaceA12}. */
  static void kernelStridedInPlaceA10(int kc, float[] a, int ao, int lda, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0, c9_0 = c0_0, c9_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int a6 = 6 * lda;
    int a7 = 7 * lda;
    int a8 = 8 * lda;
    int a9 = 9 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(S, a[ap + a6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(S, a[ap + a7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(S, a[ap + a8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(S, a[ap + a9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
    c6_0.intoArray(c, co + 6 * ldc);
    c6_1.intoArray(c, co + 6 * ldc + L);
    c7_0.intoArray(c, co + 7 * ldc);
    c7_1.intoArray(c, co + 7 * ldc + L);
    c8_0.intoArray(c, co + 8 * ldc);
    c8_1.intoArray(c, co + 8 * ldc + L);
    c9_0.intoArray(c, co + 9 * ldc);
    c9_1.intoArray(c, co + 9 * ldc + L);
  }

  /** The first 4 rows of {@link #kernelStridedInPlaceA12}. */
  static void kernelStridedInPlaceA4(int kc, float[] a, int ao, int lda, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
  }

  /** {@link #kernelStrided6} with A's 6 rows read in place. */
  static void kernelStridedInPlaceA6(int kc, float[] a, int ao, int lda, float[] b, int bo, int bs, float[] c, int co, int ldc) {
    FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
    int a1 = lda;
    int a2 = 2 * lda;
    int a3 = 3 * lda;
    int a4 = 4 * lda;
    int a5 = 5 * lda;
    int aEnd = ao + kc;
    int bp = bo;
    for (int ap = ao; ap < aEnd; ap++, bp += bs) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(S, a[ap + a1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(S, a[ap + a2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(S, a[ap + a3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(S, a[ap + a4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(S, a[ap + a5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
    }
    c0_0.intoArray(c, co);
    c0_1.intoArray(c, co + L);
    c1_0.intoArray(c, co + ldc);
    c1_1.intoArray(c, co + ldc + L);
    c2_0.intoArray(c, co + 2 * ldc);
    c2_1.intoArray(c, co + 2 * ldc + L);
    c3_0.intoArray(c, co + 3 * ldc);
    c3_1.intoArray(c, co + 3 * ldc + L);
    c4_0.intoArray(c, co + 4 * ldc);
    c4_1.intoArray(c, co + 4 * ldc + L);
    c5_0.intoArray(c, co + 5 * ldc);
    c5_1.intoArray(c, co + 5 * ldc + L);
  }


  /**
   * Writes a whole tile of sums computed into {@code tile} ({@code [MR][NR]}) to C:
   * {@code C = alpha·tile + beta·C (+ bias)}, in the same operation order as {@link #epilogue}.
   */
  private static void mergeTile(float[] tile, float alpha, float beta, float[] c, int co, int ldc, float[] bias,
      int biasOff) {
    for (int r = 0; r < MR; r++) {
      int at = co + r * ldc;
      for (int j = 0; j < NR; j += L) {
        FloatVector v = FloatVector.fromArray(S, tile, r * NR + j);
        if (alpha != 1f) v = v.mul(alpha);
        if (beta != 0f) v = FloatVector.fromArray(S, c, at + j).fma(FloatVector.broadcast(S, beta), v);
        if (bias != null) v = v.add(FloatVector.fromArray(S, bias, biasOff + j));
        v.intoArray(c, at + j);
      }
    }
  }

  /** True when the kernel's sums are C as they are: no scaling, no old C, no bias. */
  private static boolean isPlain(float alpha, float beta, float[] bias) {
    return alpha == 1f && beta == 0f && bias == null;
  }

  /** Writes the valid {@code mr × nr} corner of a tile of sums to C, through the epilogue. */
  private static void merge(float[] tile, int mr, int nr, float alpha, float beta, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    if (mr == MR && nr == NR) mergeTile(tile, alpha, beta, c, co, ldc, bias, biasOff);
    else mergeEdge(tile, mr, nr, alpha, beta, c, co, ldc, bias, biasOff);
  }

  /**
   * Writes the valid {@code mr × nr} corner of a tile computed into {@code edge} ({@code [MR][NR]}):
   * whole vectors along each row, then the last {@code nr mod L} columns one by one, all in
   * {@link #epilogue}'s order. (Element by element throughout, this was most of a 10-row product's
   * time: with MR = 12, every tile of a 10-row C is an edge tile.)
   */
  private static void mergeEdge(float[] edge, int mr, int nr, float alpha, float beta, float[] c, int co,
      int ldc, float[] bias, int biasOff) {
    mergeSums(edge, 0, NR, mr, nr, alpha, beta, c, co, ldc, bias, biasOff);
  }

  /**
   * {@code C = alpha·sums + beta·C (+ bias)} for {@code mr × nr} sums laid out {@code sums[so + r·ls + j]},
   * by vectors along each row and the last {@code nr mod L} columns one by one (one by one throughout
   * while the JVM is cold, see {@link #COLD_CALLS}), all in {@link #epilogue}'s order.
   */
  private static void mergeSums(float[] sums, int so, int ls, int mr, int nr, float alpha, float beta, float[] c,
      int co, int ldc, float[] bias, int biasOff) {
    int nv = calls < COLD_CALLS ? 0 : nr - nr % L;
    FloatVector betaV = FloatVector.broadcast(S, beta);
    for (int r = 0; r < mr; r++) {
      int at = co + r * ldc;
      int from = so + r * ls;
      for (int j = 0; j < nv; j += L) {
        FloatVector v = FloatVector.fromArray(S, sums, from + j);
        if (alpha != 1f) v = v.mul(alpha);
        if (beta != 0f) v = FloatVector.fromArray(S, c, at + j).fma(betaV, v);
        if (bias != null) v = v.add(FloatVector.fromArray(S, bias, biasOff + j));
        v.intoArray(c, at + j);
      }
      for (int j = nv; j < nr; j++) {
        c[at + j] = epilogue(sums[from + j], alpha, beta, c[at + j], bias, biasOff + j);
      }
    }
  }

  /** The tile's epilogue for one element, in the same operation order as {@link #mergeTile}. */
  private static float epilogue(float s, float alpha, float beta, float old, float[] bias, int at) {
    if (alpha != 1f) s *= alpha;
    if (beta != 0f) s = Math.fma(old, beta, s);
    if (bias != null) s += bias[at];
    return s;
  }

  /**
   * Packs rows {@code [ic, ic+mc)} × columns {@code [pc, pc+kc)} of op(A) into panels of MR rows, each
   * laid out {@code [kc][MR]}; rows past {@code mc} in the last panel are zero.
   */
  static void packA(boolean transA, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] out) {
    if (transA) {
      // op(A)'s columns are A's rows: walk them in order, so each read is one contiguous row piece,
      // of MR floats, copied as one masked vector where a vector holds MR (the lanes past mr load as
      // zero). Element by element this took 2.3 µs for a 64×64 block and 41–53 µs for 120×512 of a
      // 1024-wide A on the Xeon; by vectors 1.5 and 25 µs.
      VectorMask<Float> tail = S.indexInRange(0, Math.min(L, mc % MR)); // the last panel's real rows
      for (int p = 0; p < kc; p++) {
        int src = ao + (pc + p) * lda + ic;
        for (int ir = 0; ir < mc; ir += MR) {
          int mr = Math.min(MR, mc - ir);
          int dst = ir * kc + p * MR;
          if (MR <= L) {
            FloatVector.fromArray(S, a, src + ir, mr == MR ? PANEL_ROWS : tail).intoArray(out, dst, PANEL_ROWS);
          } else {
            for (int r = 0; r < mr; r++) out[dst + r] = a[src + ir + r];
            for (int r = mr; r < MR; r++) out[dst + r] = 0f;
          }
        }
      }
      return;
    }
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int base = ir * kc;
      for (int r = 0; r < MR; r++) {
        if (r < mr) {
          int src = ao + (ic + ir + r) * lda + pc;
          for (int p = 0; p < kc; p++) out[base + p * MR + r] = a[src + p];
        } else {
          for (int p = 0; p < kc; p++) out[base + p * MR + r] = 0f;
        }
      }
    }
  }

  /**
   * Packs rows {@code [pc, pc+kc)} × columns {@code [jc, jc+nc)} of op(B) into panels of NR columns,
   * each laid out {@code [kc][NR]}; columns past {@code nc} in the last panel are zero.
   */
  static void packB(boolean transB, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, float[] out) {
    for (int jr = 0; jr < nc; jr += NR) {
      int nr = Math.min(NR, nc - jr);
      int base = jr * kc;
      if (transB && nr == NR && GATHER_TRANSPOSE) {
        // A full panel: row p of the panel is column p of 16 rows of B, two gathers of 8 lanes.
        int[] rows = gatherRows(ldb);
        int src0 = bo + (jc + jr) * ldb + pc;
        int src1 = src0 + L * ldb;
        for (int p = 0; p < kc; p++) {
          FloatVector.fromArray(S, b, src0 + p, rows, 0).intoArray(out, base + p * NR);
          FloatVector.fromArray(S, b, src1 + p, rows, 0).intoArray(out, base + p * NR + L);
        }
      } else if (transB) {
        // op(B)'s columns are B's rows. Each row is read in order and written down one column of
        // the panel; the panel is walked in slices of TRANSPOSE_SLICE rows, so the cache lines the
        // 16 columns write to stay in L1 until all 16 are done. (Unsliced, a 500-deep panel is 32 KiB
        // and every column evicted the last: packing W for 10×500·500ᵀ took 7× the product itself.)
        for (int p0 = 0; p0 < kc; p0 += TRANSPOSE_SLICE) {
          int p1 = Math.min(kc, p0 + TRANSPOSE_SLICE);
          for (int j = 0; j < NR; j++) {
            if (j < nr) {
              int src = bo + (jc + jr + j) * ldb + pc;
              for (int p = p0; p < p1; p++) out[base + p * NR + j] = b[src + p];
            } else {
              for (int p = p0; p < p1; p++) out[base + p * NR + j] = 0f;
            }
          }
        }
      } else if (nr == NR) {
        for (int p = 0; p < kc; p++) {
          int src = bo + (pc + p) * ldb + jc + jr;
          FloatVector.fromArray(S, b, src).intoArray(out, base + p * NR);
          FloatVector.fromArray(S, b, src + L).intoArray(out, base + p * NR + L);
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int src = bo + (pc + p) * ldb + jc + jr;
          int dst = base + p * NR;
          for (int j = 0; j < nr; j++) out[dst + j] = b[src + j];
          for (int j = nr; j < NR; j++) out[dst + j] = 0f;
        }
      }
    }
  }

  /**
   * Whether the small-product paths of issue 16 ({@link GemmDot}) are taken;
   * {@code -Ddownhill.gemm.small=false} turns them off, for before/after figures in one build.
   */
  static final boolean SMALL_PATHS = !"false".equals(System.getProperty("downhill.gemm.small"));

  /**
   * Whether full panels of a transposed B are packed by vector gathers (two per panel row) rather
   * than element by element; {@code -Ddownhill.gemm.gather=false} turns it off for comparison. In
   * one harness, back to back on one thread: 10×100·500ᵀ 33.6 → 19.9 µs, 10×500·500ᵀ 195 → 107 µs,
   * 256×784·1024ᵀ 4.50 → 3.82 ms; 1024³ NT and TT within the run-to-run noise either way.
   */
  static final boolean GATHER_TRANSPOSE = !"false".equals(System.getProperty("downhill.gemm.gather"));

  /** 0, ld, 2·ld, … (L entries): the offsets of one column's elements in L consecutive rows. */
  private static int[] gatherRows(int ld) {
    Scratch s = SCRATCH.get();
    if (s.gatherLd != ld) {
      for (int i = 0; i < L; i++) s.gatherRows[i] = i * ld;
      s.gatherLd = ld;
    }
    return s.gatherRows;
  }

  /** k = 0 or alpha = 0: C = beta·C (+ bias), with beta = 0 writing zeros whatever C held. */
  private static void scaleOnly(int m, int n, float beta, float[] c, int co, int ldc, float[] bias, int biasOff) {
    for (int i = 0; i < m; i++) {
      int row = co + i * ldc;
      if (beta == 0f) Elementwise.fill(c, row, n, 0f);
      else if (beta != 1f) Elementwise.mulScalar(c, row, beta, c, row, n);
      if (bias != null) Elementwise.add(c, row, bias, biasOff, c, row, n);
    }
  }

  static void checkArguments(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, int lda,
      float[] b, int bo, int ldb, float[] c, int co, int ldc, float[] bias, int biasOff) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("sgemm: negative size m=" + m + ", n=" + n + ", k=" + k);
    }
    checkMatrix("A", transA ? k : m, transA ? m : k, a, ao, lda);
    checkMatrix("B", transB ? n : k, transB ? k : n, b, bo, ldb);
    checkMatrix("C", m, n, c, co, ldc);
    if (bias != null && m > 0 && n > 0 && (biasOff < 0 || (long) biasOff + n > bias.length)) {
      throw new IllegalArgumentException("sgemm: bias[" + biasOff + ", " + ((long) biasOff + n)
          + ") runs outside an array of length " + bias.length);
    }
  }

  private static void checkMatrix(String name, int rows, int cols, float[] x, int off, int ld) {
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld + " is less than the "
          + cols + " columns of the stored " + name + " [" + rows + ", " + cols + "]");
    }
    if (rows == 0 || cols == 0) return;
    long last = off + (long) (rows - 1) * ld + cols - 1;
    if (off < 0 || last >= x.length) {
      throw new IllegalArgumentException("sgemm: " + name + " [" + rows + ", " + cols + "] with offset " + off
          + " and leading dimension " + ld + " needs index " + last + ", but the array has length " + x.length);
    }
  }
}
