#!/usr/bin/env python3
"""GEMM report: downhill's SGEMM beside the scalar triple loop, the machine's FMA peak and, when
NumPy is installed, OpenBLAS through NumPy -- all measured in this one run, one after the other.

    python3 bench/gemm_report.py            # full run, about 8 minutes
    python3 bench/gemm_report.py --quick    # fewer shapes and iterations, a smoke test

It builds the JMH jar through ./mvnw and runs it on the JDK ./mvnw finds: PeakBench and
GemmKernelBench (the register tile alone, panels in L1), then for each
shape and thread count GemmBench followed at once by NumPy's float32 matmul on as many threads
(OPENBLAS_NUM_THREADS, a fresh process), then GemmScalarBench. Measuring each pair back to back keeps
both inside the same state of a shared machine. It prints GFLOP/s (2*m*n*k / median time), the share
of peak and the ratios. OpenBLAS columns say 'skipped' when NumPy is absent (Debian: apt-get install
python3-numpy libopenblas0-pthread).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_env  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQUARE = ["64", "128", "256", "512", "1024", "2048"]
DEMO = ["10x100x500", "10x500x500", "256x784x1024"]
TRANSPOSED = ["NT", "TN", "TT"]

def numpy_matmul(np, key):
    """The product `key` ("MxKxN/OP", or "N/OP" for a square) as the engine's benchmarks lay it out: a
    call of np.matmul into a preallocated C (operands uniform in [-1, 1), seed 42), and (m, k, n)."""
    shape, op = key.split("/")
    d = [int(x) for x in shape.split("x")]
    m, k, n = (d[0], d[0], d[0]) if len(d) == 1 else d
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (k, m) if op[0] == "T" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if op[1] == "T" else (k, n)).astype(np.float32)
    x = a.T if op[0] == "T" else a
    y = b.T if op[1] == "T" else b
    c = np.empty((m, n), dtype=np.float32)
    return (lambda: np.matmul(x, y, out=c)), (m, k, n)


# Run as `python -c NUMPY_TIMER KEYS_JSON` in a fresh process (its own OpenBLAS threads); prints the
# median microseconds of each product as JSON.
NUMPY_TIMER = r"""
import json, sys, time
sys.path.insert(0, @BENCH@)
import numpy as np
from gemm_report import numpy_matmul
shapes = json.loads(sys.argv[1])
out = {}
for key in shapes:
    call, (m, k, n) = numpy_matmul(np, key)
    call()
    reps = max(1, int(2e8 / (2.0 * m * n * k)))
    times = []
    deadline = time.perf_counter() + 4
    while len(times) < 7 or (len(times) < 25 and time.perf_counter() < deadline):
        t = time.perf_counter()
        for _ in range(reps):
            call()
        times.append((time.perf_counter() - t) / reps)
    times.sort()
    out[key] = times[len(times) // 2] * 1e6
print(json.dumps(out))
""".replace("@BENCH@", repr(os.path.dirname(os.path.abspath(__file__))))


def gflops(shape, micros):
    d = [int(x) for x in shape.split("x")]
    m, k, n = (d[0], d[0], d[0]) if len(d) == 1 else d
    return 2.0 * m * n * k / (micros * 1e-6) / 1e9


def build_jar():
    """Builds bench/target/benchmarks.jar (JMH only lists its benchmarks) and returns the java to run it."""
    subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-Pbench", "package", "-Djmh.args=-l"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    jdk = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(jdk, "bin", "java")


def vector_lanes(java):
    """The float lanes of the JVM's preferred vector species (the jar's 'lanes' command)."""
    out = subprocess.run([java, "--add-modules", "jdk.incubator.vector", "-jar",
                          os.path.join(ROOT, "bench", "target", "benchmarks.jar"), "lanes"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def run_jmh(java, args, quick):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    extra = ["-wi", "1", "-i", "2", "-w", "500ms", "-r", "500ms"] if quick else []
    subprocess.run([java, "--add-modules", "jdk.incubator.vector", "-jar",
                    os.path.join(ROOT, "bench", "target", "benchmarks.jar")] + args.split() + extra
                   + ["-rf", "json", "-rff", out], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        results = json.load(f)
    os.unlink(out)
    return results


def median_of(result):
    raw = [x for it in result["primaryMetric"]["rawData"] for x in it]
    raw.sort()
    return raw[len(raw) // 2]


PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
BLAS_ENV, BLAS_NOTE = None, None


def numpy_times(keys, threads):
    global BLAS_ENV, BLAS_NOTE
    if BLAS_ENV is None:
        BLAS_ENV, BLAS_NOTE = blas_env.openblas_env(PYTHON)
        print(BLAS_NOTE, flush=True)
    env = dict(BLAS_ENV, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    python = PYTHON
    try:
        p = subprocess.run([python, "-c", NUMPY_TIMER, json.dumps(keys)], env=env, capture_output=True,
                           text=True, check=True)
        return json.loads(p.stdout)
    except (subprocess.CalledProcessError, json.JSONDecodeError) as e:
        if "No module named 'numpy'" in str(getattr(e, "stderr", "")):
            return None
        print("numpy timing failed:", getattr(e, "stderr", e), file=sys.stderr)
        return None


def main():
    quick = "--quick" in sys.argv
    square = ["256", "1024"] if quick else SQUARE
    shapes = square + DEMO
    scalar_shapes = ["256"] + DEMO[:1] if quick else [s for s in shapes if s != "2048"]
    entries = [(s, "NN", t) for s in shapes for t in (1, 2)]
    entries += [("1024", op, t) for op in TRANSPOSED for t in (1, 2)]

    java = build_jar()
    peak = run_jmh(java, "PeakBench", quick)
    ns_per_fma = median_of(peak[0])
    lanes = vector_lanes(java)  # 8 on AVX2, 16 on AVX-512: PeakBench's score is per vector FMA
    peak_gflops = 2 * lanes / ns_per_fma
    kernel = run_jmh(java, "GemmKernelBench", quick)
    kernel_gflops = 2 * lanes / median_of(kernel[0])

    # Each shape runs through JMH and then, straight after, through NumPy on as many threads, so
    # that both see the same state of this shared machine (it drifts over minutes).
    ours, blas = {}, {}
    for s, op, t in entries:
        r = run_jmh(java, f"GemmBench -p shape={s} -p threads={t} -p op={op}", quick)
        ours[(s, op, t)] = median_of(r[0])
        got = numpy_times([f"{s}/{op}"], t)
        blas[(s, op, t)] = None if got is None else got[f"{s}/{op}"]
        print(f"  {s} {op} t{t}: downhill {ours[(s, op, t)]:.1f} us, OpenBLAS "
              f"{'skipped' if blas[(s, op, t)] is None else f'{blas[(s, op, t)]:.1f} us'}", flush=True)
    scalar = run_jmh(java, f"GemmScalarBench -p shape={','.join(scalar_shapes)}", quick)
    base = {r["params"]["shape"]: median_of(r) for r in scalar}

    print()
    print(f"FMA peak, one core: {peak_gflops:.1f} GFLOP/s ({ns_per_fma:.3f} ns per {lanes}-lane FMA; "
          f"clock about {peak_gflops / (4 * lanes):.2f} GHz at {4 * lanes} FLOP/cycle, if two FMA units)")
    print(f"Micro-kernel alone, panels in L1 (GemmKernelBench): {kernel_gflops:.1f} GFLOP/s, "
          f"{100 * kernel_gflops / peak_gflops:.0f} % of peak")
    print()
    header = ("shape", "op", "thr", "downhill GFLOP/s", "% of peak", "x scalar", "OpenBLAS GFLOP/s", "ratio")
    print("{:<14} {:<3} {:>3} {:>17} {:>10} {:>9} {:>17} {:>7}".format(*header))
    for (s, op, t), micros in sorted(ours.items(), key=lambda kv: (kv[0][1], order(kv[0][0]), kv[0][2])):
        g = gflops(s, micros)
        pct = 100 * g / (peak_gflops * t)
        xs = f"{base[s] / micros:.0f}x" if op == "NN" and s in base else ""
        if blas[(s, op, t)] is None:
            bg, ratio = "skipped", ""
        else:
            bgf = gflops(s, blas[(s, op, t)])
            bg, ratio = f"{bgf:.1f}", f"{g / bgf:.2f}"
        print(f"{s:<14} {op:<3} {t:>3} {g:>17.1f} {pct:>9.0f}% {xs:>9} {bg:>17} {ratio:>7}")
    if all(v is None for v in blas.values()):
        print("\nOpenBLAS: skipped (NumPy not installed)")
    if BLAS_NOTE:
        print("\n" + BLAS_NOTE)
    print("\nmedian times (us): scalar", {k: round(v, 1) for k, v in base.items()})


def order(shape):
    d = [int(x) for x in shape.split("x")]
    return (len(d), d[0] if len(d) == 1 else d[0] * d[1] * d[2])


if __name__ == "__main__":
    main()
