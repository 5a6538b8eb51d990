package dev.downhill.autograd;

/**
 * The record of one differentiable op in the graph: its inputs, the tensors its backward needs,
 * and the backward itself. Each op writes its node right beside its forward (see {@code Unary},
 * {@code Arithmetic}, {@code Reduce}, {@code Views}), so the calculus reads on one screen.
 *
 * <h2>Who owns a gradient array</h2>
 * One rule: every array a backward hands to {@link Grads#add} belongs to the graph from then on
 * (it may become a leaf's {@code grad} or be added into), and the backward must not touch it
 * again. A backward hands over either an array it allocated or its upstream gradient {@code g}
 * itself (a pass-through op such as a reshape); nothing else, never a saved tensor's storage. The
 * router enforces the one case where that would still alias: an array handed over a second time
 * in the same backward (the same {@code g} to both inputs of an add) is copied, so no two places
 * ever share one array.
 */
abstract class Node {
  final String op;
  final Tensor[] inputs;
  final int[] outShape;
  /** Where the forward ran, recorded only in anomaly mode. */
  final Throwable createdAt;
  private Tensor[] saved = new Tensor[0];
  private int[] savedVersions = new int[0];
  private boolean freed;
  /** What the backward costs, for {@link OpTrace}: FLOPs and bytes moved (0 where not counted). */
  double backwardFlops;
  double backwardBytes;
  private String backwardName;

  Node(String op, int[] outShape, Tensor... inputs) {
    this.op = op;
    this.outShape = outShape;
    this.inputs = inputs;
    this.createdAt = Autograd.anomalyEnabled() ? new Throwable("forward of " + op) : null;
  }

  /**
   * Computes the gradients of the inputs from {@code g}, the gradient of this op's output
   * (contiguous, {@code outShape}), and hands them to {@code grads}. {@code g} belongs to this
   * backward (see the class comment): it may be handed on as it is, or written over by a kernel
   * that reads each element before it writes it and then handed on (ReLU's backward does that), but
   * it must not be read or written after it has been handed on.
   */
  abstract void backward(float[] g, Grads grads);

  /** Sets the backward's cost as {@link OpTrace} counts it; returns this node. */
  final Node cost(double flops, double bytes) {
    backwardFlops = flops;
    backwardBytes = bytes;
    return this;
  }

  /** "op backward", the name the profiler shows. */
  final String backwardName() {
    if (backwardName == null) {
      backwardName = op + " backward";
    }
    return backwardName;
  }

  /** Keeps tensors for the backward, remembering their versions to catch later in-place changes. */
  final void save(Tensor... tensors) {
    saved = tensors;
    savedVersions = new int[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      savedVersions[i] = tensors[i].storage.version;
    }
  }

  /** A saved tensor, checked: still held (not freed by an earlier backward) and not changed in place. */
  final Tensor saved(int i) {
    checkNotFreed();
    Tensor t = saved[i];
    if (t.storage.version != savedVersions[i]) {
      throw new IllegalStateException("backward: a tensor of shape " + Shapes.str(t.shape) + " that '" + op
          + "' saved for its backward was modified in place (version " + savedVersions[i] + " when saved, "
          + t.storage.version + " now)");
    }
    return t;
  }

  final void checkNotFreed() {
    if (freed) {
      throw new IllegalStateException("backward: the graph through '" + op + "' was already freed by an earlier backward();"
          + " pass retainGraph = true to the first backward to go through it twice");
    }
  }

  final void free() {
    freed = true;
    saved = new Tensor[0];
  }

  /** Receives the input gradients a backward produces. */
  interface Grads {
    /** Adds {@code g} to input {@code i}'s gradient, taking ownership of {@code g} (see the class comment). */
    void add(int i, float[] g);

    /** Whether input {@code i} needs a gradient at all (skip computing it otherwise). */
    boolean needs(int i);

    /**
     * An array of {@code n} floats (input {@code i}'s size) for the whole of input {@code i}'s
     * gradient, to be filled entirely and then handed to {@link #add}. For a leaf that has no
     * gradient now it is the array of the gradient zeroGrad last dropped, when there is one, so a
     * training loop does not allocate its weight gradients anew every step; otherwise a new array.
     * The contents are unspecified (anything) unless {@code zeroed}: for kernels that overwrite
     * every element, such as a matrix product with beta = 0.
     */
    float[] buffer(int i, int n, boolean zeroed);
  }
}
