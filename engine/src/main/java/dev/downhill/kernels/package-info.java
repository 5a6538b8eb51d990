/**
 * Stateless SIMD loops over {@code float[]} with explicit offsets and lengths, each beside a plain
 * scalar twin with the same signature ({@code Elementwise} / {@code ScalarElementwise},
 * {@code Reductions} / {@code ScalarReductions}, {@code Activations} / {@code ScalarActivations},
 * {@code Softmax} / {@code ScalarSoftmax}). The twin is the test oracle and the benchmark
 * baseline. Nothing here knows about tensors, shapes or autograd.
 */
package dev.downhill.kernels;
