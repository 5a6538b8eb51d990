#!/usr/bin/python3
"""The report's kernels and training steps side by side with what users would pick instead:
NumPy (on OpenBLAS) and PyTorch CPU, timed in the same run as the engine, with engine/peer ratios.

    /usr/bin/python3 bench/peers.py            # runs the report (about 5 minutes), then the peers (about 2)
    /usr/bin/python3 bench/peers.py --quick    # the quick report and its few rows: a smoke test
    /usr/bin/python3 bench/peers.py --csv bench/target/report/report.csv   # peers only, against a CSV

It runs `java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar report` on the JDK
that ./mvnw finds (building the jar when it is missing), reads its report.csv, then times every kernel
row's operation in NumPy and in PyTorch, each in a fresh process:

- NumPy with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = the row's threads (only matmul uses them: NumPy's
  element-wise ufuncs run on one thread whatever the row says);
- PyTorch on 1 thread and on 2 with OMP_WAIT_POLICY=PASSIVE (torch.set_num_threads does not reach
  OpenBLAS here, so OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are set too; with 2 spinning OpenMP threads
  its small steps run slower and erratic). A 1-thread row is compared with torch on 1 thread, an
  all-threads row with torch's better figure of the two.

ratio = peer time / engine time: above 1 the engine is faster. Peers write into preallocated outputs
(out=) where the API allows, as the engine's kernels do; softmax, GELU and cross-entropy allocate (no
out= in torch 1.13's functional API). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, when set in the
environment, are passed through unchanged to both peers; when they are not and OpenBLAS mistakes the CPU
for a generic one, OPENBLAS_CORETYPE is set for it (bench/blas_env.py says why); the line printed first
says which. 'skipped' when NumPy or torch is
not installed (Debian: python3-numpy, python3-torch; run with /usr/bin/python3).
"""
import csv
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
OUT = os.path.join(ROOT, "bench", "target", "report")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


# ------------------------------------------------------------------------------------ workers

def median_us(fn, budget=2.0, min_reps=5, max_reps=50):
    fn()
    fn()
    times = []
    deadline = time.perf_counter() + budget
    while len(times) < min_reps or (len(times) < max_reps and time.perf_counter() < deadline):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e6


def gemm_dims(size):
    if size.endswith("³"):
        n = int(size[:-1])
        return n, n, n
    m, k, n = (int(v) for v in size.split("×"))
    return m, k, n


def elements(size):
    return int(size.split()[0].rstrip("M")) << 20


def rows_cols(size):
    r, c = (int(v) for v in size.split("×"))
    return r, c


def numpy_job(np, job):
    kernel, size = job["kernel"], job["size"]
    rng = np.random.default_rng(1)
    if kernel in ("sgemm", "sgemm NT"):
        m, k, n = gemm_dims(size)
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n) if kernel == "sgemm" else (n, k)).astype(np.float32)
        bt = b if kernel == "sgemm" else b.T  # NT: x @ W.T, as nn.Linear
        c = np.empty((m, n), np.float32)
        return median_us(lambda: np.matmul(a, bt, out=c))
    if kernel in ("relu", "exp", "add", "mul", "sigmoid", "tanh"):
        n = elements(size)
        x = np.linspace(-6, 6, n, dtype=np.float32)
        y = np.linspace(0.5, 3.5, n, dtype=np.float32)
        o = np.empty_like(x)
        fn = {"relu": lambda: np.maximum(x, 0, out=o), "exp": lambda: np.exp(x, out=o),
              "add": lambda: np.add(x, y, out=o), "mul": lambda: np.multiply(x, y, out=o),
              "tanh": lambda: np.tanh(x, out=o)}.get(kernel)
        return None if fn is None else median_us(fn)
    if kernel == "softmax":
        r, c = rows_cols(size)
        x = np.linspace(-6, 6, r * c, dtype=np.float32).reshape(r, c)
        o = np.empty_like(x)

        def softmax():
            np.subtract(x, x.max(axis=1, keepdims=True), out=o)
            np.exp(o, out=o)
            np.divide(o, o.sum(axis=1, keepdims=True), out=o)
        return median_us(softmax)
    return None  # no NumPy counterpart (GELU, cross-entropy backward, optimizers, training steps)


