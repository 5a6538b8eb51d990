package dev.downhill.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.data.Batch;
import dev.downhill.data.DataLoader;
import dev.downhill.data.TensorDataset;
import dev.downhill.kernels.Parallel;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Dropout;
import dev.downhill.nn.GELU;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.SGD;
import dev.downhill.optim.lr.CosineAnnealingLR;
import dev.downhill.optim.lr.LRScheduler;
import dev.downhill.optim.lr.LinearLR;
import dev.downhill.optim.lr.SequentialLR;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  /** A model whose parameters are named as PyTorch names them: layers.0.weight, ... */
  static final class Mlp extends Module {
    final Sequential layers;

    Mlp(int in, int hidden, int out, Generator init, Generator drop) {
      layers = registerModule("layers", new Sequential(new Linear(in, hidden, init), new GELU(), new Dropout(0.2, drop),
          new Linear(hidden, out, init)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return layers.forward(x);
    }
  }

  /** Everything of one training run, built from seeds. */
  static final class Run {
    final Generator init = new Generator(1);
    final Generator drop = new Generator(2);
    final Generator shuffle = new Generator(3);
    final Mlp model;
    final AdamW opt;
    final LRScheduler sched;
    final DataLoader loader;
    long step;

    Run(int in, int hidden, int batch) {
      Generator data = new Generator(100);
      Tensor x = Tensor.randn(data, 40, in);
      Tensor y = Tensor.randint(data, 0, 3, 40);
      model = new Mlp(in, hidden, 3, init, drop);
      opt = new AdamW(model.parameters(), AdamW.options().lr(1e-2).amsgrad(true));
      sched = new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 5), new CosineAnnealingLR(opt, 20)), 5);
      loader = new DataLoader(new TensorDataset(x, y), batch, true, false, shuffle);
    }

    Run() {
      this(6, 16, 8);
    }

    void epochs(int n) {
      for (int e = 0; e < n; e++) {
        for (Batch b : loader) {
          opt.zeroGrad();
          Loss.crossEntropy(model.forward(b.x()), b.y()).backward();
          opt.step();
          sched.step();
          step++;
        }
      }
    }

    void save(Path p) throws Exception {
      Checkpoint.save(p, model, opt, sched, step, init, drop, shuffle);
    }

    void load(Path p) throws Exception {
      step = Checkpoint.load(p, model, opt, sched, init, drop, shuffle);
    }
  }

  static void assertBits(Map<String, Tensor> want, Map<String, Tensor> got) {
    SafetensorsTest.assertSame(want, got);
  }

  static void assertSameOptimizer(Optimizer a, Optimizer b) {
    Optimizer.StateDict x = a.stateDict();
    Optimizer.StateDict y = b.stateDict();
    assertEquals(x.paramGroups(), y.paramGroups());
    assertEquals(x.state().keySet(), y.state().keySet());
    x.state().forEach((i, s) -> s.forEach((k, v) -> {
      Object w = y.state().get(i).get(k);
      if (v instanceof float[] f) {
        assertArrayEquals(f, (float[]) w, "state " + i + " " + k);
      } else {
        assertEquals(v, w, "state " + i + " " + k);
      }
    }));
  }

  @Test
  void roundTripOfEveryParameterAndOptimizerState() throws Exception {
    Run a = new Run();
    a.epochs(2);
    Path p = dir.resolve("ckpt.safetensors");
    a.save(p);
    Run b = new Run();
    b.load(p);
    assertEquals(10, b.step);
    assertBits(a.model.stateDict(), b.model.stateDict());
    assertSameOptimizer(a.opt, b.opt);
    assertArrayEquals(a.sched.lastLr(), b.sched.lastLr());
    assertEquals(a.sched.lastEpoch(), b.sched.lastEpoch());
    assertArrayEquals(a.init.state(), b.init.state());
    assertArrayEquals(a.drop.state(), b.drop.state());
    assertArrayEquals(a.shuffle.state(), b.shuffle.state());
    // PyTorch's names, and a plain load_file sees the model tensors under them
    Map<String, Tensor> file = Safetensors.loadFile(p);
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"),
        file.keySet().stream().filter(k -> !k.startsWith(Checkpoint.OPTIMIZER_PREFIX)).toList());
  }

  /**
   * Runs {@code pair}, two trainings that must agree bit for bit. (Once, on the first try: every
   * kernel a training step here runs gives the same bits before and after C2 compiles it, since
   * e^x is {@code kernels.VMath.exp} rather than the Vector API's EXP, whose Java fallback and SVML
   * differ by an ulp.)
   */
  static void assertAgree(java.util.function.Supplier<Run[]> pair) {
    Run[] r = pair.get();
    assertEquals(r[0].step, r[1].step);
    assertBits(r[0].model.stateDict(), r[1].model.stateDict());
    assertSameOptimizer(r[0].opt, r[1].opt);
    assertArrayEquals(r[0].sched.lastLr(), r[1].sched.lastLr());
  }

  @Test
  void resumedTrainingIsBitIdenticalToUninterruptedTraining() {
    Path p = dir.resolve("ckpt.safetensors");
    assertAgree(() -> {
      try {
        Run straight = new Run();
        straight.epochs(4);
        Run first = new Run();
        first.epochs(2);
        first.save(p);
        first.epochs(1); // the first run goes on and changes everything after the save
        Run resumed = new Run();
        resumed.load(p);
        resumed.epochs(2);
        return new Run[] {straight, resumed};
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void theSameSeedGivesTheSameBitsOnOneAndTwoThreads() {
    int before = Parallel.threads();
    try {
      assertAgree(() -> {
        Parallel.setThreads(1);
        Run one = new Run(256, 512, 40); // 40×256·512ᵀ products: large enough to split over the pool
        one.epochs(2);
        Parallel.setThreads(2);
        Run two = new Run(256, 512, 40);
        two.epochs(2);
        return new Run[] {one, two};
      });
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void aShapeThatDiffersIsNamedAndNothingIsLoaded() throws Exception {
    Run a = new Run();
    a.epochs(1);
    Path p = dir.resolve("ckpt.safetensors");
    a.save(p);
    Run wide = new Run(7, 16, 8);
    Map<String, Tensor> before = wide.model.stateDict();
    var e = assertThrows(IllegalArgumentException.class, () -> wide.load(p));
    assertEquals(p + ": the file does not fit the model: layers.0.weight: file has [16, 6], model has [16, 7]", e.getMessage());
    assertBits(before, wide.model.stateDict());
    assertEquals(0, wide.sched.lastEpoch());
  }

  @Test
  void missingAndUnexpectedParametersAreListed() throws Exception {
    Generator g = new Generator(0);
    Module small = new Sequential(new Linear(2, 3, g));
    Path p = dir.resolve("c.safetensors");
    Checkpoint.save(p, small, new SGD(small.parameters(), SGD.options().lr(0.1)), null, 0);
    Module other = new Sequential(new Linear(2, 3, g), new Linear(3, 1, g));
    var e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(p, other, new SGD(other.parameters(), SGD.options().lr(0.1)), null));
    assertEquals(p + ": the file does not fit the model: 1.weight: model has [1, 3], file has no such tensor; "
        + "1.bias: model has [1], file has no such tensor", e.getMessage());
  }

  @Test
  void anotherOptimizerScheduleOrGeneratorCountIsRefused() throws Exception {
    Run a = new Run();
    a.epochs(1);
    Path p = dir.resolve("ckpt.safetensors");
    a.save(p);
    Run b = new Run();
    var sgd = new SGD(b.model.parameters(), SGD.options().lr(0.1));
    var e1 = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p, b.model, sgd, b.sched, b.init, b.drop, b.shuffle));
    assertEquals(p + ": the checkpoint holds the state of a AdamW, the optimizer is a SGD", e1.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p, b.model, b.opt, b.sched, b.init));
    assertEquals(p + ": the checkpoint holds 3 generator states, 1 generator was passed (the same ones, in the same order, as to save)",
        e2.getMessage());
    var e3 = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p, b.model, b.opt, null, b.init, b.drop, b.shuffle));
    assertEquals(p + ": the checkpoint has a SequentialLR, but no scheduler was passed", e3.getMessage());
    b.sched.step();
    var e4 = assertThrows(IllegalArgumentException.class, () -> b.load(p));
    assertEquals(p + ": pass a freshly built scheduler (its epoch is 1, not 0): it is restored by replaying the saved steps",
        e4.getMessage());
  }

  @Test
  void aScheduleBuiltWithOtherOptionsIsCaughtByItsLearningRates() throws Exception {
    Generator g = new Generator(0);
    Module m = new Sequential(new Linear(2, 1, g));
    SGD opt = new SGD(m.parameters(), SGD.options().lr(0.1));
    LinearLR s = new LinearLR(opt, 0.5, 1.0, 4);
    s.step();
    Path p = dir.resolve("c.safetensors");
    Checkpoint.save(p, m, opt, s, 1);
    SGD opt2 = new SGD(m.parameters(), SGD.options().lr(0.1));
    var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p, m, opt2, new LinearLR(opt2, 0.25, 1.0, 4)));
    assertEquals(p + ": replaying 1 schedule steps gives learning rates [0.0625], the checkpoint has [0.0625]"
        .replace("[0.0625], the checkpoint has [0.0625]", "[0.043750000000000004], the checkpoint has [0.0625]")
        + ": the schedule was built with other options, or stepped with step(epoch)", e.getMessage());
  }

  @Test
  void aPlainModelFileIsNotACheckpoint() throws Exception {
    Generator g = new Generator(0);
    Module m = new Sequential(new Linear(2, 1, g));
    Path p = dir.resolve("m.safetensors");
    Safetensors.saveFile(m.stateDict(), p);
    var e = assertThrows(FileFormatException.class, () -> Checkpoint.load(p, m, new SGD(m.parameters(), SGD.options().lr(0.1)), null));
    assertEquals(p + ": not a downhill checkpoint (no 'downhill.checkpoint' metadata); a plain model file loads with "
        + "model.loadStateDict(Safetensors.loadFile(path))", e.getMessage());
    m.loadStateDict(Safetensors.loadFile(p));
  }

  @Test
  void aDamagedCheckpointChangesNothing() throws Exception {
    Run a = new Run();
    a.epochs(1);
    Path p = dir.resolve("ckpt.safetensors");
    a.save(p);
    byte[] b = java.nio.file.Files.readAllBytes(p);
    b[b.length - 3] ^= 0x10;
    java.nio.file.Files.write(p, b);
    Run fresh = new Run();
    Map<String, Tensor> before = fresh.model.stateDict();
    long[] gen = fresh.drop.state();
    var e = assertThrows(FileFormatException.class, () -> fresh.load(p));
    assertEquals(true, e.getMessage().startsWith(p + ": checksum mismatch"), e.getMessage());
    assertBits(before, fresh.model.stateDict());
    assertArrayEquals(gen, fresh.drop.state());
    assertEquals(0, fresh.sched.lastEpoch());
    assertEquals(Map.of(), fresh.opt.stateDict().state());
  }

  /** Optimizer.loadStateDict used to refuse the initialLr a schedule puts into every group. */
  @Test
  void anOptimizerWithAScheduleLoadsItsOwnStateDict() {
    Run a = new Run();
    a.epochs(1);
    Run b = new Run();
    b.opt.loadStateDict(a.opt.stateDict());
    assertSameOptimizer(a.opt, b.opt);
  }

  @Test
  void loadModelTakesAPlainFileOrACheckpointAndNamesEveryMismatch() throws Exception {
    Run a = new Run();
    a.epochs(1);
    Path ckpt = dir.resolve("ckpt.safetensors");
    a.save(ckpt);
    Path plain = dir.resolve("model.safetensors");
    Safetensors.saveFile(a.model.stateDict(), plain);
    for (Path p : List.of(ckpt, plain)) {
      Run b = new Run();
      Checkpoint.loadModel(p, b.model);
      assertBits(a.model.stateDict(), b.model.stateDict());
    }
    Generator g = new Generator(5);
    Mlp other = new Mlp(6, 8, 3, g, g);
    Map<String, Tensor> before = other.stateDict();
    var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadModel(plain, other));
    assertEquals(plain + ": the file does not fit the model: layers.0.weight: file has [16, 6], model has [8, 6]; "
        + "layers.0.bias: file has [16], model has [8]; layers.3.weight: file has [3, 16], model has [3, 8]", e.getMessage());
    assertBits(before, other.stateDict());
  }
}
