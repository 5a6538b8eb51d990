package dev.downhill.autograd;

import dev.downhill.kernels.Comparison;
import dev.downhill.kernels.Elementwise;
import dev.downhill.kernels.Layout;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional float32 array, row-major and contiguous, that records the ops made from it so
 * {@link #backward()} can compute gradients — the engine's {@code torch.Tensor}.
 *
 * <p>Shapes are {@code int[]}; a scalar has shape {@code []}. Elementwise ops broadcast as NumPy
 * does. Views ({@link #reshape}, {@link #view}, {@link #detach}, {@link #squeeze},
 * {@link #unsqueeze}, and {@link #narrow}/{@link #select} where the entries are contiguous) share
 * this tensor's storage; {@link #transpose}, {@link #permute}, {@link #expand} and {@link #cat} copy. In-place methods ({@link #fill}, {@link #addInPlace}, ...)
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
  /** Whether {@link #grad()} has handed the current gradient out, to code that may keep it. */
  private boolean gradHandedOut;
  /**
   * The array of a gradient {@link #clearGrad()} dropped that nobody had been handed: the next
   * backward that starts this leaf's gradient writes into it instead of a new array (see
   * {@link #takeGradBuffer}). Null when there is none.
   */
  private float[] spareGrad;

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

  /** 0 … n−1 in a random order drawn from {@code gen}, like {@code torch.randperm}; the same on every machine. */
  public static Tensor randperm(Generator gen, int n) {
    int[] p = gen.permutation(n);
    float[] d = new float[n];
    Layout.toFloat(p, d);
    return wrap(d, new int[] {n});
  }

  /**
   * Category indices drawn from the rows of {@code probs} (1-D [C] or 2-D [rows, C]; non-negative,
   * finite weights that need not sum to 1), like {@code torch.multinomial}: shape [numSamples] or
   * [rows, numSamples]. Without {@code replacement} no category repeats in a row, so a row needs at
   * least numSamples categories of positive weight.
   */
  public static Tensor multinomial(Generator gen, Tensor probs, int numSamples, boolean replacement) {
    int r = probs.shape.length;
    if (r != 1 && r != 2) {
      throw new IllegalArgumentException("multinomial: probs must be 1-D or 2-D, got shape " + Shapes.str(probs.shape));
    }
    if (numSamples <= 0) {
      throw new IllegalArgumentException("multinomial: numSamples must be positive, got " + numSamples);
    }
    int c = probs.shape[r - 1];
    int rows = r == 1 ? 1 : probs.shape[0];
    float[] w = probs.toArray();
    for (int row = 0; row < rows; row++) {
      int positive = 0;
      for (int j = 0; j < c; j++) {
        float v = w[row * c + j];
        if (!(v >= 0) || v == Float.POSITIVE_INFINITY) {
          throw new IllegalArgumentException("multinomial: probability " + v + " at " + (r == 1 ? "[" + j + "]"
              : "[" + row + ", " + j + "]") + " is not a finite non-negative number");
        }
        positive += v > 0 ? 1 : 0;
      }
      if (positive == 0 || (!replacement && positive < numSamples)) {
        throw new IllegalArgumentException("multinomial: row " + row + " has " + positive
            + " categories of positive weight; " + (positive == 0 ? "at least one is needed"
            : "sampling " + numSamples + " without replacement needs that many"));
      }
    }
    float[] out = new float[rows * numSamples];
    for (int row = 0; row < rows; row++) {
      gen.sampleCategorical(w, row * c, c, numSamples, replacement, out, row * numSamples);
    }
    return wrap(out, r == 1 ? new int[] {numSamples} : new int[] {rows, numSamples});
  }

  /**
   * Coordinate grids from 1-D tensors, like {@code torch.meshgrid(*tensors, indexing=…)}: with
   * {@code "ij"} output k has shape [n₀, n₁, …] and varies along dimension k; with {@code "xy"}
   * (NumPy's and matplotlib's default) the first two dimensions are swapped, so for (x, y) both
   * grids are [len(y), len(x)]. Gradients flow back to the inputs.
   */
  public static Tensor[] meshgrid(String indexing, Tensor... tensors) {
    if (!indexing.equals("ij") && !indexing.equals("xy")) {
      throw new IllegalArgumentException("meshgrid: indexing must be \"ij\" or \"xy\", got \"" + indexing + "\"");
    }
    int k = tensors.length;
    for (int i = 0; i < k; i++) {
      if (tensors[i].shape.length > 1) {
        throw new IllegalArgumentException("meshgrid: tensor " + i + " has shape " + Shapes.str(tensors[i].shape)
            + "; every input must be 0-D or 1-D");
      }
    }
    boolean xy = indexing.equals("xy") && k >= 2;
    int[] sizes = new int[k];
    for (int i = 0; i < k; i++) {
      sizes[i] = tensors[i].size;
    }
    if (xy) {
      int t = sizes[0];
      sizes[0] = sizes[1];
      sizes[1] = t;
    }
    Tensor[] out = new Tensor[k];
    for (int i = 0; i < k; i++) {
      int at = xy && i < 2 ? 1 - i : i; // the dimension input i varies along
      int[] view = new int[k];
      Arrays.fill(view, 1);
      view[at] = tensors[i].size;
      out[i] = tensors[i].reshape(view).expand(sizes);
    }
    return out;
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

  /**
   * The accumulated gradient (same shape), or null before the first backward that reaches it.
   * The tensor returned is the caller's to keep: a later {@link #clearGrad()} (zeroGrad) drops it
   * from this tensor but never reuses its array, so its values stay as they are.
   */
  public Tensor grad() {
    gradHandedOut |= grad != null;
    return grad;
  }

  /** The gradient without handing it out (see {@link Autograd#borrowGrad}). */
  Tensor borrowGrad() {
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

  /**
   * Drops the gradient, like {@code param.grad = None}. A gradient that {@link #grad()} never handed
   * out keeps its array here for the next backward to write into: allocating (and so zeroing) a new
   * array for every step's gradient cost 140 µs of the 8.5 MLP's 750 µs step, because fresh memory
   * is never in cache (issue 16). (PyTorch gets the same effect from its allocator, which hands a
   * freed block to the next allocation of that size.) The kept array stays allocated until a later
   * backward takes it or this tensor is collected: a frozen parameter holds its last gradient's
   * memory. Like the rest of {@code Tensor}, {@code grad()} and {@code clearGrad()} are not
   * synchronized: a thread that reads a gradient while another trains must not race the zeroGrad.
   */
  public void clearGrad() {
    if (grad != null && !gradHandedOut && grad.offset == 0 && grad.storage.data.length == size) {
      spareGrad = grad.storage.data;
    }
    grad = null;
    gradHandedOut = false;
  }

  /**
   * An array of {@code n} floats for this leaf's gradient, to be filled entirely and then passed to
   * {@link #accumulateGrad} as owned: the spare array of the last dropped gradient when this leaf
   * has no gradient now, else a new one. Its contents are unspecified unless {@code zeroed}.
   */
  float[] takeGradBuffer(int n, boolean zeroed) {
    float[] spare = spareGrad;
    spareGrad = null;
    if (grad != null || spare == null || spare.length != n) {
      return new float[n];
    }
    if (zeroed) {
      Arrays.fill(spare, 0f);
    }
    return spare;
  }

  void accumulateGrad(float[] g, boolean owned) {
    if (grad == null) {
      grad = wrap(owned ? g : g.clone(), shape.clone());
      gradHandedOut = false;
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
    return Unary.addScalar(this, s);
  }

  /** this − other, broadcast. */
  public Tensor sub(Tensor other) {
    return Arithmetic.sub(this, other);
  }

  /** this − s. */
  public Tensor sub(float s) {
    return Unary.addScalar(this, -s);
  }

  /** s − this. */
  public Tensor rsub(float s) {
    return Unary.rsubScalar(this, s);
  }

  /** this · other, broadcast. */
  public Tensor mul(Tensor other) {
    return Arithmetic.mul(this, other);
  }

  /** this · s. */
  public Tensor mul(float s) {
    return Unary.mulScalar(this, s);
  }

  /** this / other, broadcast. */
  public Tensor div(Tensor other) {
    return Arithmetic.div(this, other);
  }

  /** this / s. */
  public Tensor div(float s) {
    return Unary.divScalar(this, s);
  }

  /** s / this. */
  public Tensor rdiv(float s) {
    return Unary.rdivScalar(this, s);
  }

  /** −this. */
  public Tensor neg() {
    return Unary.neg(this);
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
    return Unary.pow(this, p);
  }

  /** e ^ this. */
  public Tensor exp() {
    return Unary.exp(this);
  }

  /** Natural logarithm. */
  public Tensor log() {
    return Unary.log(this);
  }

  /** Square root. */
  public Tensor sqrt() {
    return Unary.sqrt(this);
  }

  /** Absolute value; its gradient at 0 is 0, as PyTorch. */
  public Tensor abs() {
    return Unary.abs(this);
  }

  /** Limits every element to [min, max]; the gradient passes where min ≤ x ≤ max. */
  public Tensor clamp(float min, float max) {
    return Unary.clamp(this, min, max);
  }

  /** Limits every element to at least {@code min}. */
  public Tensor clampMin(float min) {
    return Unary.clamp(this, min, Float.POSITIVE_INFINITY);
  }

  /** Limits every element to at most {@code max}. */
  public Tensor clampMax(float max) {
    return Unary.clamp(this, Float.NEGATIVE_INFINITY, max);
  }

  /** Sine. */
  public Tensor sin() {
    return Unary.sin(this);
  }

  /** Cosine. */
  public Tensor cos() {
    return Unary.cos(this);
  }

  // ---------------------------------------------------------------- comparisons and masks (Indexed)

  /** 1 where this == other (broadcast), else 0: like {@code torch.eq} as a float tensor; never requires grad. */
  public Tensor eq(Tensor other) {
    return Indexed.compare("eq", Comparison.EQ, this, other);
  }

  /** 1 where this == s, else 0. */
  public Tensor eq(float s) {
    return Indexed.compare(Comparison.EQ, this, s);
  }

  /** 1 where this != other (NaN included), else 0. */
  public Tensor ne(Tensor other) {
    return Indexed.compare("ne", Comparison.NE, this, other);
  }

  /** 1 where this != s, else 0. */
  public Tensor ne(float s) {
    return Indexed.compare(Comparison.NE, this, s);
  }

  /** 1 where this &lt; other, else 0. */
  public Tensor lt(Tensor other) {
    return Indexed.compare("lt", Comparison.LT, this, other);
  }

  /** 1 where this &lt; s, else 0. */
  public Tensor lt(float s) {
    return Indexed.compare(Comparison.LT, this, s);
  }

  /** 1 where this ≤ other, else 0. */
  public Tensor le(Tensor other) {
    return Indexed.compare("le", Comparison.LE, this, other);
  }

  /** 1 where this ≤ s, else 0. */
  public Tensor le(float s) {
    return Indexed.compare(Comparison.LE, this, s);
  }

  /** 1 where this &gt; other, else 0. */
  public Tensor gt(Tensor other) {
    return Indexed.compare("gt", Comparison.GT, this, other);
  }

  /** 1 where this &gt; s, else 0. */
  public Tensor gt(float s) {
    return Indexed.compare(Comparison.GT, this, s);
  }

  /** 1 where this ≥ other, else 0. */
  public Tensor ge(Tensor other) {
    return Indexed.compare("ge", Comparison.GE, this, other);
  }

  /** 1 where this ≥ s, else 0. */
  public Tensor ge(float s) {
    return Indexed.compare(Comparison.GE, this, s);
  }

  /**
   * {@code a} where {@code condition} is nonzero, else {@code b}, all three broadcast, like
   * {@code torch.where}; the gradient goes to the branch that was taken.
   */
  public static Tensor where(Tensor condition, Tensor a, Tensor b) {
    return Indexed.where(condition, a, b);
  }

  /**
   * {@code value} where {@code mask} (broadcast to this shape) is nonzero, this tensor elsewhere,
   * like {@code masked_fill}; out of place. The filled places get no gradient.
   */
  public Tensor maskedFill(Tensor mask, float value) {
    return Indexed.maskedFill(this, mask, value);
  }

  /** The lower triangle of the last two dimensions: elements with column − row ≤ {@code diagonal} kept, others 0, like {@code torch.tril}. */
  public Tensor tril(int diagonal) {
    return Indexed.triangle(this, diagonal, false);
  }

  /** The upper triangle: elements with column − row ≥ {@code diagonal} kept, like {@code torch.triu}. */
  public Tensor triu(int diagonal) {
    return Indexed.triangle(this, diagonal, true);
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

  /** Values and indices, as {@code torch.max(x, dim)} and {@code torch.topk} return them. */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  /**
   * Largest values over {@code dim} (removed) and their indices, like {@code torch.max(x, dim)};
   * the first largest wins a tie, and only it receives the gradient.
   */
  public ValuesIndices max(int dim) {
    return Reduce.extreme(this, dim, false, true);
  }

  /** {@link #max(int)}, the dimension kept as size 1 when {@code keepDim}. */
  public ValuesIndices max(int dim, boolean keepDim) {
    return Reduce.extreme(this, dim, keepDim, true);
  }

  /** Smallest element. */
  public Tensor min() {
    return Reduce.extreme(this, false);
  }

  /** Smallest values over {@code dim} (removed) and their indices, like {@code torch.min(x, dim)}. */
  public ValuesIndices min(int dim) {
    return Reduce.extreme(this, dim, false, false);
  }

  /** {@link #min(int)}, the dimension kept as size 1 when {@code keepDim}. */
  public ValuesIndices min(int dim, boolean keepDim) {
    return Reduce.extreme(this, dim, keepDim, false);
  }

  /**
   * The {@code k} largest entries along {@code dim}, sorted from the largest, and their indices,
   * like {@code torch.topk(x, k, dim)}; NaN counts as the largest, ties keep the lower index first.
   * The values carry the gradient back to where they came from.
   */
  public ValuesIndices topk(int k, int dim) {
    return Indexed.topk(this, k, dim, true);
  }

  /** {@link #topk(int, int)}, the smallest instead when {@code largest} is false (sorted from the smallest). */
  public ValuesIndices topk(int k, int dim, boolean largest) {
    return Indexed.topk(this, k, dim, largest);
  }

  /**
   * Variance over {@code dim}: Σ(x − mean)² / (n − correction), like
   * {@code torch.var(x, dim, correction=…, keepdim=…)}; correction 1 is the unbiased estimate,
   * 0 the population variance. n − correction ≤ 0 gives inf or NaN, as PyTorch.
   */
  public Tensor var(int dim, int correction, boolean keepDim) {
    int d = Shapes.dim("var", dim, shape.length);
    int n = shape.length == 0 ? 1 : shape[d];
    Tensor centred = sub(mean(d, true));
    return centred.mul(centred).sum(d, keepDim).div((float) Math.max(0, n - correction));
  }

  /** Variance of all elements with {@code correction} (1: unbiased, as {@code torch.var(x)}). */
  public Tensor var(int correction) {
    Tensor centred = sub(mean());
    return centred.mul(centred).sum().div((float) Math.max(0, size - correction));
  }

  /** Standard deviation over {@code dim}: the square root of {@link #var(int, int, boolean)}. */
  public Tensor std(int dim, int correction, boolean keepDim) {
    return var(dim, correction, keepDim).sqrt();
  }

  /** Standard deviation of all elements with {@code correction}. */
  public Tensor std(int correction) {
    return var(correction).sqrt();
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

  /**
   * {@code length} entries of dimension {@code dim} from {@code start} (negative counts from the
   * end), like {@code torch.narrow}: a view sharing storage when every dimension before {@code dim}
   * has size 1 (always for dimension 0), otherwise a copy.
   */
  public Tensor narrow(int dim, int start, int length) {
    return Indexed.narrow(this, dim, start, length);
  }

  /**
   * Entry {@code index} of dimension {@code dim}, that dimension removed, like {@code torch.select}
   * ({@code x[:, i]} for dim 1): a view or a copy as {@link #narrow}.
   */
  public Tensor select(int dim, int index) {
    return Indexed.select(this, dim, index);
  }

  /**
   * Entries of dimension {@code dim} picked by {@code index} (a 1-D tensor of whole numbers,
   * repeats allowed), like {@code torch.index_select}; a copy. The gradient of an entry picked
   * several times is summed.
   */
  public Tensor indexSelect(int dim, Tensor index) {
    return Indexed.indexSelect(this, dim, index);
  }

  /**
   * {@code torch.gather}: {@code out[i][j][k] = this[index[i][j][k]][j][k]} for dim 0 (and so on),
   * {@code index} having this tensor's rank and no dimension larger than this tensor's except
   * {@code dim}; the result has {@code index}'s shape. The backward scatter-adds into the source.
   */
  public Tensor gather(int dim, Tensor index) {
    return Indexed.gather(this, dim, index);
  }

  /** This tensor broadcast to {@code sizes} (−1 keeps a size; new dimensions go in front), like {@code expand}; a copy here. */
  public Tensor expand(int... sizes) {
    return Views.expand(this, sizes);
  }

  /** Tensors of equal shape joined along a new dimension {@code dim}, like {@code torch.stack}. */
  public static Tensor stack(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    Tensor[] parts = new Tensor[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
        throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(tensors[i].shape)
            + ", tensor 0 has " + Shapes.str(tensors[0].shape) + "; all must be equal");
      }
      parts[i] = tensors[i].unsqueeze(dim);
    }
    return cat(dim, parts);
  }

  /**
   * Pieces of {@code splitSize} entries along {@code dim} (the last may be smaller), like
   * {@code torch.split(tensor, split_size, dim)}; each a {@link #narrow}.
   */
  public Tensor[] split(int splitSize, int dim) {
    if (splitSize <= 0) {
      throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
    }
    int n = size(dim);
    int pieces = Math.max(1, (n + splitSize - 1) / splitSize);
    int[] sizes = new int[pieces];
    for (int i = 0; i < pieces; i++) {
      sizes[i] = Math.min(splitSize, n - i * splitSize);
    }
    return split(sizes, dim);
  }

  /** Pieces of the given sizes along {@code dim}, which must add up to its size, like {@code torch.split} with a list. */
  public Tensor[] split(int[] sizes, int dim) {
    int n = size(dim);
    long total = 0;
    for (int s : sizes) {
      if (s < 0) {
        throw new IllegalArgumentException("split: sizes must be non-negative, got " + Arrays.toString(sizes));
      }
      total += s;
    }
    if (total != n) {
      throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
          + ", but dimension " + dim + " has size " + n);
    }
    Tensor[] out = new Tensor[sizes.length];
    for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) {
      out[i] = narrow(dim, at, sizes[i]);
    }
    return out;
  }

  /**
   * At most {@code chunks} pieces along {@code dim}, each of ⌈size/chunks⌉ entries but the last,
   * like {@code torch.chunk} (so fewer pieces may come back).
   */
  public Tensor[] chunk(int chunks, int dim) {
    if (chunks <= 0) {
      throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
    }
    int n = size(dim);
    return split(Math.max(1, (n + chunks - 1) / chunks), dim);
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
   * Receives several tensors' elements at once: written tensor i is
   * {@code written[i][writtenOffsets[i], writtenOffsets[i] + size)}, read tensor i likewise.
   */
  @FunctionalInterface
  public interface RangesWriter {
    /** Overwrites the ranges of the written tensors and only reads those of the read ones. */
    void write(float[][] written, int[] writtenOffsets, float[][] read, int[] readOffsets);
  }

  /**
   * {@link #updateInPlace} over several tensors in one call, for a kernel that does one pass over all
   * of them (an optimizer's step over a whole parameter group, split over threads as one range):
   * {@code writer} gets the ranges of {@code written} and of {@code read}, and each written tensor's
   * change is recorded afterwards. Each written tensor is checked as {@link #updateInPlace} checks
   * it, all before anything is written.
   */
  public static void updateInPlace(List<Tensor> written, List<Tensor> read, RangesWriter writer) {
    for (Tensor t : written) {
      t.checkInPlace("updateInPlace");
    }
    try {
      writer.write(arrays(written), offsets(written), arrays(read), offsets(read));
    } finally {
      for (Tensor t : written) {
        t.storage.version++;
      }
    }
  }

  private static float[][] arrays(List<Tensor> ts) {
    float[][] a = new float[ts.size()][];
    for (int i = 0; i < a.length; i++) a[i] = ts.get(i).storage.data;
    return a;
  }

  private static int[] offsets(List<Tensor> ts) {
    int[] o = new int[ts.size()];
    for (int i = 0; i < o.length; i++) o[i] = ts.get(i).offset;
    return o;
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
    return Indexed.embedding(this, indices);
  }

  // ---- activations (issue 4) ----

  /** max(x, 0) elementwise, as {@code torch.relu}: NaN and −0 pass through; the gradient at 0 is 0. */
  public Tensor relu() {
    return Unary.relu(this);
  }

  /** x where x > 0, else 0.01·x ({@code torch.nn.functional.leaky_relu}'s default slope). */
  public Tensor leakyRelu() {
    return Unary.leakyRelu(this, 0.01f);
  }

  /** x where x > 0, else {@code negativeSlope}·x. */
  public Tensor leakyRelu(float negativeSlope) {
    return Unary.leakyRelu(this, negativeSlope);
  }

  /** 1/(1 + e^−x) elementwise, without overflow for any input. */
  public Tensor sigmoid() {
    return Unary.sigmoid(this);
  }

  /** Hyperbolic tangent elementwise. */
  public Tensor tanh() {
    return Unary.tanh(this);
  }

  /** The exact GELU, x·Φ(x) with Φ the standard normal CDF ({@code approximate='none'}). */
  public Tensor gelu() {
    return Unary.gelu(this, GeluApproximate.NONE);
  }

  /** GELU in the chosen form: exact, or PyTorch's tanh approximation. */
  public Tensor gelu(GeluApproximate approximate) {
    return Unary.gelu(this, approximate);
  }

  /** x·sigmoid(x) (SiLU, also called swish). */
  public Tensor silu() {
    return Unary.silu(this);
  }

  /** log(1 + e^x), with PyTorch's defaults beta = 1 and threshold = 20. */
  public Tensor softplus() {
    return Unary.softplus(this, 1f, 20f);
  }

  /** log(1 + e^(beta·x))/beta, or x itself where beta·x > threshold (as PyTorch); beta > 0. */
  public Tensor softplus(float beta, float threshold) {
    return Unary.softplus(this, beta, threshold);
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
