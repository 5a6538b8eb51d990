#!/usr/bin/python3
"""The engine and its peer timed in turns, each turn a fraction of a second, so both sides share the
machine's spells.

    /usr/bin/python3 bench/duel.py gemm THREADS SHAPE/OP... [--pairs N] [--millis MS] [--jar JAR]
    /usr/bin/python3 bench/duel.py steps MODEL... [--pairs N] [--millis MS] [--jar JAR]
    /usr/bin/python3 bench/duel.py products MODEL THREADS [--pairs N] [--millis MS] [--jar JAR]
    /usr/bin/python3 bench/duel.py versus OLD.jar 'REQUEST'... [--pairs N] [--jar JAR] [--jvm-args 'ARGS']

Why: this shared VM's speed changes for both vCPUs together, in spells of a few seconds to a minute (a
64^3 product: 3.7 us in one, 7-10 us in the next, pinned to either vCPU alike). A script that times the
engine in one process and then NumPy or PyTorch in another compares two spells as often as two
libraries. Here one JVM (`benchmarks.jar serve`, Serve.java) and one Python process per peer and thread
count stay up, and take turns: each pair of turns (MS milliseconds each, the order alternating) gives
one ratio, and the figure is the median of the ratios, with their range and how many pairs reached the
target.

- gemm: each product on THREADS threads, the engine against NumPy's matmul (OpenBLAS, with
  OPENBLAS_NUM_THREADS = THREADS; blas_env.py sets OPENBLAS_CORETYPE when OpenBLAS takes this CPU for a
  generic one). Ratio NumPy / engine (above 1: the engine is faster); target 1.0.
- steps: each training step of TrainingStepBench (mlp85, mlp784, linreg) on 1 and on 2 threads, against
  the same step in PyTorch on 1 thread and on 2 (OMP_WAIT_POLICY=PASSIVE), peers.py's step; per round
  the better thread count of each side, ratio torch / engine; targets 7 (mlp85) and 1.6 (mlp784), the
  issue-16 targets.
- products: the engine's step on THREADS threads against all of its matrix products alone, one after
  the other (StepSplit's list), both in the one JVM; ratio step / products; target at most 1.15.
- versus: before and after: each REQUEST (a line Serve.java answers, e.g. 'gemm 1 10x100x500/NN 300' or
  'step mlp85 2 300') on another build's benchmarks.jar and on this one, two JVMs taking turns; ratio
  old / new (above 1: this build is faster). OLD.jar may be this build's own jar: with --jvm-args the
  new side's JVM gets those options (e.g. '-Xmn32m'), so the duel weighs a JVM setting.

Defaults: 20 pairs, 300 ms a turn (600 for mlp784). The first turn of each item on each side warms it up
and is not counted.
"""
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_env  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "bench", "target", "benchmarks.jar")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TARGETS = {"mlp85": 7.0, "mlp784": 1.6}


# ------------------------------------------------------------------ the Python side of a duel

def serve_python(kind):
    """Answers 'gemm SHAPE/OP MS' (NumPy) or 'step MODEL MS' (PyTorch) with 'ok <median us>'."""
    try:
        if kind == "numpy":
            import numpy as lib
            import gemm_report
        else:
            import torch as lib
            lib.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
            import peers
    except ImportError as e:  # said instead of "ready": the driver stops with this line
        print(f"{e} (Debian: apt install python3-numpy python3-torch; run with /usr/bin/python3)", flush=True)
        return
    items = {}
    print("ready", flush=True)
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            what, millis = w[1], float(w[2])
            fn = items.get(what)
            if fn is None:
                fn = gemm_report.numpy_matmul(lib, what)[0] if kind == "numpy" else peers.torch_step(lib, what)
                end = time.perf_counter() + 2
                while time.perf_counter() < end:
                    fn()
                items[what] = fn
            print(f"ok {median_us(fn, millis):.3f}", flush=True)
        except Exception as e:  # answer, so that the driver can say which item failed
            print(f"error {e!r}", flush=True)


def median_us(fn, millis):
    """Median of batch means, each batch at least 50 us of calls, over `millis` ms (at least 5 batches)."""
    t = time.perf_counter()
    fn()
    reps = max(1, int(50e-6 / max(time.perf_counter() - t, 1e-9)))
    times = []
    deadline = time.perf_counter() + millis / 1e3
    while len(times) < 5 or time.perf_counter() < deadline:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps)
    return statistics.median(times) * 1e6


# ------------------------------------------------------------------ the driver

class Server:
    def __init__(self, name, cmd, env=None):
        self.name = name
        self.p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, bufsize=1)
        first = self.p.stdout.readline().strip()
        if first != "ready":
            raise SystemExit(f"duel: {name} did not start (said {first!r})")

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        answer = self.p.stdout.readline().strip()
        if not answer.startswith("ok "):
            raise SystemExit(f"duel: {self.name} could not run '{line}': {answer or 'no answer'}")
        return float(answer[3:])

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def engine(jar, jvm_args=()):
    found = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], cwd=ROOT, capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit("duel: " + (found.stderr.strip() or found.stdout.strip() or "./mvnw --print-jdk failed"))
    jdk = found.stdout.strip()
    return Server("the engine", [os.path.join(jdk, "bin", "java"), *jvm_args, "--add-modules", "jdk.incubator.vector",
                                 "-jar", jar, "serve"])


