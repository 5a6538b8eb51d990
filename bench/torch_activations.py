#!/usr/bin/python3
"""PyTorch CPU timings to put beside ActivationBench (issue 4's target: softmax and cross-entropy
faster than PyTorch on the same machine).

Run with Debian's python3-torch:  /usr/bin/python3 bench/torch_activations.py [--quick]
Prints 'skipped' and exits 0 when torch is not installed. For each thread count (1 and 2) it prints
the median time of softmax over the rows of a 4096x4096 float32 tensor and of cross-entropy
forward + backward on [4096, 1000] logits with class-index targets (mean reduction), plus relu,
sigmoid, tanh, gelu and exp on 4096x4096 for reference. Run it on a quiet machine, one benchmark at a time.
"""
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("skipped: torch is not installed (apt install python3-torch)")
    sys.exit(0)


def median_ms(fn, reps, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    quick = "--quick" in sys.argv
    reps = 3 if quick else 30
    torch.manual_seed(4)
    x = (torch.rand(4096, 4096) * 12 - 6).contiguous()
    out = torch.empty_like(x)
    logits = (torch.randn(4096, 1000) * 3).requires_grad_(True)
    labels = torch.randint(0, 1000, (4096,))

    def ce():
        logits.grad = None
        F.cross_entropy(logits, labels).backward()

    print(f"torch {torch.__version__}, median of {reps} runs, ms per call "
          f"(GB/s at 8 bytes per element of 4096x4096)")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        rows = []
        with torch.no_grad():
            rows.append(("softmax 4096x4096", median_ms(lambda: torch.softmax(x, dim=1), reps), True))
            for name, f in [("relu", lambda: torch.clamp_min(x, 0, out=out)),
                            ("sigmoid", lambda: torch.sigmoid(x, out=out)),
                            ("tanh", lambda: torch.tanh(x, out=out)),
                            ("gelu", lambda: F.gelu(x)),
                            ("exp", lambda: torch.exp(x, out=out))]:
                rows.append((name + " 4096x4096", median_ms(f, reps), True))
        rows.append(("cross-entropy fwd+bwd [4096, 1000]", median_ms(ce, reps), False))
        for name, ms, bw in rows:
            gbs = f"  {8 * 4096 * 4096 / (ms * 1e-3) / 1e9:6.1f} GB/s" if bw else ""
            print(f"threads={threads}  {name:36s} {ms:9.3f} ms{gbs}")


if __name__ == "__main__":
    main()
