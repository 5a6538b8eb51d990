package dev.downhill.kernels;

/**
 * The plain twin of {@link Gemm}: the textbook triple loop, one dot product per element of C, same
 * arguments and layout. It is the benchmark baseline and a readable statement of what {@code Gemm}
 * computes; it sums in a different order, so the two agree to rounding, not bit for bit.
 */
public final class ScalarGemm {
  private ScalarGemm() {}

  /** {@code C = alpha·op(A)·op(B) + beta·C}, as {@link Gemm#sgemm}. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
    sgemm(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, null, 0);
  }

  /** {@code C = alpha·op(A)·op(B) + beta·C + bias}, as {@link Gemm#sgemm}. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc,
      float[] bias, int biasOff) {
    Gemm.checkArguments(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bias, biasOff);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0f;
        if (alpha != 0f) {
          for (int p = 0; p < k; p++) {
            float x = transA ? a[ao + p * lda + i] : a[ao + i * lda + p];
            float y = transB ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
            s += x * y;
          }
        }
        int at = co + i * ldc + j;
        float r = alpha * s;
        if (beta != 0f) r += beta * c[at];
        if (bias != null) r += bias[biasOff + j];
        c[at] = r;
      }
    }
  }
}