def torch_job(torch, job):
    import torch.nn.functional as F
    kernel, size = job["kernel"], job["size"]
    g = torch.Generator().manual_seed(1)
    if kernel in ("sgemm", "sgemm NT"):
        m, k, n = gemm_dims(size)
        a, c = torch.rand(m, k, generator=g), torch.empty(m, n)
        b = torch.rand(k, n, generator=g) if kernel == "sgemm" else torch.rand(n, k, generator=g).t()
        return median_us(lambda: torch.mm(a, b, out=c))
    if kernel in ("relu", "exp", "add", "mul", "sigmoid", "tanh", "gelu"):
        n = elements(size)
        x = torch.linspace(-6, 6, n)
        y = torch.linspace(0.5, 3.5, n)
        o = torch.empty_like(x)
        fn = {"relu": lambda: torch.clamp_min(x, 0, out=o), "exp": lambda: torch.exp(x, out=o),
              "add": lambda: torch.add(x, y, out=o), "mul": lambda: torch.mul(x, y, out=o),
              "sigmoid": lambda: torch.sigmoid(x, out=o), "tanh": lambda: torch.tanh(x, out=o),
              "gelu": lambda: F.gelu(x)}[kernel]
        return median_us(fn)
    if kernel == "softmax":
        r, c = rows_cols(size)
        x = torch.linspace(-6, 6, r * c).reshape(r, c)
        return median_us(lambda: torch.softmax(x, 1))
    if kernel == "crossEntropy":
        r, c = rows_cols(size)
        logits = (torch.randn(r, c, generator=g) * 3).requires_grad_(True)
        labels = torch.randint(0, c, (r,), generator=g)

        def ce():
            logits.grad = None
            F.cross_entropy(logits, labels).backward()
        return median_us(ce)
    if kernel in ("sgd", "adamw", "rmsprop", "adagrad"):
        n = elements(size)
        p = (torch.rand(n, generator=g) * 2 - 1).requires_grad_(True)
        p.grad = (torch.rand(n, generator=g) * 2 - 1) * 1e-3
        best = None
        for foreach in (False, True):  # CPU's default is the for-loop; take the better of the two
            make = {"sgd": lambda: torch.optim.SGD([p], lr=1e-3, momentum=0.9, foreach=foreach),
                    "adamw": lambda: torch.optim.AdamW([p], lr=1e-4, foreach=foreach),
                    "rmsprop": lambda: torch.optim.RMSprop([p], lr=1e-2, foreach=foreach),
                    "adagrad": lambda: torch.optim.Adagrad([p], lr=1e-2, foreach=foreach)}[kernel]
            opt = make()
            us = median_us(opt.step)
            best = us if best is None else min(best, us)
        return best
    if kernel.startswith("step "):
        return median_us(torch_step(torch, kernel.split()[1]))
    return None


# As TrainingStepBench: 16 batches of data cycled through, one per step, and the model and optimizer
# rebuilt from the same seed every 500 steps. Trained on one fixed batch, the 8.5 MLP reaches a loss of
# exactly 0 within about 1000 steps and Adam's second moments turn subnormal, which made the step several
# times slower on both sides; this keeps every timed step one of the first 500 of an ordinary run.
STEP_BATCHES = 16
RESET_STEPS = 500


def torch_step(torch, model):
    """One training step of `model` (mlp85, mlp784, linreg) as a function, state kept between calls."""
    import torch.nn.functional as F
    nn = torch.nn
    g = torch.Generator().manual_seed(1)
    if model == "linreg":
        xs = [torch.randn(100, 1, generator=g) for _ in range(STEP_BATCHES)]
        ys = [3 * x + 1 + 0.1 * torch.randn(100, 1, generator=g) for x in xs]
        loss_fn = F.mse_loss

        def build():
            torch.manual_seed(0)
            net = nn.Linear(1, 1)
            return net, torch.optim.AdamW(net.parameters(), lr=0.01)
    else:
        widths, batch, cls = {"mlp85": ((100, 500, 500, 2), 10, torch.optim.Adam),
                              "mlp784": ((784, 1024, 1024, 10), 256, torch.optim.AdamW)}[model]
        xs = [torch.randn(batch, widths[0], generator=g) for _ in range(STEP_BATCHES)]
        ys = [torch.randint(0, widths[3], (batch,), generator=g) for _ in range(STEP_BATCHES)]
        loss_fn = F.cross_entropy

        def build():
            torch.manual_seed(0)
            net = nn.Sequential(nn.Linear(widths[0], widths[1]), nn.ReLU(), nn.Linear(widths[1], widths[2]),
                                nn.ReLU(), nn.Linear(widths[2], widths[3]))
            return net, cls(net.parameters(), lr=1e-3)
    state = {"steps": 0}

    def step():
        n = state["steps"]
        if n % RESET_STEPS == 0:
            state["net"], state["opt"] = build()
        state["steps"] = n + 1
        net, opt = state["net"], state["opt"]
        x, y = xs[n % STEP_BATCHES], ys[n % STEP_BATCHES]
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def worker(kind):
    jobs = json.load(sys.stdin)
    try:
        if kind == "numpy":
            import numpy as lib
        else:
            import torch as lib
            lib.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    except ImportError:
        print(json.dumps({"skipped": True}))
        return
    results = {}
    for job in jobs:
        fn = numpy_job if kind == "numpy" else torch_job
        try:
            results[job["key"]] = fn(lib, job)
        except Exception as e:  # one broken row must not cost the others
            print(f"{kind}: {job['kernel']} {job['size']} failed: {e!r}", file=sys.stderr)
            results[job["key"]] = None
    version = lib.__version__
    print(json.dumps({"skipped": False, "version": version, "times": results}))


