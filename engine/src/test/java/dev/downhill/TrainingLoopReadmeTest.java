package dev.downhill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.data.Batch;
import dev.downhill.data.DataLoader;
import dev.downhill.data.Dataset;
import dev.downhill.data.DivergenceGuard;
import dev.downhill.data.EarlyStopping;
import dev.downhill.data.History;
import dev.downhill.data.Metrics;
import dev.downhill.data.Progress;
import dev.downhill.data.RunningMean;
import dev.downhill.data.Subset;
import dev.downhill.data.TensorDataset;
import dev.downhill.io.Checkpoint;
import dev.downhill.io.Safetensors;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Dropout;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.lr.CosineAnnealingLR;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Training loop" example, run as written: the text between the markers is the README's code block. */
class TrainingLoopReadmeTest {
  // README:begin
  static History trainXor(Path dir) throws IOException {
    Generator gen = new Generator(0);
    Tensor x = Tensor.randn(gen, 600, 2);
    Tensor y = x.select(1, 0).mul(x.select(1, 1)).gt(0f);   // class 1 where x0·x1 > 0: XOR quadrants
    List<Subset> split = Dataset.randomSplit(new TensorDataset(x, y), new double[] {0.8, 0.2}, gen);
    DataLoader train = new DataLoader(split.get(0), 32, true, false, gen);   // reshuffled every epoch
    DataLoader val = new DataLoader(split.get(1), 120);

    Sequential model = new Sequential(new Linear(2, 32, gen), new ReLU(), new Dropout(0.1, gen), new Linear(32, 2, gen));
    AdamW opt = new AdamW(model.parameters(), AdamW.options().lr(1e-2));
    int epochs = 30;
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs * train.size());
    History history = new History();
    DivergenceGuard guard = new DivergenceGuard();
    EarlyStopping stopper = new EarlyStopping(5);
    long step = 0;

    try (Progress bar = Progress.start("train", (long) epochs * train.size())) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        model.train();
        RunningMean trainLoss = new RunningMean();
        for (Batch b : train) {
          opt.zeroGrad();
          Tensor loss = Loss.crossEntropy(model.forward(b.x()), b.y());
          guard.checkLoss(step, loss);                          // stops on NaN/inf, naming the step
          loss.backward();
          guard.checkGradients(step, model.namedParameters());
          history.steps().log(step, "loss", loss.item()).log(step, "lr", opt.paramGroups().get(0).lr())
              .log(step, "gradNorm", Metrics.gradNorm(model.parameters()));
          opt.step();
          sched.step();
          step++;
          trainLoss.add(loss, b.size());
          bar.step("loss", loss.item());
        }
        model.eval();
        RunningMean valLoss = new RunningMean();
        RunningMean valAccuracy = new RunningMean();
        try (var noGrad = Autograd.noGrad()) {
          for (Batch b : val) {
            Tensor logits = model.forward(b.x());
            valLoss.add(Loss.crossEntropy(logits, b.y()), b.size());
            valAccuracy.add(Metrics.accuracy(logits, b.y()), b.size());
          }
        }
        history.epochs().log(epoch, "trainLoss", trainLoss.mean()).log(epoch, "valLoss", valLoss.mean())
            .log(epoch, "valAccuracy", valAccuracy.mean());
        bar.log(String.format("epoch %d: train loss %.4f, val loss %.4f, val accuracy %.3f",
            epoch, trainLoss.mean(), valLoss.mean(), valAccuracy.mean()));
        if (stopper.update(epoch, valLoss.mean())) {
          bar.log("early stop: " + stopper.reason("valLoss"));
          break;
        }
        if (stopper.improved()) {
          Safetensors.saveFile(model.stateDict(), dir.resolve("best.safetensors"));   // PyTorch: load_file
        }
        Checkpoint.save(dir.resolve("last.safetensors"), model, opt, sched, step, gen);  // resumable
      }
    }
    history.writeCsv(dir);   // epochs.csv, steps.csv
    return history;
  }
  // README:end

  @TempDir Path dir;

  @Test
  void theReadmeExampleRunsAsWritten() throws Exception {
    History h = trainXor(dir);
    assertTrue(h.epochs().series("valAccuracy").last() > 0.9, "val accuracy " + h.epochs().series("valAccuracy").last());
    assertTrue(h.epochs().series("valLoss").last() < h.epochs().series("valLoss").values()[0]);
    for (String f : List.of("epochs.csv", "steps.csv", "best.safetensors", "last.safetensors")) {
      assertTrue(Files.exists(dir.resolve(f)), f);
    }
    assertTrue(Files.readString(dir.resolve("steps.csv")).startsWith("step,loss,lr,gradNorm\n0,"));
    // The resume lines of the README: the same objects built again, then load.
    Generator gen = new Generator(0);
    Sequential model = new Sequential(new Linear(2, 32, gen), new ReLU(), new Dropout(0.1, gen), new Linear(32, 2, gen));
    AdamW opt = new AdamW(model.parameters(), AdamW.options().lr(1e-2));
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, 30 * 15);
    long step = Checkpoint.load(dir.resolve("last.safetensors"), model, opt, sched, gen);
    assertEquals(h.steps().series("loss").index().length, step);
  }

  @Test
  void theReadmeShowsExactlyThisCode() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/downhill/TrainingLoopReadmeTest.java"));
    String body = source.substring(source.indexOf("// README:begin\n") + 16, source.indexOf("  // README:end"));
    String dedented = body.lines().map(l -> l.startsWith("  ") ? l.substring(2) : l).reduce("", (a, l) -> a + l + "\n");
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("```java\n" + dedented + "```\n"), "README's training loop differs from TrainingLoopReadmeTest:\n" + dedented);
  }
}
