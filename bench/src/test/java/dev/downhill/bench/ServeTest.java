package dev.downhill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.kernels.Parallel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Serve}'s requests, as {@code bench/duel.py} sends them: each answers a positive time, and a
 * malformed one is refused with a message that names what is wrong (duel.py prints it and stops).
 * No timing is asserted: speed is not a unit test's business.
 */
class ServeTest {
  static long warmUp;
  static int threads;

  @BeforeAll
  static void quick() {
    warmUp = Serve.warmUpNanos;
    threads = Parallel.threads();
    Serve.warmUpNanos = 0; // the 200 warm-up calls only
  }

  @AfterAll
  static void restore() {
    Serve.warmUpNanos = warmUp;
    Parallel.setThreads(threads);
  }

  @Test
  void eachKindOfRequestAnswersATime() {
    assertTrue(Serve.serve("gemm 1 8x8x8/NN 1".split(" ")) > 0);
    assertTrue(Serve.serve("gemm 2 4x3x5/TN 1".split(" ")) > 0);
    assertTrue(Serve.serve("step linreg 1 1".split(" ")) > 0);
    assertTrue(Serve.serve("products linreg 1 1".split(" ")) > 0);
    assertEquals(1, Parallel.threads());
  }

  @Test
  void malformedRequestsAreNamed() {
    assertEquals("serve: expected 'gemm THREADS SHAPE/OP MILLIS', 'step MODEL THREADS MILLIS' or 'products MODEL"
        + " THREADS MILLIS', got 'gemm 1 8x8x8/NN'", message("gemm 1 8x8x8/NN"));
    assertEquals("serve: unknown request 'gemn' (gemm, step or products)", message("gemn 1 8x8x8/NN 5"));
    assertEquals("serve: THREADS must be a whole number >= 1, got '0'", message("gemm 0 8x8x8/NN 5"));
    assertEquals("serve: MILLIS must be a whole number >= 1, got 'soon'", message("step linreg 1 soon"));
    assertEquals("serve: gemm: expected SHAPE/OP such as 64x64x64/NN, got '8x8x8'", message("gemm 1 8x8x8 5"));
    assertEquals("StepSplit: unknown model 'mlp9' (mlp85, mlp784, linreg)", message("products mlp9 1 5"));
    assertEquals("TrainingStepBench: unknown model mlp9", message("step mlp9 1 5"));
  }

  private static String message(String request) {
    return assertThrows(IllegalArgumentException.class, () -> Serve.serve(request.split(" "))).getMessage();
  }
}
