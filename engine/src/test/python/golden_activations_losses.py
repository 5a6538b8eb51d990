#!/usr/bin/python3
"""Golden values for downhill's activations and losses (issue 4), computed with PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/python/golden_activations_losses.py
It writes engine/src/test/resources/golden/activations_losses.json, which
ActivationsGoldenTest and LossGoldenTest read (CI needs no Python).

Every case holds its inputs, the forward result and the gradient of the input for a fixed upstream
gradient. Non-finite numbers are written as the strings "nan", "inf", "-inf" (strict JSON has none).
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(4)


def enc(values):
    out = []
    for v in values:
        v = float(v)
        if math.isnan(v):
            out.append("nan")
        elif math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(v)
    return out


def flat(t):
    return enc(t.detach().reshape(-1).tolist())


def upstream_like(t):
    """A fixed, non-uniform upstream gradient, so a wrong per-element backward shows."""
    n = t.numel()
    return torch.linspace(-1.0, 1.5, n).reshape(t.shape) if n > 1 else torch.tensor(0.75).reshape(t.shape)


# ---------------------------------------------------------------- activations

ACT = []


def act(name, fn, x, **options):
    x = x.clone().float().requires_grad_(True)
    y = fn(x)
    g = upstream_like(y)
    y.backward(g)
    ACT.append({"name": name, "options": options, "shape": list(x.shape), "x": flat(x), "y": flat(y),
                "upstream": flat(g), "grad": flat(x.grad)})


grid = torch.cat([torch.linspace(-6, 6, 97), torch.tensor([-30.0, -15.0, -0.3, 0.3, 15.0, 30.0])])
for name, fn, opts in [
    ("relu", F.relu, {}),
    ("leakyRelu", F.leaky_relu, {}),
    ("leakyRelu", lambda x: F.leaky_relu(x, 0.2), {"negativeSlope": 0.2}),
    ("sigmoid", torch.sigmoid, {}),
    ("tanh", torch.tanh, {}),
    ("gelu", F.gelu, {"approximate": "none"}),
    ("gelu", lambda x: F.gelu(x, approximate="tanh"), {"approximate": "tanh"}),
    ("silu", F.silu, {}),
    ("softplus", F.softplus, {}),
    ("softplus", lambda x: F.softplus(x, beta=2.0, threshold=5.0), {"beta": 2.0, "threshold": 5.0}),
    ("softplus", lambda x: F.softplus(x, beta=0.5, threshold=20.0), {"beta": 0.5, "threshold": 20.0}),
]:
    # kinks (relu at 0) are avoided by the grid: 0 is not on it
    act(name, fn, grid, **opts)

x3 = torch.randn(3, 4, 5) * 3
for dim in [0, 1, 2, -1]:
    act("softmax", lambda x: F.softmax(x, dim=dim), x3, dim=dim)
    act("logSoftmax", lambda x: F.log_softmax(x, dim=dim), x3, dim=dim)
big = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, -1e4, -1e4, -1e4]])
act("softmax", lambda x: F.softmax(x, dim=1), big, dim=1)
act("logSoftmax", lambda x: F.log_softmax(x, dim=1), big, dim=1)
# The chapter's probabilities [0.6590, 0.2424, 0.0986].
act("softmax", lambda x: F.softmax(x, dim=1), torch.tensor([[2.0, 1.0, 0.1]]), dim=1)

# Forward only, on specials (gradients there are NaN in PyTorch and not part of the contract).
SPECIAL_X = [float("-inf"), float("inf"), float("nan"), -0.0, 0.0, -100.0, -20.0, 20.0, 100.0, 1e-30, -1e-30, 1e-45]
SPECIALS = []
sx = torch.tensor(SPECIAL_X)
for name, fn in [("relu", F.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("gelu", F.gelu),
                 ("geluTanh", lambda x: F.gelu(x, approximate="tanh")), ("silu", F.silu), ("softplus", F.softplus),
                 ("leakyRelu", F.leaky_relu)]:
    SPECIALS.append({"name": name, "x": enc(SPECIAL_X), "y": flat(fn(sx))})

# Exact GELU in double over a dense sweep: the accuracy reference (Java has no erf).
sweep = torch.linspace(-16, 16, 4001, dtype=torch.float64)
sweep32 = sweep.float().double()
# Through erfc, not F.gelu: F.gelu's 1 + erf(x/√2) cancels to 0 below x ≈ −8 even in double.
exact_gelu = 0.5 * sweep32 * torch.special.erfc(-sweep32 / math.sqrt(2))
GELU_REF = {"x": flat(sweep32), "gelu": [float(v) for v in exact_gelu.tolist()]}

# ---------------------------------------------------------------- losses

LOSS = []


def loss_case(name, fn, inp, target, options, weight=None, pos_weight=None):
    x = inp.clone().float().requires_grad_(True)
    out = fn(x)
    g = upstream_like(out)
    out.backward(g)
    LOSS.append({"name": name, "options": options,
                 "input": flat(x), "inputShape": list(x.shape),
                 "target": flat(target), "targetShape": list(target.shape),
                 "weight": None if weight is None else flat(weight),
                 "posWeight": None if pos_weight is None else flat(pos_weight),
                 "loss": flat(out), "lossShape": list(out.shape),
                 "upstream": flat(g), "grad": flat(x.grad)})


REDUCTIONS = ["mean", "sum", "none"]

# The chapter's values.
pred = torch.tensor([2.5, 0.0, 2.1, 1.6])
true = torch.tensor([3.0, -0.5, 2.0, 1.5])
loss_case("mseLoss", lambda x: F.mse_loss(x, true), pred, true, {"reduction": "mean"})
chapter_logits = torch.tensor([[2.0, 1.0, 0.1]])
chapter_label = torch.tensor([0])
loss_case("crossEntropy", lambda x: F.cross_entropy(x, chapter_label), chapter_logits, chapter_label.float(),
          {"reduction": "mean"})

a = torch.randn(3, 5) * 2
b = torch.randn(3, 5) * 2
for r in REDUCTIONS:
    loss_case("mseLoss", lambda x: F.mse_loss(x, b, reduction=r), a, b, {"reduction": r})
    loss_case("l1Loss", lambda x: F.l1_loss(x, b, reduction=r), a, b, {"reduction": r})
    for beta in [1.0, 0.5, 0.0]:
        loss_case("smoothL1Loss", lambda x: F.smooth_l1_loss(x, b, reduction=r, beta=beta), a, b,
                  {"reduction": r, "beta": beta})
    for delta in [1.0, 2.5]:
        loss_case("huberLoss", lambda x: F.huber_loss(x, b, reduction=r, delta=delta), a, b,
                  {"reduction": r, "delta": delta})

N, C = 6, 5
logits = torch.randn(N, C) * 2
labels = torch.tensor([0, 1, 4, 1, 3, 2])
cw = torch.tensor([0.5, 2.0, 1.0, 0.25, 1.5])
for r in REDUCTIONS:
    for w in [None, cw]:
        for ignore in [-100, 1]:
            for ls in [0.0, 0.1]:
                loss_case("crossEntropy",
                          lambda x: F.cross_entropy(x, labels, weight=w, ignore_index=ignore, reduction=r,
                                                    label_smoothing=ls),
                          logits, labels.float(), {"reduction": r, "ignoreIndex": ignore, "labelSmoothing": ls},
                          weight=w)
            loss_case("nllLoss", lambda x: F.nll_loss(x, labels, weight=w, ignore_index=ignore, reduction=r),
                      F.log_softmax(logits, 1), labels.float(), {"reduction": r, "ignoreIndex": ignore}, weight=w)

# Spatial [N, C, d1, d2] with [N, d1, d2] targets, and unbatched [C].
sp_logits = torch.randn(2, 4, 3, 2) * 2
sp_labels = torch.randint(0, 4, (2, 3, 2))
sp_labels[0, 1, 1] = 2
sp_w = torch.tensor([1.0, 0.5, 2.0, 1.25])
for r in REDUCTIONS:
    loss_case("crossEntropy", lambda x: F.cross_entropy(x, sp_labels, weight=sp_w, ignore_index=2, reduction=r,
                                                        label_smoothing=0.2),
              sp_logits, sp_labels.float(), {"reduction": r, "ignoreIndex": 2, "labelSmoothing": 0.2}, weight=sp_w)
    loss_case("crossEntropy", lambda x: F.cross_entropy(x, sp_labels, reduction=r), sp_logits, sp_labels.float(),
              {"reduction": r})
un_logits = torch.tensor([0.5, -1.0, 2.0, 0.25])
un_label = torch.tensor(2)
loss_case("crossEntropy", lambda x: F.cross_entropy(x, un_label), un_logits, un_label.float(), {"reduction": "mean"})

# Probability targets.
probs = torch.softmax(torch.randn(N, C), dim=1)
for r in REDUCTIONS:
    for w in [None, cw]:
        for ls in [0.0, 0.1]:
            loss_case("crossEntropy", lambda x: F.cross_entropy(x, probs, weight=w, reduction=r, label_smoothing=ls),
                      logits, probs, {"reduction": r, "labelSmoothing": ls}, weight=w)
sp_probs = torch.softmax(torch.randn(2, 4, 3, 2), dim=1)
loss_case("crossEntropy", lambda x: F.cross_entropy(x, sp_probs, weight=sp_w, label_smoothing=0.1), sp_logits, sp_probs,
          {"reduction": "mean", "labelSmoothing": 0.1}, weight=sp_w)

# Logits of ±1e4: finite, exact.
huge = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]])
huge_labels = torch.tensor([1, 0, 2])
for ls in [0.0, 0.1]:
    loss_case("crossEntropy", lambda x: F.cross_entropy(x, huge_labels, label_smoothing=ls), huge, huge_labels.float(),
              {"reduction": "mean", "labelSmoothing": ls})

# Binary.
p = torch.sigmoid(torch.randn(4, 3) * 2)
p[0, 0] = 0.0
p[1, 1] = 1.0
y = torch.bernoulli(torch.full((4, 3), 0.5))
y[0, 0] = 0.0
y[1, 1] = 1.0
y[2, 2] = 0.3  # soft labels are allowed
bw = torch.tensor([0.5, 1.0, 2.0])
for r in REDUCTIONS:
    for w in [None, bw]:
        loss_case("binaryCrossEntropy", lambda x: F.binary_cross_entropy(x, y, weight=w, reduction=r), p, y,
                  {"reduction": r}, weight=w)
z = torch.randn(4, 3) * 3
z[3, 0] = 1e4
z[3, 1] = -1e4
pw = torch.tensor([3.0, 0.5, 1.0])
for r in REDUCTIONS:
    for w in [None, bw]:
        for pos in [None, pw]:
            loss_case("binaryCrossEntropyWithLogits",
                      lambda x: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pos, reduction=r),
                      z, y, {"reduction": r}, weight=w, pos_weight=pos)

out = {"torch": torch.__version__, "activations": ACT, "specials": SPECIALS, "geluReference": GELU_REF,
       "losses": LOSS}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden",
                    "activations_losses.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path), len(ACT), "activation cases,", len(LOSS), "loss cases")
