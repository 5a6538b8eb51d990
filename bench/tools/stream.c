/*
 * STREAM-style memory bandwidth in C, the physical reference for downhill's memory-bound kernels
 * (a benchmark tool like hsdis-capstone.c; the engine itself stays pure Java).
 *
 *   gcc -O3 -fopenmp -o stream stream.c && OMP_NUM_THREADS=2 ./stream [n]
 *
 * copy  b[i] = a[i]            8 bytes per element
 * triad a[i] = b[i] + s*c[i]  12 bytes per element (the write-allocate read is not counted, as STREAM)
 * n floats per array (default 64M = 256 MiB each), ordinary stores (no non-temporal hint), static
 * OpenMP schedule, pages first touched by the threads that use them. Best of 10 passes after one
 * warm-up; prints one line per kernel: "copy <threads> <GB/s>" and "triad <threads> <GB/s>".
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define PASSES 10

static double best(double a, double b) { return a > b ? a : b; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 64L << 20;
  float *a = malloc(n * sizeof(float)), *b = malloc(n * sizeof(float)), *c = malloc(n * sizeof(float));
  if (!a || !b || !c) {
    fprintf(stderr, "stream: cannot allocate 3 x %ld floats\n", n);
    return 1;
  }
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) {
    a[i] = (float)(i % 7);
    b[i] = 0.0f;
    c[i] = (float)(i % 5);
  }
  const float s = 3.0f;
  double copy = 0, triad = 0;
  for (int pass = 0; pass <= PASSES; pass++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) b[i] = a[i];
    double t1 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
    double t2 = omp_get_wtime();
    if (pass > 0) {
      copy = best(copy, 8.0 * n / (t1 - t0) / 1e9);
      triad = best(triad, 12.0 * n / (t2 - t1) / 1e9);
    }
  }
  /* Keeps the compiler from dropping the passes. */
  double check = 0;
  for (long i = 0; i < n; i += 4096) check += a[i];
  printf("copy %d %.2f\ntriad %d %.2f\n", omp_get_max_threads(), copy, omp_get_max_threads(), triad);
  fprintf(stderr, "stream: n=%ld, check %.1f\n", n, check);
  free(a);
  free(b);
  free(c);
  return 0;
}
