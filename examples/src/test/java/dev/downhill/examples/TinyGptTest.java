package dev.downhill.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.examples.kit.Out;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * tiny-gpt at test size (one layer of 48 channels, 400 steps; see {@link DemoRuns#TINY}): the loss
 * starts near ln 12 ≈ 2.5, stalls near 1.5 while the model only knows the answer's format, and
 * must fall below 1.2 (it reaches about 0.7); and the tokens are what the task says.
 */
class TinyGptTest {
  static double number(Out out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out.text());
    assertTrue(m.find(), "no match for " + regex + " in\n" + out.text());
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aShortRunLearns() {
    Out out = DemoRuns.run("tiny-gpt");
    double loss = number(out, "final training loss ([0-9.]+)");
    assertTrue(loss < 1.2, "final loss " + loss);
    assertEquals(0.0, number(out, "accuracy before training: ([0-9.]+)"), 0.01, "an untrained model gets next to none right");
    assertTrue(out.text().contains("9000 training problems, 1000 held out"), out.text());
  }

  @Test
  void theSequenceIsThePromptThenTheSumBackwards() {
    assertEquals("[3.0, 7.0, 10.0, 5.0, 8.0, 11.0, 5.0, 9.0, 0.0]", java.util.Arrays.toString(TinyGpt.tokens(37, 58)));
    assertEquals("[9.0, 9.0, 10.0, 9.0, 9.0, 11.0, 8.0, 9.0, 1.0]", java.util.Arrays.toString(TinyGpt.tokens(99, 99)));
  }
}
