"""PyTorch CPU's optimizer step on a 16M-element float32 parameter, for comparison with OptimizerBench.

Run with Debian's python3-torch:  /usr/bin/python3 bench/torch_optim.py [threads ...]
Prints the median time of one step (ms) and GB/s, counting the same bytes as OptimizerBench:
SGD momentum 20 B per element (param, grad, buffer read; param, buffer written), AdamW 28 B
(param, grad, m, v read; param, m, v written). Prints 'skipped' and exits 0 without torch.
"""
import statistics
import sys
import time

try:
    import torch
except ImportError:
    print("skipped: torch is not installed (Debian: apt-get install python3-torch; run with /usr/bin/python3)")
    sys.exit(0)

N = 1 << 24
REPEATS = 30


def median_ms(step):
    for _ in range(5):
        step()
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def run(threads):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    p = (torch.rand(N, generator=g) * 2 - 1).requires_grad_(True)
    p.grad = (torch.rand(N, generator=g) * 2 - 1) * 1e-3
    cases = [
        ("SGD momentum 0.9", torch.optim.SGD([p], lr=1e-3, momentum=0.9), 20),
        ("AdamW foreach=True", torch.optim.AdamW([p], lr=1e-4, foreach=True), 28),
        ("AdamW foreach=False", torch.optim.AdamW([p], lr=1e-4, foreach=False), 28),
    ]
    for name, opt, bytes_per in cases:
        ms = median_ms(opt.step)
        print(f"torch {torch.__version__} threads={threads} {name}: median {ms:.2f} ms/step, "
              f"{bytes_per * N / ms / 1e6:.1f} GB/s")


if __name__ == "__main__":
    for t in [int(a) for a in sys.argv[1:]] or [1, 2]:
        run(t)
