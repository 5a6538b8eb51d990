package dev.downhill.autograd;

import dev.downhill.kernels.Elementwise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grad mode, anomaly mode, and the reverse-mode engine behind {@link Tensor#backward()}.
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {        // like torch.no_grad()
 *   w.subInPlace(w.grad().mul(lr));
 * }
 * try (var scope = Autograd.detectAnomaly()) { // like torch.autograd.detect_anomaly()
 *   loss.backward();                            // names the first op whose backward made NaN/inf
 * }
 * }</pre>
 *
 * Both modes are per thread and nest; closing a scope restores the previous mode.
 */
public final class Autograd {
  private Autograd() {}

  private static final ThreadLocal<boolean[]> MODES = ThreadLocal.withInitial(() -> new boolean[] {true, false});

  /** A mode switched on for the extent of a try-with-resources block. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Whether ops record the graph on this thread (false inside {@link #noGrad()}). */
  public static boolean isGradEnabled() {
    return MODES.get()[0];
  }

  /** Whether backward checks every gradient for NaN and infinity on this thread. */
  public static boolean anomalyEnabled() {
    return MODES.get()[1];
  }

  /** Stops recording the graph until the returned scope closes. */
  public static Scope noGrad() {
    return set(0, false);
  }

  /** Turns recording back on inside a {@link #noGrad()} block, like torch.enable_grad(). */
  public static Scope enableGrad() {
    return set(0, true);
  }

  /**
   * Anomaly mode until the scope closes: forward ops remember where they ran, and backward throws
   * at the first op whose backward produces a NaN or infinite gradient, naming the op.
   */
  public static Scope detectAnomaly() {
    return set(1, true);
  }

  /**
   * {@code p.grad()} for code that reads or updates the gradient during the call and keeps no
   * reference to it afterwards: optimizers, gradient clipping, gradient norms. Unlike
   * {@link Tensor#grad()} it does not hand the gradient out, so when zeroGrad drops it the next
   * backward may write the new gradient into the same array. Code that keeps the tensor (or a view
   * of it) past the next zeroGrad must use {@link Tensor#grad()}.
   */
  public static Tensor borrowGrad(Tensor p) {
    return p.borrowGrad();
  }

  /**
   * Drops the gradient of every tensor in {@code params} ({@code setToNone}, PyTorch 2.x's default)
   * or fills the existing ones with zeros (PyTorch 1.x): the body of {@code Module.zeroGrad} and
   * {@code Optimizer.zeroGrad}.
   */
  public static void zeroGrad(Iterable<Tensor> params, boolean setToNone) {
    for (Tensor p : params) {
      if (setToNone) {
        p.clearGrad();
      } else if (p.borrowGrad() != null) {
        p.borrowGrad().zero();
      }
    }
  }

  private static Scope set(int which, boolean value) {
    boolean[] modes = MODES.get();
    boolean before = modes[which];
    modes[which] = value;
    return () -> modes[which] = before;
  }

  /** Whether an op on these inputs must record a node. */
  static boolean recording(Tensor... inputs) {
    if (!isGradEnabled()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  /** Runs backward from {@code root} seeded with {@code seed} (contiguous, root's shape). */
  static void backward(Tensor root, float[] seed, boolean retainGraph) {
    if (root.gradFn == null || root.retainsGrad) {
      // The root is nobody's input, so the routing below never reaches it; torch gives a retained root its seed.
      root.accumulateGrad(seed, false);
    }
    if (root.gradFn == null) {
      return;
    }
    List<Node> order = topologicalOrder(root.gradFn);
    Map<Node, float[]> pending = new IdentityHashMap<>();
    pending.put(root.gradFn, seed);
    boolean anomaly = anomalyEnabled();
    // Gradients are not recorded as a graph themselves (no double backward).
    try (Scope ignored = noGrad()) {
      for (Node node : order) {
        float[] g = pending.remove(node);
        if (g == null) {
          continue; // no path from the root carries a gradient here
        }
        node.checkNotFreed();
        long t0 = OpTrace.start();
        node.backward(g, new Sink(node, pending, anomaly));
        OpTrace.stop(node.backwardName(), t0, node.backwardFlops, node.backwardBytes);
        if (!retainGraph) {
          node.free();
        }
      }
    }
  }

  /** Nodes reachable from {@code root}, each after every node that uses its output. */
  private static List<Node> topologicalOrder(Node root) {
    List<Node> post = new ArrayList<>();
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {node, next input index}
    stack.push(new Object[] {root, 0});
    seen.put(root, true);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Node n = (Node) top[0];
      int i = (Integer) top[1];
      if (i < n.inputs.length) {
        top[1] = i + 1;
        Node child = n.inputs[i].gradFn;
        if (child != null && n.inputs[i].requiresGrad && seen.put(child, true) == null) {
          stack.push(new Object[] {child, 0});
        }
      } else {
        stack.pop();
        post.add(n);
      }
    }
    java.util.Collections.reverse(post);
    return post;
  }

  /** Routes one node's input gradients: to the next node's pending gradient, or into a leaf's grad. */
  private static final class Sink implements Node.Grads {
    private final Node node;
    private final Map<Node, float[]> pending;
    private final boolean anomaly;
    /** Arrays this node's backward has handed over so far: a second hand-over of one is copied. */
    private final List<float[]> handed = new ArrayList<>(2);

    Sink(Node node, Map<Node, float[]> pending, boolean anomaly) {
      this.node = node;
      this.pending = pending;
      this.anomaly = anomaly;
    }

    @Override
    public boolean needs(int i) {
      return node.inputs[i].requiresGrad;
    }

    @Override
    public float[] buffer(int i, int n, boolean zeroed) {
      Tensor input = node.inputs[i];
      if (input.gradFn == null && input.requiresGrad && n == input.size) {
        return input.takeGradBuffer(n, zeroed);
      }
      return new float[n];
    }

    @Override
    public void add(int i, float[] g) {
      Tensor input = node.inputs[i];
      if (!input.requiresGrad) {
        return;
      }
      if (g.length != input.size) {
        throw new AssertionError("backward of '" + node.op + "' gave " + g.length + " gradient values for input " + i
            + " of shape " + Shapes.str(input.shape));
      }
      if (anomaly) {
        checkFinite(i, g);
      }
      boolean repeat = false;
      for (float[] h : handed) {
        repeat |= h == g;
      }
      if (repeat) {
        g = g.clone();
      }
      handed.add(g);
      if (input.gradFn == null) {
        input.accumulateGrad(g, true);
        return;
      }
      if (input.retainsGrad) {
        input.accumulateGrad(g, false);
      }
      float[] acc = pending.get(input.gradFn);
      if (acc == null) {
        pending.put(input.gradFn, g);
      } else {
        Elementwise.addInto(g, 0, acc, 0, g.length);
      }
    }

    private void checkFinite(int i, float[] g) {
      for (int k = 0; k < g.length; k++) {
        if (!Float.isFinite(g[k])) {
          IllegalStateException e = new IllegalStateException("anomaly: backward of '" + node.op + "' produced "
              + g[k] + " in the gradient of its input " + i + " (shape " + Shapes.str(node.inputs[i].shape)
              + ") at flat index " + k + "; the forward call is the cause below");
          if (node.createdAt != null) {
            e.initCause(node.createdAt);
          }
          throw e;
        }
      }
    }
  }
}