def python_peer(kind, threads):
    env, note = blas_env.openblas_env(PYTHON)
    env = dict(env, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    if kind == "torch" and threads > 1:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    env["PYTHONPATH"] = os.path.dirname(os.path.abspath(__file__))
    return Server(f"{kind} on {threads} thread(s)", [PYTHON, os.path.abspath(__file__), "--serve", kind], env), note


def duel(rounds, turns, combine):
    """`turns`: name -> function running one turn; per round all of them in a rotated order, then `combine`."""
    names = list(turns)
    for n in names:
        turns[n]()  # warm-up turn, not counted
    ratios, per = [], {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        if r % 2:
            order.reverse()
        got = {n: turns[n]() for n in order}
        for n in names:
            per[n].append(got[n])
        ratios.append(combine(got))
    return ratios, {n: statistics.median(v) for n, v in per.items()}


def summary(ratios, target, above=True):
    s = sorted(ratios)
    hit = sum(1 for x in ratios if (x >= target if above else x <= target))
    return f"ratio {statistics.median(ratios):.2f} (range {s[0]:.2f}-{s[-1]:.2f}; {hit} of {len(ratios)} pairs " \
           f"{'>=' if above else '<='} {target:g})"


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--serve":
        serve_python(args[1])
        return

    def option(name, default):
        if name in args:
            i = args.index(name)
            value = args[i + 1]
            del args[i:i + 2]
            return value
        return default
    pairs = int(option("--pairs", "20"))
    millis = option("--millis", None)
    jar = os.path.abspath(option("--jar", JAR))
    jvm_args = option("--jvm-args", "").split()
    if not args or args[0] not in ("gemm", "steps", "products", "versus"):
        raise SystemExit(__doc__)
    mode = args[0]
    if not os.path.exists(jar):
        raise SystemExit(f"duel: {jar} is missing; build it with ./mvnw -q -Pbench package -DskipTests")
    eng = engine(jar, jvm_args)
    servers = [eng]
    try:
        if mode == "gemm":
            threads = int(args[1])
            npy, note = python_peer("numpy", threads)
            servers.append(npy)
            ms = int(millis or 300)
            print(f"duel gemm, {threads} thread(s), {pairs} pairs of {ms} ms turns; NumPy: {note}")
            for key in args[2:]:
                ratios, med = duel(pairs, {"engine": lambda: eng.ask(f"gemm {threads} {key} {ms}"),
                                           "numpy": lambda: npy.ask(f"gemm {key} {ms}")},
                                   lambda got: got["numpy"] / got["engine"])
                print(f"  {key:18} engine {med['engine']:9.2f} us  NumPy {med['numpy']:9.2f} us  "
                      f"{summary(ratios, 1.0)}")
        elif mode == "steps":
            t1, note = python_peer("torch", 1)
            t2, _ = python_peer("torch", 2)
            servers += [t1, t2]
            print(f"duel steps, {pairs} rounds; PyTorch on 1 and 2 threads (passive), the engine on 1 and 2; "
                  f"per round the better of each side")
            for model in args[1:]:
                ms = int(millis or (600 if model == "mlp784" else 300))
                ratios, med = duel(pairs, {"engine 1": lambda: eng.ask(f"step {model} 1 {ms}"),
                                           "engine 2": lambda: eng.ask(f"step {model} 2 {ms}"),
                                           "torch 1": lambda: t1.ask(f"step {model} {ms}"),
                                           "torch 2": lambda: t2.ask(f"step {model} {ms}")},
                                   lambda got: min(got["torch 1"], got["torch 2"]) / min(got["engine 1"], got["engine 2"]))
                print(f"  {model:8} engine {med['engine 1']:9.1f} / {med['engine 2']:9.1f} us (1 / 2 threads)  "
                      f"torch {med['torch 1']:9.1f} / {med['torch 2']:9.1f} us  "
                      f"{summary(ratios, TARGETS.get(model, 1.0))}")
        elif mode == "versus":
            old = engine(os.path.abspath(args[1]))
            servers.append(old)
            print(f"duel versus {args[1]}, {pairs} pairs, two JVMs taking turns")
            for request in args[2:]:
                ratios, med = duel(pairs, {"new": lambda: eng.ask(request), "old": lambda: old.ask(request)},
                                   lambda got: got["old"] / got["new"])
                print(f"  {request:32} old {med['old']:9.2f} us  new {med['new']:9.2f} us  {summary(ratios, 1.0)}")
        else:
            model, threads = args[1], int(args[2])
            ms = int(millis or (600 if model == "mlp784" else 300))
            print(f"duel products, {model} on {threads} thread(s), {pairs} pairs of {ms} ms turns, one JVM")
            ratios, med = duel(pairs, {"step": lambda: eng.ask(f"step {model} {threads} {ms}"),
                                       "products": lambda: eng.ask(f"products {model} {threads} {ms}")},
                               lambda got: got["step"] / got["products"])
            print(f"  step {med['step']:.1f} us, its products alone {med['products']:.1f} us: "
                  f"{summary(ratios, 1.15, above=False)}")
    finally:
        for s in servers:
            s.close()


if __name__ == "__main__":
    main()
