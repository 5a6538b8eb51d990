#!/usr/bin/python3
"""Prints Gemm's AVX-512 register-tile kernels, unrolled as C2 needs them (see Gemm.kernel6's comment).

    python3 bench/tools/gemm_kernels.py ROWS [--strided]
    python3 bench/tools/gemm_kernels.py ROWS --a-in-place [--strided]

ROWS = 12 prints the body of kernel12 (with --strided, kernelStrided12); ROWS = 10 or 4 prints
kernelRows10 / kernelRows4 (kernelStridedRows10 / 4): the first ROWS rows of a 12-row packed A panel,
the same FMAs in the same order as the 12-row tile, so each element of C gets the same bits. The
packed-B kernels step B by NR and carry the never-taken branch between the two unrolled steps; the
strided ones step B by bs and, like kernelStrided6 and kernelStrided12, do not. Paste the output in
place of the method it names, keeping the javadoc.

With --a-in-place (ROWS = 12, 10, 6 or 4) it prints kernelInPlaceA12 etc.: A read where it lies, its
rows lda floats apart, instead of from a packed panel; B packed. One step per loop iteration, counted on
A's index: at kc = 64 it ran as fast as kernel12 does on a packed panel (304 against 296 ns), where a
kernel that also stepped A by a variable stride (for a transposed A) ran 15 % slower. With --strided,
B is read in place too, rows bs floats apart (kernelStridedInPlaceA12 etc., for Gemm.direct).
"""
import sys


def accumulators(rows):
    """The declaration of the tile's 2·rows accumulators, all zero."""
    accs = ", ".join("c0_0 = FloatVector.zero(S)" if (r, h) == (0, 0) else f"c{r}_{h} = c0_0"
                     for r in range(rows) for h in range(2))
    return f"    FloatVector {accs};"


def stores(rows, w):
    """The tile's rows written to C, ldc floats apart."""
    for r in range(rows):
        row = "" if r == 0 else " + ldc" if r == 1 else f" + {r} * ldc"
        w(f"    c{r}_0.intoArray(c, co{row});")
        w(f"    c{r}_1.intoArray(c, co{row} + L);")


def kernel(rows, strided):
    if rows == 12:
        name = "kernelStrided12" if strided else "kernel12"
    else:
        name = f"kernelStridedRows{rows}" if strided else f"kernelRows{rows}"
    sig = ("int kc, float[] a, int ao, float[] b, int bo, int bs, float[] c, int co, int ldc" if strided else
           "int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc")
    bstep = "bs" if strided else "NR"
    out = []
    w = out.append
    w(f"  static void {name}({sig}) {{")
    w(accumulators(rows))
    w("    int aEnd = ao + (kc & ~1) * 12;")
    w("    int ap = ao;")
    w("    int bp = bo;")
    w(f"    for (; ap < aEnd; ap += 2 * 12, bp += 2 * {bstep}) {{")

    def step(a_off, b_off, declare, indent):
        t = "FloatVector " if declare else ""
        w(f"{indent}{t}b0 = FloatVector.fromArray(S, b, bp{b_off});")
        w(f"{indent}{t}b1 = FloatVector.fromArray(S, b, bp{b_off} + L);")
        for r in range(rows):
            x = "FloatVector x" if declare and r == 0 else "x"
            idx = f"ap + {a_off + r}" if a_off + r else "ap"
            w(f"{indent}{x} = FloatVector.broadcast(S, a[{idx}]);")
            w(f"{indent}c{r}_0 = x.fma(b0, c{r}_0);")
            w(f"{indent}c{r}_1 = x.fma(b1, c{r}_1);")

    step(0, "", True, "      ")
    if not strided:
        w("      if (ap == Integer.MIN_VALUE) neverTaken++; // see kernel6")
    step(12, f" + {bstep}", False, "      ")
    w("    }")
    w("    if ((kc & 1) != 0) {")
    step(0, "", True, "        ")
    w("    }")
    stores(rows, w)
    w("  }")
    return "\n".join(out)


def kernel_in_place_a(rows, strided):
    out = []
    w = out.append
    name = f"kernelStridedInPlaceA{rows}" if strided else f"kernelInPlaceA{rows}"
    bs = ", int bs" if strided else ""
    w(f"  static void {name}(int kc, float[] a, int ao, int lda, float[] b, int bo{bs}, float[] c, int co, int ldc) {{")
    w(accumulators(rows))
    for r in range(1, rows):
        w(f"    int a{r} = {'lda' if r == 1 else f'{r} * lda'};")
    w("    int aEnd = ao + kc;")
    w("    int bp = bo;")
    w(f"    for (int ap = ao; ap < aEnd; ap++, bp += {'bs' if strided else 'NR'}) {{")
    w("      FloatVector b0 = FloatVector.fromArray(S, b, bp);")
    w("      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);")
    for r in range(rows):
        x = "FloatVector x" if r == 0 else "x"
        idx = "ap" if r == 0 else f"ap + a{r}"
        w(f"      {x} = FloatVector.broadcast(S, a[{idx}]);")
        w(f"      c{r}_0 = x.fma(b0, c{r}_0);")
        w(f"      c{r}_1 = x.fma(b1, c{r}_1);")
    w("    }")
    stores(rows, w)
    w("  }")
    return "\n".join(out)


if __name__ == "__main__":
    if "--a-in-place" in sys.argv[2:]:
        if len(sys.argv) < 2 or sys.argv[1] not in ("12", "10", "6", "4"):
            sys.exit("usage: gemm_kernels.py 12|10|6|4 --a-in-place")
        print(kernel_in_place_a(int(sys.argv[1]), "--strided" in sys.argv[2:]))
        sys.exit(0)
    if len(sys.argv) < 2 or sys.argv[1] not in ("12", "10", "4"):
        sys.exit("usage: gemm_kernels.py 12|10|4 [--strided]")
    print(kernel(int(sys.argv[1]), "--strided" in sys.argv[2:]))
