package dev.downhill.examples;

import dev.downhill.autograd.Autograd;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.loss.CrossEntropyOptions;
import dev.downhill.loss.Loss;
import dev.downhill.nn.CausalSelfAttention;
import dev.downhill.nn.Dropout;
import dev.downhill.nn.Embedding;
import dev.downhill.nn.GELU;
import dev.downhill.nn.LayerNorm;
import dev.downhill.nn.Linear;
import dev.downhill.nn.Module;
import dev.downhill.nn.Sequential;
import dev.downhill.nn.Utils;
import dev.downhill.optim.AdamW;
import dev.downhill.optim.ParamGroup;
import dev.downhill.optim.lr.LambdaLR;
import dev.downhill.data.History;
import dev.downhill.data.Progress;
import dev.downhill.examples.kit.Chart;
import dev.downhill.examples.kit.Demo;
import dev.downhill.examples.kit.Out;
import dev.downhill.examples.kit.Text;
import dev.downhill.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * tiny-gpt: the gradient descent article's advice for large models (AdamW with weight decay on the
 * weight matrices, cross-entropy for language modelling, warm-up, gradient clipping) used at once
 * on a small decoder-only transformer that learns two-digit addition written as characters:
 * {@code 37+58=} followed by the sum's digits, least significant first (the order in which a person
 * adds, so each digit depends only on what the model has already seen). 1000 of the 10 000
 * problems are held out and never trained on; the demo reports exact-match accuracy on them.
 */
public final class TinyGpt implements Demo {
  // vocabulary: the digits 0-9, '+' and '='
  static final int PLUS = 10;
  static final int EQUALS = 11;
  static final int VOCAB = 12;
  static final int PROMPT = 6; // "ab+cd="
  static final int ANSWER = 3; // the sum's three digits, least significant first
  static final int BLOCK = PROMPT + ANSWER - 1; // the model reads all but the last token

  /** A pre-LayerNorm transformer block: x + attn(ln₁(x)), then x + mlp(ln₂(x)). */
  static final class Block extends Module {
    final LayerNorm ln1;
    final CausalSelfAttention attn;
    final LayerNorm ln2;
    final Sequential mlp;

    Block(int nEmbd, int nHead, double dropout, Generator gen) {
      ln1 = registerModule("ln_1", new LayerNorm(nEmbd));
      attn = registerModule("attn", new CausalSelfAttention(nEmbd, nHead, dropout, gen));
      ln2 = registerModule("ln_2", new LayerNorm(nEmbd));
      mlp = registerModule("mlp", new Sequential(new Linear(nEmbd, 4 * nEmbd, gen), new GELU(),
          new Linear(4 * nEmbd, nEmbd, gen), new Dropout(dropout, gen)));
    }

    @Override
    public Tensor forward(Tensor x) {
      x = x.add(attn.forward(ln1.forward(x)));
      return x.add(mlp.forward(ln2.forward(x)));
    }
  }

  /** Token and position embeddings, blocks, a final LayerNorm and a linear head: [B, T] → [B, T, V]. */
  static final class Gpt extends Module {
    final Embedding wte;
    final Embedding wpe;
    final List<Block> blocks = new ArrayList<>();
    final LayerNorm lnF;
    final Linear lmHead;

    Gpt(int nLayer, int nEmbd, int nHead, double dropout, Generator gen) {
      wte = registerModule("wte", new Embedding(VOCAB, nEmbd, gen));
      wpe = registerModule("wpe", new Embedding(BLOCK, nEmbd, gen));
      for (int i = 0; i < nLayer; i++) {
        blocks.add(registerModule("h" + i, new Block(nEmbd, nHead, dropout, gen)));
      }
      lnF = registerModule("ln_f", new LayerNorm(nEmbd));
      lmHead = registerModule("lm_head", new Linear(nEmbd, VOCAB, false, gen));
    }

