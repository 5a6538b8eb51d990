package dev.downhill.autograd;

import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Layout;
import java.util.Arrays;

/**
 * An n-dimensional float32 array, row-major and contiguous, that records the ops made from it so
 * {@link #backward()} can compute gradients — the engine's {@code torch.Tensor}.
 *
 * <p>Shapes are {@code int[]}; a scalar has shape {@code []}. Elementwise ops broadcast as NumPy
 * does. Views ({@link #reshape}, {@link #view}, {@link #slice}, {@link #select}, {@link #detach},
 * {@link #squeeze}, {@link #unsqueeze}) share this tensor's storage; {@link #transpose},
 * {@link #permute} and {@link #cat} copy. In-place methods ({@link #fill}, {@link #addInPlace}, ...)
 * change the storage, bump its version, and are refused where the graph would silently go wrong.
 *
 * <p>Index results ({@link #argmax}) are float tensors holding whole numbers, exact up to 2^24,
 * since this engine has one dtype.
 */
public final class Tensor {
  final Storage storage;
  final int offset;
  final int[] shape;
  final int size;
  boolean requiresGrad;
  boolean retainsGrad;
  Node gradFn;
  private Tensor grad;

  Tensor(Storage storage, int offset, int[] shape) {
    this.storage = storage;
    this.offset = offset;
    this.shape = shape;
    this.size = Shapes.size(shape);
  }

  /** A tensor owning {@code data} (not copied) with {@code shape}. */
  static Tensor wrap(float[] data, int[] shape) {
    return new Tensor(new Storage(data), 0, shape);
  }

  /** Attaches {@code node} as the op that made this tensor, if grad mode wants it. */
  Tensor madeBy(Node node) {
    this.gradFn = node;
    this.requiresGrad = true;
    return this;
  }

  /** The backing array; element {@code i} of this tensor is {@code array()[offset() + i]}. */
  float[] array() {
    return storage.data;
  }

  // ---------------------------------------------------------------- factories

  /** A tensor of zeros. */
  public static Tensor zeros(int... shape) {
    return wrap(new float[Shapes.size(Shapes.check("zeros", shape))], shape.clone());
  }

  /** A tensor of ones. */
  public static Tensor ones(int... shape) {
    return full(1f, shape);
  }

  /** A tensor with every element {@code value}. */
  public static Tensor full(float value, int... shape) {
    int[] s = Shapes.check("full", shape);
    float[] d = new float[Shapes.size(s)];
    Elementwise.fill(d, 0, d.length, value);
    return wrap(d, s);
  }

  /** A copy of {@code data} as a 1-D tensor. */
  public static Tensor of(float[] data) {
    return wrap(data.clone(), new int[] {data.length});
  }

