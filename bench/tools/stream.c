/*
 * STREAM-style memory bandwidth in C, the physical reference for downhill's memory-bound kernels
 * (a benchmark tool like hsdis-capstone.c; the engine itself stays pure Java).
 *
 *   gcc -O3 -fopenmp -o stream stream.c && OMP_NUM_THREADS=2 ./stream [n]
 *
 * copy  b[i] = a[i]            8 bytes per element
 * triad a[i] = b[i] + s*c[i]  12 bytes per element (the write-allocate read is not counted, as STREAM)
 * 4r3w  m = .9m + .1g, v = .999v + g*g, p = p - .001m: an optimizer's traffic (AdamW's p, g, m, v read,
 *       p, m, v written), 28 bytes per element; one core moves more bytes per second with seven streams
 *       than with triad's three, so this, not triad, is the ceiling of an optimizer step
 * n floats per array (default 64M = 256 MiB each), ordinary stores (no non-temporal hint), static
 * OpenMP schedule, pages first touched by the threads that use them. Best of 5 passes after one
 * warm-up; prints one line per kernel: "copy <threads> <GB/s>", "triad ..." and "4r3w ...".
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define PASSES 5

static double best(double a, double b) { return a > b ? a : b; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 64L << 20;
  float *a = malloc(n * sizeof(float)), *b = malloc(n * sizeof(float)), *c = malloc(n * sizeof(float));
  float *d = malloc(n * sizeof(float));
  if (!a || !b || !c || !d) {
    fprintf(stderr, "stream: cannot allocate 4 x %ld floats\n", n);
    return 1;
  }
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) {
    a[i] = (float)(i % 7);
    b[i] = 0.0f;
    c[i] = (float)(i % 5);
    d[i] = 0.0f;
  }
  const float s = 3.0f;
  double copy = 0, triad = 0, four = 0;
  for (int pass = 0; pass <= PASSES; pass++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) b[i] = a[i];
    double t1 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
    double t2 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
      float g = c[i], m = 0.9f * b[i] + 0.1f * g;
      b[i] = m;
      d[i] = g * g + 0.999f * d[i];
      a[i] -= 0.001f * m;
    }
    double t3 = omp_get_wtime();
    if (pass > 0) {
      copy = best(copy, 8.0 * n / (t1 - t0) / 1e9);
      triad = best(triad, 12.0 * n / (t2 - t1) / 1e9);
      four = best(four, 28.0 * n / (t3 - t2) / 1e9);
    }
  }
  /* Keeps the compiler from dropping the passes. */
  double check = 0;
  for (long i = 0; i < n; i += 4096) check += a[i];
  int t = omp_get_max_threads();
  printf("copy %d %.2f\ntriad %d %.2f\n4r3w %d %.2f\n", t, copy, t, triad, t, four);
  fprintf(stderr, "stream: n=%ld, check %.1f\n", n, check);
  free(a);
  free(b);
  free(c);
  free(d);
  return 0;
}
