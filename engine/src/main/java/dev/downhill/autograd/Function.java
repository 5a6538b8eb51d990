package dev.downhill.autograd;

import java.util.Arrays;

/**
 * A user-defined differentiable op, like {@code torch.autograd.Function}: write the forward and its
 * backward side by side, then check the pair with {@link GradCheck}.
 *
 * <pre>{@code
 * Function cube = new Function("cube") {
 *   protected Tensor forward(Context ctx, Tensor... x) {
 *     ctx.saveForBackward(x[0]);
 *     return x[0].pow(3);
 *   }
 *   protected Tensor[] backward(Context ctx, Tensor g) {
 *     Tensor x = ctx.saved(0);
 *     return new Tensor[] {g.mul(x.pow(2)).mul(3)};
 *   }
 * };
 * Tensor y = cube.apply(x);
 * }</pre>
 *
 * The forward runs without recording a graph; {@link #apply} records one node for the whole op.
 * The backward gets the gradient of the output and returns one gradient per input, each of that
 * input's shape, or null for an input that gets none.
 */
public abstract class Function {
  private final String name;

  protected Function(String name) {
    this.name = name;
  }

  /** Computes the output from the inputs; may save tensors for the backward in {@code ctx}. */
  protected abstract Tensor forward(Context ctx, Tensor... inputs);

  /** Gradients of the inputs from the gradient {@code gradOutput} of the output. */
  protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

  /** Runs the forward and, if any input requires grad, records this op in the graph. */
  public final Tensor apply(Tensor... inputs) {
    Context ctx = new Context();
    Tensor out;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      out = forward(ctx, inputs);
    }
    Tensor y = out.detach(); // a fresh tensor object, even if the forward returned an input
    if (!Autograd.recording(inputs)) {
      return y;
    }
    int[] outShape = y.shape.clone();
    Node node = new Node(name, outShape, inputs) {
      void backward(float[] g, Grads grads) {
        ctx.node = this;
        Tensor[] gs = Function.this.backward(ctx, Tensor.wrap(g.clone(), outShape));
        if (gs.length != inputs.length) {
          throw new IllegalStateException(name + ": backward returned " + gs.length + " gradients for " + inputs.length
              + " inputs");
        }
        for (int i = 0; i < gs.length; i++) {
          if (gs[i] == null || !grads.needs(i)) {
            continue;
          }
          if (!Arrays.equals(gs[i].shape, inputs[i].shape)) {
            throw new IllegalStateException(name + ": backward returned a gradient of shape " + Shapes.str(gs[i].shape)
                + " for input " + i + " of shape " + Shapes.str(inputs[i].shape));
          }
          grads.add(i, gs[i].toArray());
        }
      }
    };
    node.save(ctx.saved);
    ctx.node = node;
    return y.madeBy(node);
  }

  /** What a forward leaves for its backward. */
  public static final class Context {
    private Tensor[] saved = new Tensor[0];
    private Node node;

    /** Keeps tensors for the backward; changing them in place before the backward is caught. */
    public void saveForBackward(Tensor... tensors) {
      saved = tensors.clone();
    }

    /** Saved tensor {@code i}, checked as the built-in ops check theirs. */
    public Tensor saved(int i) {
      return node == null ? saved[i] : node.saved(i);
    }
  }
}
