package dev.downhill.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo prints what the chapter's PyTorch code prints, line for line. */
class Chapter8GradientTest {

  static List<String> run(Runnable main) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void printsTheChaptersTrajectory() {
    // PyTorch 2.x prints these for the chapter's code: w moves 20 % of the way to 5 each step.
    List<String> expected = List.of(
        "梯度下降过程 | Gradient descent process:",
        "Step 0: w=0.000, loss=25.000, grad=-10.000",
        "Step 1: w=1.000, loss=16.000, grad=-8.000",
        "Step 2: w=1.800, loss=10.240, grad=-6.400",
        "Step 3: w=2.440, loss=6.554, grad=-5.120",
        "Step 4: w=2.952, loss=4.194, grad=-4.096",
        "Step 5: w=3.362, loss=2.684, grad=-3.277",
        "Step 6: w=3.689, loss=1.718, grad=-2.621",
        "Step 7: w=3.951, loss=1.100, grad=-2.097",
        "Step 8: w=4.161, loss=0.704, grad=-1.678",
        "Step 9: w=4.329, loss=0.450, grad=-1.342",
        "",
        "最终 w: 4.463 (目标: 5.0)");
    assertEquals(expected, run(() -> Chapter8Gradient.main(new String[0])));
  }
}
