#!/usr/bin/python3
"""The training-step table: TrainingStepBench (JMH) beside the same steps in PyTorch CPU, one run.

    /usr/bin/python3 bench/steps.py [--models mlp85,mlp784,linreg] [--quick] [--baseline JAR]

The engine on 1 and 2 threads (JMH, medians of the measurement iterations), then PyTorch on 1 thread
and on 2 (OMP_WAIT_POLICY=PASSIVE, as bench/peers.py does), each in a fresh process, with peers.py's
step (16 batches cycled, model and optimizer rebuilt every 500 steps, as the Java side). Prints per
model the best of each side over the two thread counts and the ratio torch / engine (above 1: the
engine is faster). --baseline JAR also runs another build's benchmarks.jar (an older commit's) in the
same run and prints its best time beside.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_env  # noqa: E402
import peers  # noqa: E402

ROOT = peers.ROOT


def main():
    models = "mlp85,mlp784,linreg"
    if "--models" in sys.argv:
        models = sys.argv[sys.argv.index("--models") + 1]
    quick = "--quick" in sys.argv
    jdk = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    iters = ["-wi", "2", "-w", "1", "-i", "3", "-r", "1"] if quick else ["-wi", "3", "-w", "1", "-i", "5", "-r", "1"]

    def jmh(jar):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        subprocess.run([os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-jar", jar,
                        "TrainingStepBench", "-p", "model=" + models, "-p", "threads=1,2", "-f", "1", *iters,
                        "-rf", "json", "-rff", out], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        got = {}
        for r in json.load(open(out)):
            raw = r["primaryMetric"]["rawData"][0]
            got[(r["params"]["model"], int(r["params"]["threads"]))] = statistics.median(raw)
        return got
    baseline = None
    if "--baseline" in sys.argv:
        baseline = jmh(os.path.abspath(sys.argv[sys.argv.index("--baseline") + 1]))
    engine = jmh(peers.JAR)
    env, note = blas_env.openblas_env(peers.PYTHON)
    jobs = [{"key": m, "kernel": "step " + m, "size": ""} for m in models.split(",")]
    torch = {1: peers.run_worker(env, "torch", jobs, 1), 2: peers.run_worker(env, "torch", jobs, 2, passive=True)}
    print(f"peers: {note}; torch {torch[1]['version']}")
    print(f"{'model':<20} {'engine 1t':>10} {'engine 2t':>10} {'torch 1t':>10} {'torch 2t':>10} {'best/best':>9}"
          + ("  baseline 1t/2t" if baseline else ""))
    for m in models.split(","):
        e1, e2 = engine[(m, 1)], engine[(m, 2)]
        t1, t2 = (torch[t]["times"][m] for t in (1, 2))
        print(f"{m:<20} {peers.fmt_us(e1):>10} {peers.fmt_us(e2):>10} {peers.fmt_us(t1):>10} {peers.fmt_us(t2):>10}"
              f" {min(t1, t2) / min(e1, e2):9.2f}"
              + (f"  {peers.fmt_us(baseline[(m, 1)])} / {peers.fmt_us(baseline[(m, 2)])}" if baseline else ""))


if __name__ == "__main__":
    main()
