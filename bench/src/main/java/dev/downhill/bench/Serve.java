package dev.downhill.bench;

import dev.downhill.kernels.Parallel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Timing on request, for {@code bench/duel.py}: one JVM that stays up while a NumPy or PyTorch
 * process takes turns with it, so that both sides are timed within the same second. On this shared
 * VM the speed of both vCPUs changes together in spells of seconds to a minute (a 64³ product took
 * 3.7 µs in one spell and 7–10 µs in the next, pinned to either vCPU alike), longer than one side's
 * run of a few seconds, so timing each side in its own process compares two spells, not two
 * engines.
 *
 * <p>Reads one request per line on stdin and answers each with one line on stdout:
 * <ul>
 *   <li>{@code gemm THREADS SHAPE/OP MILLIS}: the product ({@link GemmBench.Problem}'s shapes, e.g.
 *   {@code 64x64x64/NN}) called for MILLIS ms in batches of at least 50 µs; answers
 *   {@code ok <median µs per call>}.</li>
 *   <li>{@code step MODEL THREADS MILLIS}: training steps of {@link TrainingStepBench}'s MODEL
 *   (its data, its rebuild every 500 steps) for MILLIS ms; answers {@code ok <median µs per step>}.</li>
 *   <li>{@code products MODEL THREADS MILLIS}: every matrix product of one step of MODEL
 *   ({@link StepSplit#products}) one after the other, as one pass, for MILLIS ms; answers
 *   {@code ok <median µs per pass>}.</li>
 * </ul>
 * The first request for an item warms it up first (2 s, or at least 200 calls), outside the time
 * asked for. A request that cannot be served answers {@code error <message>}; end of input ends the
 * JVM.
 */
final class Serve {
  private Serve() {}

  private static final Map<String, Runnable> ITEMS = new HashMap<>();
  /** How long the first request for an item warms it up (besides at least 200 calls): C2 needs that long for a step. */
  static long warmUpNanos = 2_000_000_000L;

  static int main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    System.out.flush();
    for (String line; (line = in.readLine()) != null; ) {
      line = line.trim();
      if (line.isEmpty()) continue;
      try {
        System.out.printf("ok %.3f%n", serve(line.split("\\s+")));
      } catch (IllegalArgumentException e) {
        System.out.println("error " + e.getMessage());
      } catch (RuntimeException e) {
        System.out.println("error " + e);
      }
      System.out.flush();
    }
    return 0;
  }

  /** The median time (µs) of one call of the requested item over the requested milliseconds. */
  static double serve(String[] w) {
    if (w.length != 4) {
      throw new IllegalArgumentException("serve: expected 'gemm THREADS SHAPE/OP MILLIS', 'step MODEL THREADS MILLIS'"
          + " or 'products MODEL THREADS MILLIS', got '" + String.join(" ", w) + "'");
    }
    String kind = w[0];
    if (!kind.equals("gemm") && !kind.equals("step") && !kind.equals("products")) {
      throw new IllegalArgumentException("serve: unknown request '" + kind + "' (gemm, step or products)");
    }
    int threads = atLeastOne("THREADS", kind.equals("gemm") ? w[1] : w[2]);
    String what = kind.equals("gemm") ? w[2] : w[1];
    long millis = atLeastOne("MILLIS", w[3]);
    Parallel.setThreads(threads);
    String key = kind + " " + what + " " + threads;
    Runnable call = ITEMS.get(key);
    if (call == null) {
      call = item(kind, what, threads);
      StepSplit.warmUp(call, warmUpNanos);
      ITEMS.put(key, call);
    }
    return time(call, millis);
  }

  private static int atLeastOne(String name, String value) {
    try {
      int v = Integer.parseInt(value);
      if (v >= 1) return v;
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("serve: " + name + " must be a whole number >= 1, got '" + value + "'");
  }

  private static Runnable item(String kind, String what, int threads) {
    switch (kind) {
      case "gemm": {
        String[] so = what.split("/");
        if (so.length != 2) throw new IllegalArgumentException("serve: gemm: expected SHAPE/OP such as 64x64x64/NN, got '" + what + "'");
        return StepSplit.product(so[0], so[1]);
      }
      case "step": {
        TrainingStepBench bench = new TrainingStepBench();
        bench.model = what;
        bench.threads = threads;
        bench.setUp();
        return bench::step;
      }
      case "products": {
        List<Runnable> all = new ArrayList<>();
        for (String[] p : StepSplit.products(what)) all.add(StepSplit.product(p[0], p[1]));
        return () -> {
          for (Runnable r : all) r.run();
        };
      }
      default:
        throw new AssertionError(kind); // refused in serve
    }
  }

  /** The median of batch means, each batch at least 50 µs of calls, over {@code millis} ms (at least 5 batches). */
  private static double time(Runnable call, long millis) {
    return StepSplit.median(StepSplit.batchTimes(call, millis * 1_000_000L, 5));
  }
}