  /** A copy of {@code data} as a tensor of {@code shape}; an empty shape makes a scalar. */
  public static Tensor of(float[] data, int... shape) {
    int[] s = Shapes.check("of", shape);
    if (Shapes.size(s) != data.length) {
      throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s)
          + " of " + Shapes.size(s) + " elements");
    }
    return wrap(data.clone(), s);
  }

  /** A 2-D tensor from rows of equal length. */
  public static Tensor of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] d = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[i], 0, d, i * cols, cols);
    }
    return wrap(d, new int[] {rows.length, cols});
  }

  /** A 0-dimensional tensor (shape {@code []}) holding {@code value}. */
  public static Tensor scalar(float value) {
    return wrap(new float[] {value}, new int[0]);
  }

  /** 0, 1, ..., end − 1 as floats. */
  public static Tensor arange(float end) {
    return arange(0, end, 1);
  }

  /** start, start + step, ... while below {@code end} (above it for a negative step), as torch.arange. */
  public static Tensor arange(float start, float end, float step) {
    if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
      throw new IllegalArgumentException("arange: need finite start, end and a nonzero step, got start=" + start
          + " end=" + end + " step=" + step);
    }
    if ((end - start) / step < 0) {
      throw new IllegalArgumentException("arange: step " + step + " goes away from end " + end + " (start " + start + ")");
    }
    int n = (int) Math.ceil(((double) end - start) / step);
    float[] d = new float[n];
    Layout.arange(d, 0, n, start, step);
    return wrap(d, new int[] {n});
  }

  /** {@code steps} evenly spaced values from start to end inclusive, as torch.linspace. */
  public static Tensor linspace(float start, float end, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
    }
    float[] d = new float[steps];
    Layout.linspace(d, 0, steps, start, end);
    return wrap(d, new int[] {steps});
  }

  /** Uniform on [0, 1), drawn in row-major order from {@code gen}. */
  public static Tensor rand(Generator gen, int... shape) {
    int[] s = Shapes.check("rand", shape);
    float[] d = new float[Shapes.size(s)];
    gen.fillUniform(d);
    return wrap(d, s);
  }

  /** Standard normal, drawn in row-major order from {@code gen}. */
  public static Tensor randn(Generator gen, int... shape) {
    int[] s = Shapes.check("randn", shape);
    float[] d = new float[Shapes.size(s)];
    gen.fillNormal(d);
    return wrap(d, s);
  }

  /** Whole numbers uniform in [low, high), drawn in row-major order from {@code gen}. */
  public static Tensor randint(Generator gen, int low, int high, int... shape) {
    int[] s = Shapes.check("randint", shape);
    if (high <= low) {
      throw new IllegalArgumentException("randint: high " + high + " must be greater than low " + low);
    }
    float[] d = new float[Shapes.size(s)];
    gen.fillIntegers(d, low, high);
    return wrap(d, s);
  }

  /** Zeros of this tensor's shape. */
  public Tensor zerosLike() {
    return zeros(shape);
  }

  /** Ones of this tensor's shape. */
  public Tensor onesLike() {
    return ones(shape);
  }

  // ---------------------------------------------------------------- shape and data

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Size of dimension {@code dim} (negative counts from the end). */
  public int size(int dim) {
    return shape[Shapes.dim("size", dim, shape.length)];
  }

  /** Number of elements. */
  public int numel() {
    return size;
  }

  /** Number of dimensions. */
  public int dim() {
    return shape.length;
  }

  /** The single value of a one-element tensor. */
  public float item() {
    if (size != 1) {
      throw new IllegalStateException("item: a tensor of shape " + Shapes.str(shape) + " has " + size
          + " elements; item() needs exactly one");
    }
    return storage.data[offset];
  }

  /** The element at {@code index} (one index per dimension; negative counts from the end). */
  public float get(int... index) {
    return storage.data[offset + flatIndex("get", index)];
  }

  /** Sets the element at {@code index}, in place (see {@link #fill} for the rules). */
  public Tensor set(float value, int... index) {
    int i = flatIndex("set", index);
    checkInPlace("set");
    storage.data[offset + i] = value;
    storage.version++;
    return this;
  }

  private int flatIndex(String op, int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of shape " + Shapes.str(shape));
    }
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      int i = index[d];
      if (i < -shape[d] || i >= shape[d]) {
        throw new IndexOutOfBoundsException(op + ": index " + i + " is out of range for dimension " + d + " of size "
            + shape[d] + " (shape " + Shapes.str(shape) + ")");
      }
      flat = flat * shape[d] + (i < 0 ? i + shape[d] : i);
    }
    return flat;
  }

  /** A copy of the elements in row-major order. */
  public float[] toArray() {
    return Arrays.copyOfRange(storage.data, offset, offset + size);
  }

  // ---------------------------------------------------------------- autograd

  /** Whether gradients flow to this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf tensor as a parameter whose gradient backward accumulates into {@link #grad()}. */
  public Tensor requiresGrad(boolean flag) {
    if (gradFn != null) {
      throw new IllegalStateException("requiresGrad: only leaf tensors can change requiresGrad; this one was made by '"
          + gradFn.op + "' (use detach() for a leaf copy)");
    }
    this.requiresGrad = flag;
    return this;
  }

  /** True for tensors no op made: user-created tensors and parameters. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The name of the op that made this tensor, or null for a leaf. */
  public String gradFn() {
    return gradFn == null ? null : gradFn.op;
  }

  /** The accumulated gradient (same shape), or null before the first backward that reaches it. */
  public Tensor grad() {
    return grad;
  }

  /** Also keep the gradient of this non-leaf tensor in {@link #grad()} during backward. */
  public Tensor retainGrad() {
    if (!requiresGrad) {
      throw new IllegalStateException("retainGrad: the tensor does not require grad");
    }
    retainsGrad = true;
    return this;
  }

  /** Sets the gradient to zero (keeping its storage) if there is one. */
  public void zeroGrad() {
    if (grad != null) {
      Elementwise.fill(grad.storage.data, grad.offset, grad.size, 0f);
      grad.storage.version++;
    }
  }

  /** Drops the gradient, like {@code param.grad = None}. */
  public void clearGrad() {
    grad = null;
  }

  void accumulateGrad(float[] g, boolean owned) {
    if (grad == null) {
      grad = wrap(owned ? g : g.clone(), shape.clone());
    } else {
      Elementwise.addInto(g, 0, grad.storage.data, grad.offset, size);
      grad.storage.version++;
    }
  }

  /** Backward from a one-element tensor (a loss): gradients of it reach every leaf that requires grad. */
  public void backward() {
    backward(null, false);
  }

  /** Backward with an explicit upstream {@code gradient} of this tensor's shape (null for a one-element tensor). */
  public void backward(Tensor gradient) {
    backward(gradient, false);
  }

  /**
   * Backward that keeps the graph's saved tensors when {@code retainGraph}, so a second backward
   * through the same graph works; without it a second backward throws.
   */
  public void backward(Tensor gradient, boolean retainGraph) {
    if (!requiresGrad) {
      throw new IllegalStateException("backward: the tensor does not require grad and has no gradFn;"
          + " mark an input with requiresGrad(true) before computing it");
    }
    float[] seed;
    if (gradient == null) {
      if (size != 1) {
        throw new IllegalArgumentException("backward: a gradient can be implied only for a one-element output; this output"
            + " has shape " + Shapes.str(shape) + ", so pass backward(gradient) of that shape");
      }
      seed = new float[] {1f};
    } else {
      if (!Arrays.equals(gradient.shape, shape)) {
        throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(gradient.shape)
            + " for an output of shape " + Shapes.str(shape));
      }
      seed = gradient.toArray();
    }
    Autograd.backward(this, seed, retainGraph);
  }

  /** A leaf sharing this tensor's storage, cut from the graph. */
  public Tensor detach() {
    return new Tensor(storage, offset, shape.clone());
  }

  /** A new leaf with a copy of the data. */
  public Tensor copy() {
    return wrap(toArray(), shape.clone());
  }

  // ---------------------------------------------------------------- in place

  /** Sets every element to {@code value} in place. */
  public Tensor fill(float value) {
    checkInPlace("fill");
    Elementwise.fill(storage.data, offset, size, value);
    storage.version++;
    return this;
  }

  /** Sets every element to zero in place. */
  public Tensor zero() {
    return fill(0f);
  }

  /** Copies {@code src} (broadcast to this shape) into this tensor in place. */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    checkInPlaceOperand("copyFrom", src);
    float[] expanded = Broadcast.expand(src.storage.data, src.offset, src.shape, shape);
    System.arraycopy(expanded, 0, storage.data, offset, size);
    storage.version++;
    return this;
  }

  /** this += other (broadcast to this shape), in place. */
  public Tensor addInPlace(Tensor other) {
    return addInPlace(other, 1f);
  }

  /** this += alpha · other (broadcast to this shape), in place, like {@code add_(other, alpha=...)}. */
  public Tensor addInPlace(Tensor other, float alpha) {
    checkInPlace("addInPlace");
    checkInPlaceOperand("addInPlace", other);
    float[] src = other.storage.data;
    int so = other.offset;
    if (!Arrays.equals(other.shape, shape)) {
      src = Broadcast.expand(src, so, other.shape, shape);
      so = 0;
    }
    Elementwise.axpy(alpha, src, so, storage.data, offset, size);
    storage.version++;
    return this;
  }

  /** this −= other (broadcast to this shape), in place. */
  public Tensor subInPlace(Tensor other) {
    return addInPlace(other, -1f);
  }

  /** this ·= factor, in place. */
  public Tensor mulInPlace(float factor) {
    checkInPlace("mulInPlace");
    Elementwise.mulScalar(storage.data, offset, factor, storage.data, offset, size);
    storage.version++;
    return this;
  }

  /**
   * In-place changes are refused while the graph is being recorded through this tensor: on a leaf
   * that requires grad (as PyTorch refuses) and on a tensor an op made (this engine does not rewrite
   * history). Inside {@link Autograd#noGrad()} they are allowed; saved copies are checked at backward.
   */
  private void checkInPlace(String op) {
    if (Autograd.isGradEnabled() && requiresGrad) {
      throw new IllegalStateException(op + ": a " + (gradFn == null ? "leaf tensor that requires grad" : "tensor made by '"
          + gradFn.op + "'") + " cannot change in place while grad is recorded; do it inside Autograd.noGrad()");
    }
  }

  private static void checkInPlaceOperand(String op, Tensor other) {
    if (Autograd.isGradEnabled() && other.requiresGrad) {
      throw new IllegalStateException(op + ": the operand requires grad, and an in-place op does not record a graph;"
          + " do it inside Autograd.noGrad() or use the out-of-place op");
    }
  }

  // ---------------------------------------------------------------- elementwise (Arithmetic, Pointwise)

  /** this + other, broadcast. */
  public Tensor add(Tensor other) {
    return Arithmetic.add(this, other);
  }

  /** this + s. */
  public Tensor add(float s) {
    return Arithmetic.addScalar(this, s);
  }

  /** this − other, broadcast. */
  public Tensor sub(Tensor other) {
    return Arithmetic.sub(this, other);
  }

  /** this − s. */
  public Tensor sub(float s) {
    return Arithmetic.addScalar(this, -s);
  }

  /** s − this. */
  public Tensor rsub(float s) {
    return Arithmetic.rsubScalar(this, s);
  }

  /** this · other, broadcast. */
  public Tensor mul(Tensor other) {
    return Arithmetic.mul(this, other);
  }

  /** this · s. */
  public Tensor mul(float s) {
    return Arithmetic.mulScalar(this, s);
  }

  /** this / other, broadcast. */
  public Tensor div(Tensor other) {
    return Arithmetic.div(this, other);
  }

  /** this / s. */
  public Tensor div(float s) {
    return Arithmetic.divScalar(this, s);
  }

  /** s / this. */
  public Tensor rdiv(float s) {
    return Arithmetic.rdivScalar(this, s);
  }

  /** −this. */
  public Tensor neg() {
    return Arithmetic.neg(this);
  }

  /** Elementwise larger of this and other, broadcast; ties split the gradient evenly, as PyTorch. */
  public Tensor maximum(Tensor other) {
    return Arithmetic.maximum(this, other);
  }

  /** Elementwise smaller of this and other, broadcast; ties split the gradient evenly. */
  public Tensor minimum(Tensor other) {
    return Arithmetic.minimum(this, other);
  }

  /** this ^ p for a scalar exponent. */
  public Tensor pow(float p) {
    return Pointwise.pow(this, p);
  }

  /** e ^ this. */
  public Tensor exp() {
    return Pointwise.exp(this);
  }

  /** Natural logarithm. */
  public Tensor log() {
    return Pointwise.log(this);
  }

  /** Square root. */
  public Tensor sqrt() {
    return Pointwise.sqrt(this);
  }

  /** Absolute value; its gradient at 0 is 0, as PyTorch. */
  public Tensor abs() {
    return Pointwise.abs(this);
  }

  /** Limits every element to [min, max]; the gradient passes where min ≤ x ≤ max. */
  public Tensor clamp(float min, float max) {
    return Pointwise.clamp(this, min, max);
  }

  /** Limits every element to at least {@code min}. */
  public Tensor clampMin(float min) {
    return Pointwise.clamp(this, min, Float.POSITIVE_INFINITY);
  }

  /** Limits every element to at most {@code max}. */
  public Tensor clampMax(float max) {
    return Pointwise.clamp(this, Float.NEGATIVE_INFINITY, max);
  }

  // ---------------------------------------------------------------- reductions (Reduce)

  /** Sum of all elements, a scalar. */
  public Tensor sum() {
    return Reduce.sum(this);
  }

  /** Sum over {@code dim}, which is removed from the shape. */
  public Tensor sum(int dim) {
    return Reduce.sum(this, dim, false);
  }

  /** Sum over {@code dim}, kept as size 1 when {@code keepDim}. */
  public Tensor sum(int dim, boolean keepDim) {
    return Reduce.sum(this, dim, keepDim);
  }

  /** Mean of all elements (NaN for an empty tensor, as PyTorch). */
  public Tensor mean() {
    return Reduce.sum(this).div(size);
  }

  /** Mean over {@code dim}. */
  public Tensor mean(int dim) {
    return mean(dim, false);
  }

  /** Mean over {@code dim}, kept as size 1 when {@code keepDim}. */
  public Tensor mean(int dim, boolean keepDim) {
    int d = Shapes.dim("mean", dim, shape.length);
    return Reduce.sum(this, d, keepDim).div(shape.length == 0 ? 1 : shape[d]);
  }

  /** Largest element; its gradient is split evenly among ties, as PyTorch's max(). */
  public Tensor max() {
    return Reduce.extreme(this, true);
  }

  /** Largest values over {@code dim}; the gradient goes to the index {@link #argmax(int, boolean)} gives. */
  public Tensor max(int dim, boolean keepDim) {
    return Reduce.extreme(this, dim, keepDim, true);
  }

  /** Smallest element. */
  public Tensor min() {
    return Reduce.extreme(this, false);
  }

  /** Smallest values over {@code dim}. */
  public Tensor min(int dim, boolean keepDim) {
    return Reduce.extreme(this, dim, keepDim, false);
  }

  /** Flat index of the first largest element (NaN counts as largest), a scalar. */
  public Tensor argmax() {
    return Reduce.argExtreme(this, true);
  }

  /** Index of the first largest element along {@code dim}. */
  public Tensor argmax(int dim, boolean keepDim) {
    return Reduce.argExtreme(this, dim, keepDim, true);
  }

  /** Flat index of the first smallest element, a scalar. */
  public Tensor argmin() {
    return Reduce.argExtreme(this, false);
  }

  /** Index of the first smallest element along {@code dim}. */
  public Tensor argmin(int dim, boolean keepDim) {
    return Reduce.argExtreme(this, dim, keepDim, false);
  }

  /** Euclidean (2-)norm of all elements; its gradient at 0 is 0, as PyTorch. */
  public Tensor norm() {
    return Reduce.norm2(this, -1, false, true);
  }

  /** Euclidean norm over {@code dim}. */
  public Tensor norm(int dim, boolean keepDim) {
    return Reduce.norm2(this, dim, keepDim, false);
  }

  /**
   * p-norm of all elements: (Σ|x|^p)^(1/p) for finite p ≥ 1, max |x| for p = +∞. p = 2 is
   * {@link #norm()}.
   */
  public Tensor norm(float p) {
    if (p == 2f) {
      return norm();
    }
    if (p == Float.POSITIVE_INFINITY) {
      return abs().max();
    }
    if (!(p >= 1f)) {
      throw new IllegalArgumentException("norm: p must be at least 1 or infinite, got " + p);
    }
    Tensor s = abs().pow(p).sum();
    return p == 1f ? s : s.pow(1f / p);
  }

  // ---------------------------------------------------------------- views and layout (Views)

  /** The same elements in {@code newShape} (one entry may be −1, inferred); shares storage. */
  public Tensor reshape(int... newShape) {
    return Views.reshape(this, newShape, "reshape");
  }

  /** Same as {@link #reshape}: every tensor here is contiguous, so a view always exists. */
  public Tensor view(int... newShape) {
    return Views.reshape(this, newShape, "view");
  }

  /** Flattened to one dimension. */
  public Tensor flatten() {
    return Views.reshape(this, new int[] {size}, "flatten");
  }

  /** Drops every dimension of size 1. */
  public Tensor squeeze() {
    return Views.squeeze(this);
  }

  /** Drops dimension {@code dim} if its size is 1 (otherwise returns an equal view, as PyTorch). */
  public Tensor squeeze(int dim) {
    return Views.squeeze(this, dim);
  }

  /** Inserts a dimension of size 1 at {@code dim}. */
  public Tensor unsqueeze(int dim) {
    return Views.unsqueeze(this, dim);
  }

  /** Rows {@code [start, end)} of dimension 0, sharing storage. */
  public Tensor slice(int start, int end) {
    return Views.slice(this, start, end);
  }

  /** Row {@code index} of dimension 0 (that dimension removed), sharing storage. */
  public Tensor select(int index) {
    return Views.select(this, index);
  }

  /** The 2-D transpose, or dimensions {@code d0} and {@code d1} swapped; copies. */
  public Tensor transpose(int d0, int d1) {
    int r = shape.length;
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = i;
    }
    int a = Shapes.dim("transpose", d0, r);
    int b = Shapes.dim("transpose", d1, r);
    if (r == 0) {
      return Views.permute(this, perm, "transpose"); // torch allows transpose(0, -1) of a 0-d tensor
    }
    perm[a] = b;
    perm[b] = a;
    return Views.permute(this, perm, "transpose");
  }

  /** Transpose of a 2-D tensor, like {@code t()}. */
  public Tensor t() {
    if (shape.length != 2) {
      throw new IllegalArgumentException("t: needs a 2-D tensor, got shape " + Shapes.str(shape));
    }
    return transpose(0, 1);
  }

  /** Dimensions reordered: result dimension i is this tensor's dimension {@code perm[i]}; copies. */
  public Tensor permute(int... perm) {
    return Views.permute(this, perm, "permute");
  }

  /**
   * Dimension {@code source} moved to position {@code destination}, the others keeping their order
   * (a copy, as {@link #permute}), like {@code torch.movedim}; negative dimensions count from the end.
   */
  public Tensor movedim(int source, int destination) {
    int rank = shape.length;
    return Views.permute(this, Shapes.movedim(rank, Shapes.dim("movedim", source, rank),
        Shapes.dim("movedim", destination, rank)), "movedim");
  }

  /** Tensors joined along {@code dim}; all other dimensions must agree. */
  public static Tensor cat(int dim, Tensor... tensors) {
    return Views.cat(dim, tensors);
  }

  // ---------------------------------------------------------------- matrix products

  /**
   * Matrix product with torch.matmul's rules: {@code [k] @ [k]} is a dot product (a scalar);
   * {@code [m, k] @ [k, n]} is {@code [m, n]}; a 1-D left operand acts as a row and a 1-D right one as a
   * column, that dimension then dropped; leading (batch) dimensions broadcast, e.g.
   * {@code [b, m, k] @ [k, n]} is {@code [b, m, n]}. Runs on the SGEMM kernel, multithreaded for large
   * products; the backward uses its transposed variants.
   */
  public Tensor matmul(Tensor other) {
    return MatMul.matmul(this, other);
  }

  /**
   * {@code this·weightᵀ + bias}, as torch.nn.functional.linear: this is {@code [..., in]}, weight is
   * {@code [out, in]}, bias is {@code [out]} or null for none; the result is {@code [..., out]}. One
   * kernel call, the bias added in its epilogue.
   */
  public Tensor linear(Tensor weight, Tensor bias) {
    return MatMul.linear(this, weight, bias);
  }

  // ---------------------------------------------------------------- printing

  /** PyTorch's style: {@code tensor([[1.0000, 2.0000]], requiresGrad=true)}. */
  @Override
  public String toString() {
    return TensorFormat.format(this);
  }

  // ---------------------------------------------------------------- kernel access (optim, nn)

  /** Receives exactly one tensor's elements: {@code array[offset, offset + size)}, row-major. */
  @FunctionalInterface
  public interface RangeWriter {
    /** Reads and overwrites {@code array[offset, offset + size)} (a kernel call); touches nothing else. */
    void write(float[] array, int offset, int size);
  }

  /** Receives exactly one tensor's elements to read: {@code array[offset, offset + size)}. */
  @FunctionalInterface
  public interface RangeReader {
    /** Reads {@code array[offset, offset + size)} (a kernel call's input); must not write to it. */
    void read(float[] array, int offset, int size);
  }

  /**
   * Hands this tensor's elements to {@code writer} (a kernel that updates them in place, such as an
   * optimizer step or an initializer) and then records the change, so a graph that saved this tensor
   * refuses to run its backward on the new values. Refused, like {@link #fill}, on a tensor that
   * requires grad while grad is recorded (use {@link Autograd#noGrad()}). Returns this.
   */
  public Tensor updateInPlace(RangeWriter writer) {
    checkInPlace("updateInPlace");
    try {
      writer.write(storage.data, offset, size);
    } finally {
      storage.version++;
    }
    return this;
  }

  /**
   * Hands this tensor's elements to {@code reader} (a kernel reading them as an input, without a
   * copy); the reader must not write to the array. Returns this.
   */
  public Tensor readRange(RangeReader reader) {
    reader.read(storage.data, offset, size);
    return this;
  }

  /**
   * Rows of this 2-D tensor (an embedding table of shape [num, dim]) picked by {@code indices}, a
   * tensor of whole numbers of any shape: the result has shape {@code indices.shape + [dim]}, like
   * {@code F.embedding(indices, weight)}. The gradient of a row picked several times is summed.
   */
  public Tensor embedding(Tensor indices) {
    return Gather.embedding(this, indices);
  }

  // ---- activations (issue 4) ----

  /** max(x, 0) elementwise, as {@code torch.relu}: NaN and −0 pass through; the gradient at 0 is 0. */
  public Tensor relu() {
    return Activation.relu(this);
  }

  /** x where x > 0, else 0.01·x ({@code torch.nn.functional.leaky_relu}'s default slope). */
  public Tensor leakyRelu() {
    return Activation.leakyRelu(this, 0.01f);
  }

  /** x where x > 0, else {@code negativeSlope}·x. */
  public Tensor leakyRelu(float negativeSlope) {
    return Activation.leakyRelu(this, negativeSlope);
  }

  /** 1/(1 + e^−x) elementwise, without overflow for any input. */
  public Tensor sigmoid() {
    return Activation.sigmoid(this);
  }

  /** Hyperbolic tangent elementwise. */
  public Tensor tanh() {
    return Activation.tanh(this);
  }

  /** The exact GELU, x·Φ(x) with Φ the standard normal CDF ({@code approximate='none'}). */
  public Tensor gelu() {
    return Activation.gelu(this, GeluApproximate.NONE);
  }

  /** GELU in the chosen form: exact, or PyTorch's tanh approximation. */
  public Tensor gelu(GeluApproximate approximate) {
    return Activation.gelu(this, approximate);
  }

  /** x·sigmoid(x) (SiLU, also called swish). */
  public Tensor silu() {
    return Activation.silu(this);
  }

  /** log(1 + e^x), with PyTorch's defaults beta = 1 and threshold = 20. */
  public Tensor softplus() {
    return Activation.softplus(this, 1f, 20f);
  }

  /** log(1 + e^(beta·x))/beta, or x itself where beta·x > threshold (as PyTorch); beta > 0. */
  public Tensor softplus(float beta, float threshold) {
    return Activation.softplus(this, beta, threshold);
  }

  /** e^x / Σ e^x along {@code dim} (negative counts from the end), computed through the row maximum. */
  public Tensor softmax(int dim) {
    return Activation.softmax(this, dim, false);
  }

  /** x − log Σ e^x along {@code dim}: the log of {@link #softmax(int)} without its underflow. */
  public Tensor logSoftmax(int dim) {
    return Activation.softmax(this, dim, true);
  }
}
