package dev.downhill.examples.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Numbers as Python writes them ({@code repr}, f-string rounding), and the chart text fallback. */
class PyTest {
  @Test
  void reprIsPythons() {
    assertEquals("25.0", Py.repr(25.0));
    assertEquals("24.010000228881836", Py.repr((double) 24.01f));
    assertEquals("6871947673600.0", Py.repr(6871947673600.0));
    assertEquals("1e+16", Py.repr(1e16));
    assertEquals("1e-05", Py.repr(1e-5));
    assertEquals("0.0001", Py.repr(1e-4));
    assertEquals("-0.0", Py.repr(-0.0));
    assertEquals("inf", Py.repr(Double.POSITIVE_INFINITY));
    assertEquals("0.01", Py.repr(0.01f));
    assertEquals("[25.0, 0.0, 1.5]", Py.list(25, 0, 1.5));
  }

  @Test
  void printfRoundsTheExactBinaryValueAsPythonDoes() {
    Out out = new Out(Path.of("."));
    // 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary: Python prints 2.67.
    out.printf("%.2f %.3f %.2e %d %.3f", 2.675, 1.8f, 1.1258999e15f, 7, -0.0);
    assertEquals("2.67 1.800 1.13e+15 7 -0.000", out.lines().get(0));
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.GERMANY); // a decimal comma must not leak in
      assertEquals("MSE: 0.1300", out.printf("MSE: %.4f", 0.13f).lines().get(1));
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @Test
  void chartTextIsChineseOnlyWhenItCanBeDrawn() {
    String t = Text.zh("梯度下降", "Gradient descent");
    assertEquals(Text.cjk() ? "梯度下降" : "Gradient descent", t);
    assertEquals(Text.cjk(), Text.notice() == null);
    assertNotEquals("", t);
  }
}
