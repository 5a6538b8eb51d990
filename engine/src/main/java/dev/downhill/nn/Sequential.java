package dev.downhill.nn;

import dev.downhill.autograd.Tensor;

/** Modules applied one after another, like {@code torch.nn.Sequential}; children are named "0", "1", .... */
public final class Sequential extends Module {
  private int size;

  public Sequential(Module... modules) {
    for (Module m : modules) {
      add(m);
    }
  }

  /** Appends a module; returns this. */
  public Sequential add(Module module) {
    registerModule(Integer.toString(size++), module);
    return this;
  }

  /** The module at {@code index}. */
  public Module get(int index) {
    Module m = namedChildren().get(Integer.toString(index));
    if (m == null) {
      throw new IndexOutOfBoundsException("Sequential: index " + index + " is out of range for " + size + " modules");
    }
    return m;
  }

  /** Number of modules. */
  public int size() {
    return size;
  }

  /** Each module's output is the next one's input. */
  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : namedChildren().values()) {
      x = m.forward(x);
    }
    return x;
  }
}