    @Override
    public Tensor forward(Tensor idx) {
      int t = idx.size(1);
      Tensor x = wte.forward(idx).add(wpe.forward(Tensor.arange(t)));
      for (Block b : blocks) {
        x = b.forward(x);
      }
      return lmHead.forward(lnF.forward(x));
    }
  }

  /** The 9 tokens of a + b: two digits each, '+', '=', then the sum's digits reversed. */
  static float[] tokens(int a, int b) {
    int s = a + b;
    return new float[] {a / 10, a % 10, PLUS, b / 10, b % 10, EQUALS, s % 10, s / 10 % 10, s / 100};
  }

  record Split(Tensor x, Tensor y, int[][] problems) {}

  /** Inputs (tokens 0..7) and targets (tokens 1..8, the prompt's ignored as −1) of the problems. */
  static Split split(List<int[]> problems) {
    int n = problems.size();
    float[] x = new float[n * BLOCK];
    float[] y = new float[n * BLOCK];
    for (int i = 0; i < n; i++) {
      float[] tk = tokens(problems.get(i)[0], problems.get(i)[1]);
      for (int j = 0; j < BLOCK; j++) {
        x[i * BLOCK + j] = tk[j];
        y[i * BLOCK + j] = j + 1 < PROMPT ? -1 : tk[j + 1];
      }
    }
    return new Split(Tensor.of(x, n, BLOCK), Tensor.of(y, n, BLOCK), problems.toArray(new int[0][]));
  }

  /** Greedy completion of every prompt; the share whose three answer digits are all right. */
  static double accuracy(Gpt model, Split data) {
    model.eval();
    try (var ignored = Autograd.noGrad()) {
      Tensor seq = data.x().narrow(1, 0, PROMPT);
      for (int k = 0; k < ANSWER; k++) {
        Tensor logits = model.forward(seq).select(1, -1);
        seq = Tensor.cat(1, seq, logits.argmax(1, true));
      }
      Tensor answer = seq.narrow(1, PROMPT, ANSWER);
      Tensor want = data.y().narrow(1, PROMPT - 1, ANSWER);
      return answer.eq(want).sum(1).eq(ANSWER).mean().item();
    } finally {
      model.train();
    }
  }

