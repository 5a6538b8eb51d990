package dev.downhill.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The public row ops validate their own targets and weights: no read of a neighbouring row. */
class ClassLossesTest {
  private final Tensor logits = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});

  private static void refuses(String message, Runnable op) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, op::run).getMessage());
  }

  @Test
  void refusesAClassIndexAtOrAboveC() {
    refuses("crossEntropy: class index 3 at position [0] is out of range for C = 3 classes (expected 0 to 2, or ignoreIndex -1)",
        () -> ClassLosses.crossEntropyRows(logits, new int[] {3, 0}, null, 0f));
    refuses("nllLoss: class index 5 at position [1] is out of range for C = 3 classes (expected 0 to 2, or ignoreIndex -1)",
        () -> ClassLosses.nllRows(logits, new int[] {0, 5}, null));
  }

  @Test
  void refusesANegativeIndexOtherThanTheIgnoreMarker() {
    refuses("nllLoss: class index -2 at position [0] is out of range for C = 3 classes (expected 0 to 2, or ignoreIndex -1)",
        () -> ClassLosses.nllRows(logits, new int[] {-2, 0}, null));
    assertEquals(0f, ClassLosses.nllRows(logits, new int[] {-1, 0}, null).get(0));
  }

  @Test
  void refusesAWeightWhoseLengthIsNotC() {
    refuses("crossEntropy: weight of shape [2] does not fit C = 3 classes: expected [3]",
        () -> ClassLosses.crossEntropyRows(logits, new int[] {0, 1}, new float[] {1, 1}, 0f));
    refuses("crossEntropy: weight of shape [4] does not fit C = 3 classes: expected [3]",
        () -> ClassLosses.crossEntropyProbRows(logits, logits, new float[] {1, 1, 1, 1}, 0f));
    refuses("nllLoss: weight of shape [2] does not fit C = 3 classes: expected [3]",
        () -> ClassLosses.nllRows(logits, new int[] {0, 1}, new float[] {1, 1}));
  }
}
