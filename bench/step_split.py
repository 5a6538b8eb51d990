#!/usr/bin/python3
"""The parts of a training step (forward, backward, optimizer) and each of its matrix products, the
engine's time beside NumPy/OpenBLAS's for the same product on as many threads -- one run.

    /usr/bin/python3 bench/step_split.py [mlp85|mlp784] [threads] [--jar JAR]
    /usr/bin/python3 bench/step_split.py --gemm THREADS 64x64x64/NN 10x100x500/NT ... [--rounds R] [--jar JAR]

--jar runs another build's benchmarks.jar (an older commit's, for before/after); --gemm times just the
listed products (m x k x n / transposes), the engine's median and least of three windows beside NumPy's
median; --rounds R alternates the two processes R times and takes the median of all (this VM's speed
changes from minute to minute, by as much as 1.6x for a 64^3 product).

Runs `benchmarks.jar split MODEL THREADS` (StepSplit.java) on the JDK ./mvnw finds, then NumPy's
matmul on the same shapes and transposes in a fresh process (OPENBLAS_NUM_THREADS = threads), and
prints both with the ratio NumPy / engine (above 1: the engine is faster).
"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_env  # noqa: E402
from gemm_report import NUMPY_TIMER  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "bench", "target", "benchmarks.jar")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def numpy_times(keys, threads):
    env, note = blas_env.openblas_env(PYTHON)
    env = dict(env, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
    p = subprocess.run([PYTHON, "-c", NUMPY_TIMER, json.dumps(keys)], env=env, capture_output=True, text=True)
    return (json.loads(p.stdout) if p.returncode == 0 else {}), note


def main():
    args = sys.argv[1:]
    jar = JAR
    if "--jar" in args:
        jar = os.path.abspath(args[args.index("--jar") + 1])
        del args[args.index("--jar"):args.index("--jar") + 2]
    jdk = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    java = [os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-jar", jar, "split"]
    if args and args[0] == "--gemm":
        rounds = 1
        if "--rounds" in args:
            rounds = int(args[args.index("--rounds") + 1])
            del args[args.index("--rounds"):args.index("--rounds") + 2]
        threads, keys = args[1], args[2:]
        med, least, npt = {}, {}, {}
        note = ""
        # With --rounds R, the engine's JVM and NumPy's process take turns R times, so that a spell
        # of this shared machine running slow falls on both sides, not on one.
        for _ in range(rounds):
            out = subprocess.run(java + ["gemm", threads] + keys, cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout
            for line in out.splitlines():
                f = line.replace("(min", "").replace(")", "").split()
                med.setdefault(f"{f[1]}/{f[2]}", []).append(float(f[3]))
                least.setdefault(f"{f[1]}/{f[2]}", []).append(float(f[4]))
            numpy, note = numpy_times(keys, threads)
            for key, v in numpy.items():
                npt.setdefault(key, []).append(v)
        print(f"{threads} thread(s), {rounds} round(s); NumPy: {note}")
        print(f"  {'product':<18} {'engine med':>10} {'least':>8} {'NumPy':>8} {'ratio(med)':>10} {'GFLOP/s':>8}")
        for key in keys:
            d = [int(v) for v in key.split("/")[0].split("x")]
            m, k, n = (d[0],) * 3 if len(d) == 1 else d
            e = statistics.median(med[key])
            lo = min(least[key])
            nv = statistics.median(npt[key])
            print(f"  {key:<18} {e:10.2f} {lo:8.2f} {nv:8.2f} {nv / e:10.2f} {2.0 * m * n * k / e / 1e3:8.1f}")
        return
    model = args[0] if args else "mlp85"
    threads = args[1] if len(args) > 1 else "1"
    out = subprocess.run(java + [model, threads], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    parts, ops, products, total = [], [], [], None
    for line in out.splitlines():
        f = line.split()
        if f[0] == "part":
            parts.append((f[1], float(f[2])))
        elif f[0] == "op":
            ops.append((" ".join(f[3:]), float(f[2])))
        elif f[0] == "product":
            products.append((f[1], f[2], float(f[3])))
        elif f[0] == "products":
            total = float(f[1])
    numpy, note = numpy_times([f"{s}/{op}" for s, op, _ in products], threads)
    print(f"{model}, {threads} thread(s); NumPy: {note}")
    for name, us in parts:
        print(f"  {name:<10} {us:9.1f} µs")
    print("  each op where it runs, in the step (medians):")
    for name, us in ops:
        print(f"    {name:<24} {us:9.1f} µs")
    print(f"  {'product':<14} {'op':<3} {'engine µs':>10} {'NumPy µs':>10} {'ratio':>6}")
    np_total = 0.0
    for s, op, us in products:
        n = numpy.get(f"{s}/{op}")
        np_total += n or 0
        print(f"  {s:<14} {op:<3} {us:10.2f} {n if n is None else round(n, 2):>10} "
              f"{'' if n is None else f'{n / us:.2f}':>6}")
    print(f"  {'all products':<18} {total:10.1f} {np_total:10.1f} {np_total / total:6.2f}")


if __name__ == "__main__":
    main()