  /**
   * Completes {@code a+b=} token by token: greedy when {@code temperature} is 0, otherwise sampled
   * from softmax(logits / temperature) restricted to the {@code topK} likeliest tokens.
   */
  static String complete(Gpt model, int a, int b, double temperature, int topK, Generator gen) {
    model.eval();
    try (var ignored = Autograd.noGrad()) {
      Tensor seq = Tensor.of(java.util.Arrays.copyOf(tokens(a, b), PROMPT), 1, PROMPT);
      for (int k = 0; k < ANSWER; k++) {
        Tensor logits = model.forward(seq).select(1, -1); // [1, V]
        Tensor next;
        if (temperature == 0) {
          next = logits.argmax(1, true);
        } else {
          Tensor.ValuesIndices top = logits.div((float) temperature).topk(topK, 1);
          Tensor pick = Tensor.multinomial(gen, top.values().softmax(1), 1, true);
          next = top.indices().gather(1, pick);
        }
        seq = Tensor.cat(1, seq, next);
      }
      float[] t = seq.toArray();
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < PROMPT; j++) {
        sb.append(t[j] == PLUS ? "+" : t[j] == EQUALS ? "=" : String.valueOf((int) t[j]));
      }
      for (int j = PROMPT + ANSWER - 1; j >= PROMPT; j--) { // the model writes the sum backwards
        sb.append((int) t[j]);
      }
      return sb.toString();
    } finally {
      model.train();
    }
  }

  /** The model's size and the training schedule; {@link #DEMO} is what the launcher runs. */
  public record Config(int nLayer, int nEmbd, int nHead, int batch, int steps, int warmup, double lr, int evalEvery) {
    /** 2 layers, 64 channels, 4 heads, batch 64, 1000 AdamW steps: about 100 000 parameters. */
    public static final Config DEMO = new Config(2, 64, 4, 64, 1000, 100, 3e-3, 100);
  }

  private final Config cfg;

  /** The demo as the launcher runs it. */
  public TinyGpt() {
    this(Config.DEMO);
  }

  public TinyGpt(Config cfg) {
    this.cfg = cfg;
  }

  /** What one training run measured, per step (accuracy every {@code evalEvery} steps). */
  record Run(History history, double seconds, Path checkpoint) {}

  @Override
  public Out run(Path dir) throws Exception {
    Out out = new Out(dir);
    Generator gen = new Generator(1337);
    // every a + b with two-digit a and b; 1000 of them held out, never seen in training
    List<int[]> all = new ArrayList<>();
    for (int a = 0; a < 100; a++) {
      for (int b = 0; b < 100; b++) {
        all.add(new int[] {a, b});
      }
    }
    float[] order = Tensor.randperm(gen, all.size()).toArray();
    List<int[]> train = new ArrayList<>();
    List<int[]> held = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      (i < 1000 ? held : train).add(all.get((int) order[i]));
    }
    Split tr = split(train);
    Split te = split(held);

    Gpt model = new Gpt(cfg.nLayer(), cfg.nEmbd(), cfg.nHead(), 0.0, gen);
    int params = model.parameters().stream().mapToInt(Tensor::numel).sum();
    out.printf("tiny-gpt: %d layers, %d channels, %d heads: %d parameters", cfg.nLayer(), cfg.nEmbd(), cfg.nHead(), params);
    out.printf("task: a+b for two-digit a, b, the sum written least significant digit first; %d training"
        + " problems, %d held out", train.size(), held.size());
    out.printf("held-out exact-match accuracy before training: %.3f", accuracy(model, te));

    Run r = train(model, tr, te, gen, dir);
    double acc = accuracy(model, te);
    double[] loss = r.history().steps().series("loss").values();
    out.printf("trained %d steps of %d sequences in %.1f s: %.0f tokens/s", cfg.steps(), cfg.batch(), r.seconds(),
        (double) cfg.steps() * cfg.batch() * BLOCK / r.seconds());
    out.printf("final training loss %.4f; held-out exact-match accuracy after training: %.3f", loss[loss.length - 1],
        acc);
    Gpt reloaded = new Gpt(cfg.nLayer(), cfg.nEmbd(), cfg.nHead(), 0.0, new Generator(0));
    Checkpoint.loadModel(r.checkpoint(), reloaded);
    out.printf("checkpoint %s (%d bytes: weights, AdamW moments, schedule, generator) loaded into a fresh model:"
        + " held-out accuracy %.3f", r.checkpoint().getFileName(), Files.size(r.checkpoint()), accuracy(reloaded, te));
    out.println("samples (prompt and completion, greedy | temperature 0.8, top-3):");
    for (int i = 0; i < 5; i++) {
      int[] p = te.problems()[i];
      out.printf("  %s | %s   (true %d)", complete(model, p[0], p[1], 0, 0, gen), complete(model, p[0], p[1], 0.8, 3, gen),
          p[0] + p[1]);
    }
    History.Table st = r.history().steps();
    double[] steps = Chart.indices(loss.length);
    History.Series heldAcc = r.history().epochs().series("heldOutAccuracy");
    double[] evalSteps = java.util.Arrays.stream(heldAcc.index()).asDoubleStream().toArray();
    Chart.of(Text.zh("tiny-gpt:训练损失", "tiny-gpt: training loss"), "step", Text.zh("交叉熵(对数坐标)",
            "cross-entropy (log scale)"))
        .logY().line(Text.zh("训练 loss", "train loss"), steps, loss)
        .save(out, "tiny-gpt-loss.png", 800, 450);
    Chart.of(Text.zh("tiny-gpt:留出集准确率", "tiny-gpt: held-out accuracy"), "step",
            Text.zh("完全正确的比例", "exact-match accuracy"))
        .lineWithDots(Text.zh("留出集(1000 题)", "held out (1000 problems)"), evalSteps, heldAcc.values())
        .save(out, "tiny-gpt-accuracy.png", 800, 450);
    Chart.of(Text.zh("tiny-gpt:学习率与梯度范数", "tiny-gpt: learning rate and gradient norm"), "step",
            Text.zh("对数坐标", "log scale"))
        .logY().line(Text.zh("学习率(预热 + 余弦)", "learning rate (warm-up + cosine)"), steps, st.series("lr").values())
        .line(Text.zh("裁剪前的梯度范数", "gradient norm before clipping"), steps, st.series("gradNorm").values())
        .save(out, "tiny-gpt-lr-norm.png", 800, 450);
    return out;
  }

  /**
   * AdamW (weight decay 0.1 on weight matrices and embeddings only, none on biases and LayerNorm),
   * linear warm-up then cosine decay to a tenth, gradients clipped to norm 1, cross-entropy over the
   * flattened [B·T, V] logits with the prompt positions ignored.
   */
  Run train(Gpt model, Split tr, Split te, Generator gen, Path dir) throws IOException {
    List<Tensor> decay = new ArrayList<>();
    List<Tensor> noDecay = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      (e.getValue().dim() >= 2 ? decay : noDecay).add(e.getValue());
    }
    AdamW opt = new AdamW(AdamW.options().lr(cfg.lr()).betas(0.9, 0.99).weightDecay(0.1), ParamGroup.of(decay),
        ParamGroup.of(noDecay).set("weightDecay", 0.0));
    int steps = cfg.steps();
    int warmup = cfg.warmup();
    LambdaLR sched = new LambdaLR(opt, s -> s < warmup ? (s + 1.0) / warmup
        : 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (s - warmup) / Math.max(1, steps - warmup))));
    CrossEntropyOptions ce = CrossEntropyOptions.defaults().ignoreIndex(-1);
    History history = new History();
    long t0 = System.nanoTime();
    long evalNanos = 0;
    try (Progress bar = Progress.start("tiny-gpt", steps)) {
      for (int step = 0; step < steps; step++) {
        Tensor rows = Tensor.randint(gen, 0, tr.x().size(0), cfg.batch());
        Tensor x = tr.x().indexSelect(0, rows);
        Tensor y = tr.y().indexSelect(0, rows);
        history.steps().log(step, "lr", opt.paramGroups().get(0).lr());
        opt.zeroGrad();
        Tensor logits = model.forward(x);
        Tensor loss = Loss.crossEntropy(logits.reshape(-1, VOCAB), y.reshape(-1), ce);
        loss.backward();
        history.steps().log(step, "gradNorm", Utils.clipGradNorm(model.parameters(), 1.0));
        opt.step();
        sched.step();
        history.steps().log(step, "loss", loss.item());
        bar.step("loss", loss.item());
        if ((step + 1) % cfg.evalEvery() == 0 || step == steps - 1) {
          long e0 = System.nanoTime();
          double acc = accuracy(model, te);
          history.epochs().log(step + 1, "heldOutAccuracy", acc);
          bar.log(String.format(java.util.Locale.ROOT, "step %d: held-out accuracy %.3f", step + 1, acc));
          evalNanos += System.nanoTime() - e0;
        }
      }
    }
    double seconds = (System.nanoTime() - t0 - evalNanos) / 1e9;
    history.writeCsv(dir.resolve("tiny-gpt-history"));
    Path checkpoint = dir.resolve("tiny-gpt.safetensors");
    Checkpoint.save(checkpoint, model, opt, sched, steps, gen);
    return new Run(history, seconds, checkpoint);
  }

  public static void main(String[] args) throws Exception {
    Demos.main(new String[] {"run", "tiny-gpt"});
  }
}
