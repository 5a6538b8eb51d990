package dev.downhill.bench.report;

import java.util.List;

/**
 * What the report says about its run: when, on what (JDK, CPU, vector lanes, threads), by which
 * command, how loaded the machine was (1-minute load average at start and end), how long it took,
 * and the reasons the run is unreliable (empty when it is not).
 */
public record Meta(String date, String jdk, String cpu, int lanes, int threads, String command, double loadBefore,
    double loadAfter, double seconds, boolean quick, List<String> unreliable) {}
