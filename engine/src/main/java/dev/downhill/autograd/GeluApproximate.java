package dev.downhill.autograd;

/** Which GELU {@link Tensor#gelu(GeluApproximate)} computes, as PyTorch's {@code approximate} argument. */
public enum GeluApproximate {
  /** The exact form {@code x·Φ(x)} through erf (PyTorch's {@code approximate='none'}, the default). */
  NONE,
  /** {@code ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))} (PyTorch's {@code approximate='tanh'}). */
  TANH
}