# ---------------------------------------------------------------------------------------- main

def run_worker(base, kind, jobs, threads, passive=False):
    env = dict(base, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    if passive:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    p = subprocess.run([PYTHON, os.path.abspath(__file__), "--worker", kind], input=json.dumps(jobs), env=env,
                       capture_output=True, text=True)
    if p.stderr.strip():
        print(p.stderr.strip(), file=sys.stderr)
    if p.returncode != 0:
        print(f"{kind} on {threads} thread(s) failed", file=sys.stderr)
        return None
    got = json.loads(p.stdout.strip().splitlines()[-1])
    return None if got["skipped"] else got


def run_report(quick):
    jdk = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    if not os.path.exists(JAR):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-Pbench", "package", "-DskipTests", "-Djmh.args=-l"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    cmd = [os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-jar", JAR, "report", "--out", OUT]
    if quick:
        cmd.append("--quick")
    subprocess.run(cmd, cwd=ROOT, check=True)
    return os.path.join(OUT, "report.csv")


def fmt_us(us):
    if us is None:
        return "—"
    if us >= 1e6:
        return f"{us / 1e6:.2f} s"
    if us >= 1e3:
        return f"{us / 1e3:.1f} ms"
    return f"{us:.0f} µs" if us >= 10 else f"{us:.2f} µs"


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return
    quick = "--quick" in sys.argv
    path = sys.argv[sys.argv.index("--csv") + 1] if "--csv" in sys.argv else run_report(quick)
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["section"] != "limit"]
    threads = sorted({int(r["threads"]) for r in rows})
    jobs = {}
    for r in rows:
        key = f"{r['kernel']}|{r['size']}"
        jobs[key] = {"key": key, "kernel": r["kernel"], "size": r["size"]}
    job_list = list(jobs.values())

    print()
    env, note = blas_env.openblas_env(PYTHON)
    print("peers:", note, flush=True)
    numpy = {t: run_worker(env, "numpy", job_list, t) for t in threads}
    torch1 = run_worker(env, "torch", job_list, 1)
    torch2 = run_worker(env, "torch", job_list, max(threads), passive=True) if max(threads) > 1 else None

    def version(d):
        return next((v["version"] for v in d.values() if v), None) if isinstance(d, dict) else (d or {}).get("version")
    print(f"NumPy {version(numpy) or 'skipped'}, torch {(torch1 or {}).get('version', 'skipped')}; "
          "ratio = peer time / engine time (above 1: the engine is faster)\n")
    head = ("kernel", "size", "thr", "engine", "NumPy", "ratio", "torch", "(thr)", "ratio")
    print("{:<13} {:<18} {:>3} {:>10} {:>10} {:>6} {:>10} {:>5} {:>6}".format(*head))
    section = None
    for r in rows:
        if section is not None and r["section"] != section:
            print()
        section = r["section"]
        key = f"{r['kernel']}|{r['size']}"
        t = int(r["threads"])
        engine = float(r["time_us"])
        np_us = None if numpy.get(t) is None else numpy[t]["times"].get(key)
        candidates = [(torch1["times"].get(key), 1)] if torch1 else []
        if t > 1 and torch2:
            candidates.append((torch2["times"].get(key), max(threads)))
        candidates = [c for c in candidates if c[0] is not None]
        torch_us, torch_t = min(candidates) if candidates else (None, None)
        np_txt = "skipped" if numpy.get(t) is None else fmt_us(np_us)
        th_txt = "skipped" if torch1 is None else fmt_us(torch_us)
        print(f"{r['kernel']:<13} {r['size']:<18} {t:>3} {fmt_us(engine):>10} {np_txt:>10} "
              f"{(f'{np_us / engine:.2f}' if np_us else ''):>6} {th_txt:>10} {(str(torch_t) if torch_t else ''):>5} "
              f"{(f'{torch_us / engine:.2f}' if torch_us else ''):>6}")
    print("\nNumPy's element-wise ufuncs use one thread on every row; torch (thr) is the thread count of its better figure.")


if __name__ == "__main__":
    main()
