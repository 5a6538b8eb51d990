package dev.downhill.examples.kit;

import java.awt.Color;

/** matplotlib's viridis colour map, interpolated between 9 of its 256 entries. */
public final class Viridis {
  private Viridis() {}

  private static final int[] ANCHORS = {
      0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaadc32, 0xfde725};

  /** The colour at t in [0, 1] (clamped): dark purple at 0, yellow at 1. */
  public static Color at(double t) {
    double u = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
    int i = Math.min((int) u, ANCHORS.length - 2);
    double f = u - i;
    int a = ANCHORS[i];
    int b = ANCHORS[i + 1];
    return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
  }
}
