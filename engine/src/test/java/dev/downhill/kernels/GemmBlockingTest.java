package dev.downhill.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The column block of B follows the L2 size: half the L2 from 1 MiB up, else 2048 columns. */
class GemmBlockingTest {
  @Test
  void blockColumnsFollowTheL2() {
    assertEquals(512, Gemm.blockColumns(2L << 20), "2 MiB L2: a 1 MiB block of 512 × 512 floats");
    assertEquals(256, Gemm.blockColumns(1L << 20), "1 MiB L2");
    assertEquals(2048, Gemm.blockColumns(512L << 10), "512 KiB L2 (Zen 3): the block streams from L3");
    assertEquals(2048, Gemm.blockColumns(-1), "L2 unknown");
    assertEquals(0, Gemm.blockColumns(64L << 20) % Gemm.NR, "whole panels");
  }
}
