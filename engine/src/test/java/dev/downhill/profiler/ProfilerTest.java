package dev.downhill.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.downhill.autograd.Function;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.loss.Loss;
import dev.downhill.nn.Linear;
import dev.downhill.nn.ReLU;
import dev.downhill.nn.Sequential;
import dev.downhill.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the profiler counts for a known small model, its table, and its Chrome trace. */
class ProfilerTest {
  static final Profiler.Peak PEAK = new Profiler.Peak(100, 20); // passed in: no measuring in a unit test

  static Map<String, Profiler.OpStats> byName(Profiler p) {
    return p.keyAverages().stream().collect(Collectors.toMap(Profiler.OpStats::name, s -> s));
  }

  @Test
  void countsCallsAndExactFlopsOfATrainingStep() {
    Generator gen = new Generator(0);
    Sequential model = new Sequential(new Linear(100, 500, gen), new ReLU(), new Linear(500, 2, gen));
    Adam opt = new Adam(model.parameters(), Adam.options().lr(1e-3));
    Tensor x = Tensor.randn(gen, 10, 100);
    Tensor y = Tensor.randint(gen, 0, 2, 10);
    Profiler prof;
    try (Profiler p = Profiler.profile(PEAK)) {
      prof = p;
      for (int step = 0; step < 3; step++) {
        opt.zeroGrad();
        Loss.crossEntropy(model.forward(x), y).backward();
        opt.step();
      }
    }
    Map<String, Profiler.OpStats> ops = byName(prof);
    assertEquals(6, ops.get("linear").calls(), "two layers, three steps");
    assertEquals(3 * (2.0 * 10 * 100 * 500 + 2.0 * 10 * 500 * 2), ops.get("linear").flops(),
        "2·10·100·500 for [10, 100]·[100, 500]ᵀ, plus the head");
    assertEquals(6, ops.get("linear backward").calls());
    assertEquals(2 * ops.get("linear").flops(), ops.get("linear backward").flops(), "dx and dW: two products");
    assertEquals(3, ops.get("relu").calls());
    assertEquals(3, ops.get("relu backward").calls());
    assertEquals(3, ops.get("crossEntropy").calls());
    assertEquals(3, ops.get("Adam.step").calls());
    int params = 100 * 500 + 500 + 500 * 2 + 2;
    assertEquals(3 * 4.0 * params * 7, ops.get("Adam.step").bytes(), "param and both moments read and written, grad read");
    for (Profiler.OpStats s : ops.values()) {
      assertTrue(s.selfNanos() <= s.totalNanos() && s.selfNanos() >= 0, s.toString());
    }
    String table = prof.table();
    assertTrue(table.contains("linear backward"), table);
    assertTrue(table.lines().anyMatch(l -> l.startsWith("linear ") && l.contains("%")), table);
    Profiler.Event first = prof.events().get(0);
    assertEquals("linear", first.name());
  }

  @Test
  void selfTimeLeavesOutNestedOps() {
    Function twice = new Function("twice") {
      @Override
      protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].exp().exp();
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        return new Tensor[] {g};
      }
    };
    Profiler prof;
    try (Profiler p = Profiler.profile(PEAK)) {
      prof = p;
      Tensor x = Tensor.rand(new Generator(1), 1000);
      long t0 = System.nanoTime();
      twice.apply(x);
      long outer = System.nanoTime() - t0;
      assertTrue(outer > 0);
    }
    // Function.apply is no traced op itself, so the two exps are top-level: each its own self time.
    Map<String, Profiler.OpStats> ops = byName(prof);
    assertEquals(2, ops.get("exp").calls());
    assertEquals(ops.get("exp").totalNanos(), ops.get("exp").selfNanos());
  }

  @Test
  void chromeTraceHasOneEventPerOpCall(@TempDir Path dir) throws Exception {
    Profiler prof;
    try (Profiler p = Profiler.profile(PEAK)) {
      prof = p;
      Tensor w = Tensor.randn(new Generator(2), 4, 3).requiresGrad(true);
      w.matmul(Tensor.ones(3, 2)).sigmoid().sum().backward();
    }
    Path file = dir.resolve("trace.json");
    prof.exportChromeTrace(file);
    JsonObject trace = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    JsonArray events = trace.getAsJsonArray("traceEvents");
    assertEquals(prof.events().size(), events.size());
    assertEquals(6, events.size(), "matmul, sigmoid, sum and their three backwards");
    JsonObject mm = events.get(0).getAsJsonObject();
    assertEquals("matmul", mm.get("name").getAsString());
    assertEquals("X", mm.get("ph").getAsString());
    assertEquals(2.0 * 4 * 3 * 2, mm.getAsJsonObject("args").get("flops").getAsDouble());
    assertTrue(mm.get("dur").getAsDouble() >= 0);
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void nothingIsRecordedOutsideAndOnlyOneProfilerRecordsAtATime() {
    Profiler prof;
    try (Profiler p = Profiler.profile(PEAK)) {
      prof = p;
      assertEquals("Profiler: another profiler is still recording; close it first",
          assertThrows(IllegalStateException.class, () -> Profiler.profile(PEAK)).getMessage());
    }
    Tensor.ones(3).exp();
    assertEquals(0, prof.events().size());
    try (Profiler again = Profiler.profile(PEAK)) {
      Tensor.ones(3).exp();
      assertEquals(1, again.events().size());
    }
  }

  @Test
  void opsOfOtherThreadsAreNotRecorded() throws Exception {
    try (Profiler p = Profiler.profile(PEAK)) {
      Thread other = new Thread(() -> Tensor.ones(5).exp());
      other.start();
      other.join();
      Tensor.ones(5).sqrt();
      assertEquals(java.util.List.of("sqrt"), p.events().stream().map(Profiler.Event::name).toList());
    }
  }
}
