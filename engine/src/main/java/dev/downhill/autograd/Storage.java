package dev.downhill.autograd;

/**
 * The float array behind one or more tensors (views share it) and its version counter, which every
 * in-place change increments so backward can refuse saved tensors that changed since they were saved.
 */
final class Storage {
  final float[] data;
  int version;

  Storage(float[] data) {
    this.data = data;
  }
}
