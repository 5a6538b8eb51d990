#!/usr/bin/python3
"""tiny-gpt in PyTorch: the same architecture, hyper-parameters and batch shape as downhill's demo
(examples/.../TinyGpt.java), timed on this machine, for the side-by-side figure in the README.

Run:  /usr/bin/python3 bench/torch_tiny_gpt.py [threads ...]   (default: 1 2)
Prints training-step time and tokens per second per thread count, and the held-out accuracy the
same schedule reaches. First it runs downhill's demo on the same thread counts (the launcher jar,
built by ./mvnw -q -Pdemos package, with -Ddownhill.threads=N) and prints its tokens per second, so
both sides are measured in one run, one after the other. Skips with a message when torch is not installed. PyTorch's threads: with
2 OpenMP threads it spins and runs erratically on 2 cores unless OMP_WAIT_POLICY=PASSIVE, so this
script sets that and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS before importing torch (re-executing
itself once per thread count).
"""
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def downhill(threads):
    jar = os.path.join(ROOT, "examples", "target", "downhill-examples.jar")
    if not os.path.exists(jar):
        print("downhill: skipped (build the launcher first: ./mvnw -q -Pdemos package)")
        return
    jdk = subprocess.run([os.path.join(ROOT, "mvnw"), "--print-jdk"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector",
                            "-Ddownhill.threads=%d" % threads, "-Ddownhill.progress=off", "-jar", jar, "run", "tiny-gpt",
                            "--out", out], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("trained") or "accuracy after training" in line:
            print("downhill, %d thread(s): %s" % (threads, line))


if "TINY_GPT_THREADS" not in os.environ:
    import tempfile
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from blas_env import openblas_env
    counts = [int(a) for a in sys.argv[1:]] or [1, 2]
    for n in counts:
        downhill(n)
    base, note = openblas_env(sys.executable)  # PyTorch on OpenBLAS's right kernels, as peers.py times it
    print(note)
    for n in counts:
        env = dict(base, TINY_GPT_THREADS=str(n), OMP_NUM_THREADS=str(n), OPENBLAS_NUM_THREADS=str(n),
                   MKL_NUM_THREADS=str(n), OMP_WAIT_POLICY="PASSIVE")
        subprocess.run([sys.executable, __file__], env=env, check=False)
    sys.exit(0)

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("skipped: torch is not installed (Debian: apt-get install python3-torch)")
    sys.exit(0)

threads = int(os.environ["TINY_GPT_THREADS"])
torch.set_num_threads(threads)
torch.manual_seed(1337)
PLUS, EQUALS, VOCAB, PROMPT, ANSWER = 10, 11, 12, 6, 3
BLOCK = PROMPT + ANSWER - 1
N_LAYER, N_EMBD, N_HEAD, BATCH, STEPS, LR, WARMUP = 2, 64, 4, 64, 1000, 3e-3, 100


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(N_EMBD, 3 * N_EMBD)
        self.c_proj = nn.Linear(N_EMBD, N_EMBD)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // N_HEAD)
        att = att.masked_fill(torch.ones(T, T).triu(1).bool(), float("-inf")).softmax(-1)
        return self.c_proj((att @ v).transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(N_EMBD), CausalSelfAttention(), nn.LayerNorm(N_EMBD)
        self.mlp = nn.Sequential(nn.Linear(N_EMBD, 4 * N_EMBD), nn.GELU(), nn.Linear(4 * N_EMBD, N_EMBD))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, N_EMBD), nn.Embedding(BLOCK, N_EMBD)
        self.h = nn.ModuleList(Block() for _ in range(N_LAYER))
        self.ln_f, self.lm_head = nn.LayerNorm(N_EMBD), nn.Linear(N_EMBD, VOCAB, bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h:
            x = b(x)
        return self.lm_head(self.ln_f(x))


def tokens(a, b):
    s = a + b
    return [a // 10, a % 10, PLUS, b // 10, b % 10, EQUALS, s % 10, s // 10 % 10, s // 100]


problems = [(a, b) for a in range(100) for b in range(100)]
order = torch.randperm(len(problems)).tolist()
held = [problems[i] for i in order[:1000]]
train = [problems[i] for i in order[1000:]]


def split(ps):
    seq = torch.tensor([tokens(a, b) for a, b in ps])
    y = seq[:, 1:].clone()
    y[:, :PROMPT - 1] = -1
    return seq[:, :-1], y


trx, tr_y = split(train)
tex, te_y = split(held)
model = Gpt()
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=LR, betas=(0.9, 0.99))
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / WARMUP if s < WARMUP
                                          else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (s - WARMUP) / (STEPS - WARMUP))))


def accuracy():
    model.eval()
    with torch.no_grad():
        seq = tex[:, :PROMPT]
        for _ in range(ANSWER):
            seq = torch.cat([seq, model(seq)[:, -1].argmax(-1, keepdim=True)], 1)
        ok = (seq[:, PROMPT:] == te_y[:, PROMPT - 1:]).all(1).float().mean().item()
    model.train()
    return ok


t0 = time.perf_counter()
for step in range(STEPS):
    rows = torch.randint(0, len(train), (BATCH,))
    x, y = trx[rows], tr_y[rows]
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1), ignore_index=-1)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
secs = time.perf_counter() - t0
print(f"torch {torch.__version__}, {threads} thread(s): {STEPS} steps in {secs:.1f} s, {secs / STEPS * 1e3:.2f} ms/step,"
      f" {STEPS * BATCH * BLOCK / secs:.0f} tokens/s; held-out accuracy {accuracy():.3f}")
