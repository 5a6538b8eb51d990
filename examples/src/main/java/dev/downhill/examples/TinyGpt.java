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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * tiny-gpt: a decoder-only transformer learns two-digit addition written as characters.
 */
public final class TinyGpt {
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

  public static void main(String[] args) {
    int nLayer = Integer.getInteger("L", 2), nEmbd = Integer.getInteger("C", 64), nHead = Integer.getInteger("H", 4);
    int steps = Integer.getInteger("steps", 2000), batch = Integer.getInteger("B", 64);
    double lr = Double.parseDouble(System.getProperty("lr", "3e-3"));
    int warmup = 100;
    Generator gen = new Generator(1337);
    List<int[]> all = new ArrayList<>();
    for (int a = 0; a < 100; a++) {
      for (int b = 0; b < 100; b++) {
        all.add(new int[] {a, b});
      }
    }
    float[] order = Tensor.randperm(gen, all.size()).toArray();
    List<int[]> train = new ArrayList<>(), held = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      (i < 1000 ? held : train).add(all.get((int) order[i]));
    }
    Split tr = split(train), te = split(held);
    Gpt model = new Gpt(nLayer, nEmbd, nHead, 0.0, gen);
    List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      (e.getValue().dim() >= 2 ? decay : noDecay).add(e.getValue());
    }
    int params = model.parameters().stream().mapToInt(Tensor::numel).sum();
    System.out.printf("parameters: %d%n", params);
    AdamW opt = new AdamW(AdamW.options().lr(lr).betas(0.9, 0.99).weightDecay(0.1), ParamGroup.of(decay),
        ParamGroup.of(noDecay).set("weightDecay", 0.0));
    LambdaLR sched = new LambdaLR(opt, s -> s < warmup ? (s + 1.0) / warmup
        : 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (s - warmup) / (steps - warmup))));
    CrossEntropyOptions ce = CrossEntropyOptions.defaults().ignoreIndex(-1);
    System.out.printf("held-out accuracy before training: %.3f%n", accuracy(model, te));
    long t0 = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      Tensor rows = Tensor.randint(gen, 0, train.size(), batch);
      Tensor x = tr.x().indexSelect(0, rows), y = tr.y().indexSelect(0, rows);
      opt.zeroGrad();
      Tensor logits = model.forward(x);
      Tensor loss = Loss.crossEntropy(logits.reshape(-1, VOCAB), y.reshape(-1), ce);
      loss.backward();
      float norm = Utils.clipGradNorm(model.parameters(), 1.0);
      opt.step();
      sched.step();
      if (step % 200 == 0 || step == steps - 1) {
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("step %4d  loss %.4f  norm %.3f  lr %.2e  %.1f s%s%n", step, loss.item(), norm,
            opt.paramGroups().get(0).lr(), secs, step % 1000 == 0 || step == steps - 1 ? String.format("  held-out acc %.3f", accuracy(model, te)) : "");
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("trained in %.1f s, %.0f tokens/s; held-out accuracy %.3f%n", secs, (double) steps * batch * BLOCK / secs,
        accuracy(model, te));
    for (int i = 0; i < 4; i++) {
      int[] p = te.problems()[i];
      System.out.printf("%s (true %d)   T=0.8 top-3: %s%n", complete(model, p[0], p[1], 0, 0, gen), p[0] + p[1],
          complete(model, p[0], p[1], 0.8, 3, gen));
    }
  }
}
