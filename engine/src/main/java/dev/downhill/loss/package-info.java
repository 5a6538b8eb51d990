/**
 * Loss functions as in {@code torch.nn.functional}: {@link dev.downhill.loss.Loss} (MSE, L1, smooth L1,
 * Huber, cross-entropy, NLL, binary cross-entropy with and without logits), the
 * {@link dev.downhill.loss.Reduction} they apply, and {@link dev.downhill.loss.CrossEntropyOptions}.
 * Built on the tensor API and the fused per-row ops of {@code dev.downhill.autograd.ClassLosses}.
 */
package dev.downhill.loss;
