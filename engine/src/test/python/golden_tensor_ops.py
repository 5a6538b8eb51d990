#!/usr/bin/python3
"""Golden values for downhill's Tensor ops at their kinks and for the ops of issue 11, from PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/python/golden_tensor_ops.py
It writes engine/src/test/resources/golden/tensor_ops.json, which KinkGoldenTest reads (CI needs
no Python).

Each case names an op applied to fixed inputs: the inputs (shape and values), the output (values,
and indices where the op returns them), the fixed upstream gradient and the gradient of every input
(null where an input takes none). The Java test applies the same op to the same inputs. Kinks are
where GradCheck stays away by design: relu'(0), abs'(0), max/min ties, maximum ties, clamp at its
bounds, norm at zero, where with equal branches; PyTorch's choice there is the reference.
"""
import json
import math
import os

import torch


def enc(values):
    out = []
    for v in values:
        v = float(v)
        out.append("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else v)
    return out


def flat(t):
    return enc(t.detach().reshape(-1).tolist())


CASES = []


def case(name, fn, *inputs):
    """fn takes the input tensors and returns a tensor, or (values, indices) for ops that return both;
    each input is d(values) (it gets a gradient) or c(values) (a constant)."""
    xs = [torch.tensor(v, dtype=torch.float32).requires_grad_(wants) for v, wants in inputs]
    out = fn(*xs)
    indices = None
    if isinstance(out, tuple):
        out, indices = out
    entry = {"name": name, "inputs": [{"shape": list(x.shape), "values": flat(x)} for x in xs],
             "shape": list(out.shape), "output": flat(out)}
    if indices is not None:
        entry["indices"] = flat(indices)
    if out.requires_grad:
        n = out.numel()
        g = torch.linspace(-1.0, 1.5, n).reshape(out.shape) if n > 1 else torch.full(out.shape, 0.75)
        out.backward(g)
        entry["upstream"] = flat(g)
        entry["grads"] = [flat(x.grad) if x.grad is not None else None for x in xs]
    CASES.append(entry)


def d(values):
    """An input that receives a gradient."""
    return (values, True)


def c(values):
    """A constant input (an index, a mask, a condition): no gradient."""
    return (values, False)


# ---------------------------------------------------------------- kinks
case("relu at 0", lambda x: torch.relu(x), d([-1.0, 0.0, -0.0, 2.0]))
case("abs at 0", lambda x: torch.abs(x), d([-1.5, 0.0, -0.0, 2.0]))
case("max over all, ties", lambda x: torch.max(x), d([[1.0, 3.0], [3.0, 2.0], [3.0, -1.0]]))
case("min over all, ties", lambda x: torch.min(x), d([[1.0, -3.0], [3.0, -3.0]]))
case("max over dim 1, ties", lambda x: torch.max(x, 1), d([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [5.0, 4.0, 5.0]]))
case("min over dim 0, ties", lambda x: torch.min(x, 0), d([[1.0, 3.0, 0.0], [1.0, 2.0, 0.0]]))
case("max over dim 0, keepdim", lambda x: torch.max(x, 0, keepdim=True), d([[1.0, 7.0], [4.0, 7.0], [4.0, 0.0]]))
case("maximum, ties", lambda a, b: torch.maximum(a, b), d([1.0, 2.0, 3.0, -1.0]), d([1.0, 1.0, 3.0, 0.0]))
case("minimum, ties, broadcast", lambda a, b: torch.minimum(a, b), d([[1.0, 2.0], [0.5, -2.0]]), d([1.0, -2.0]))
case("clamp at its bounds", lambda x: torch.clamp(x, 0.0, 1.0), d([-1.0, 0.0, 0.5, 1.0, 2.0]))
case("clamp, min above max", lambda x: torch.clamp(x, 2.0, 1.0), d([0.0, 1.5, 3.0]))
case("norm at zero", lambda x: torch.norm(x), d([0.0, 0.0, 0.0]))
case("norm over dim 1, one row zero", lambda x: torch.norm(x, dim=1), d([[0.0, 0.0], [3.0, 4.0]]))
case("where with equal branches", lambda cond, a, b: torch.where(cond > 0, a, b),
     c([1.0, 0.0, 1.0, 0.0]), d([2.0, 2.0, -1.0, 5.0]), d([2.0, 2.0, -1.0, 5.0]))
# ---------------------------------------------------------------- the new ops on fixed inputs
case("sin", lambda x: torch.sin(x), d([-3.0, -1.0, 0.0, 0.5, 2.0, 10.0]))
case("cos", lambda x: torch.cos(x), d([-3.0, -1.0, 0.0, 0.5, 2.0, 10.0]))
case("where, broadcast", lambda cond, a, b: torch.where(cond > 0, a, b),
     c([[1.0], [0.0]]), d([1.0, 2.0, 3.0]), d([[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0]]))
case("maskedFill, causal", lambda x, m: x.masked_fill(m > 0, -1e9), d([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
     c([[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]))
case("indexSelect dim 1, repeats", lambda x, i: torch.index_select(x, 1, i.long()),
     d([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), c([2.0, 0.0, 2.0, 2.0]))
case("indexSelect dim 0", lambda x, i: torch.index_select(x, 0, i.long()),
     d([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]), c([1.0, 1.0, 0.0]))
case("gather dim 1, repeats", lambda x, i: torch.gather(x, 1, i.long()),
     d([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), c([[0.0, 0.0, 2.0, 0.0], [1.0, 2.0, 2.0, 1.0]]))
case("gather dim 0, smaller index", lambda x, i: torch.gather(x, 0, i.long()),
     d([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]), c([[2.0, 0.0], [1.0, 1.0]]))
case("narrow dim 1", lambda x: torch.narrow(x, 1, 1, 2), d([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]))
case("select dim 1", lambda x: torch.select(x, 1, -1), d([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
case("stack dim 1", lambda a, b: torch.stack([a, b], 1), d([[1.0, 2.0], [3.0, 4.0]]), d([[5.0, 6.0], [7.0, 8.0]]))
case("split 2 along dim 0, weighted", lambda x: sum((k + 1) * p.sum() for k, p in enumerate(torch.split(x, 2, 0))),
     d([1.0, 2.0, 3.0, 4.0, 5.0]))
case("chunk 3 along dim 1, weighted", lambda x: sum((k + 1) * (p * p).sum() for k, p in enumerate(torch.chunk(x, 3, 1))),
     d([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]))
case("expand", lambda x: x.expand(2, 3, 2), d([[1.0], [2.0], [3.0]]))
case("tril -1", lambda x: torch.tril(x, -1), d([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]))
case("triu 1", lambda x: torch.triu(x, 1), d([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]))
case("topk 2 dim 1", lambda x: torch.topk(x, 2, 1), d([[1.0, 5.0, 3.0, 4.0], [9.0, -1.0, 0.5, 8.0]]))
case("topk 2 dim 0, smallest", lambda x: torch.topk(x, 2, 0, largest=False), d([[1.0, 5.0], [3.0, 4.0], [-2.0, 8.0]]))
case("var dim 1 unbiased", lambda x: torch.var(x, 1, unbiased=True), d([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]]))
case("var dim 0 population, keepdim", lambda x: torch.var(x, 0, unbiased=False, keepdim=True),
     d([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]]))
case("var all", lambda x: torch.var(x), d([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]]))
case("std dim 1 unbiased, keepdim", lambda x: torch.std(x, 1, unbiased=True, keepdim=True), d([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]]))
case("std all, population", lambda x: torch.std(x, unbiased=False), d([1.0, 2.0, 4.0, 3.0]))
case("meshgrid xy, weighted", lambda x, y: sum((k + 1) * (g * g).sum() for k, g in enumerate(torch.meshgrid(x, y, indexing="xy"))),
     d([1.0, 2.0, 3.0]), d([-1.0, 0.5]))
case("meshgrid ij, first grid", lambda x, y: torch.meshgrid(x, y, indexing="ij")[0], d([1.0, 2.0, 3.0]), d([-1.0, 0.5]))
case("eq", lambda a, b: (a == b).float(), c([1.0, 2.0, float("nan"), -0.0]), c([1.0, 3.0, float("nan"), 0.0]))
case("ne", lambda a, b: (a != b).float(), c([1.0, 2.0, float("nan"), -0.0]), c([1.0, 3.0, float("nan"), 0.0]))
case("lt, broadcast", lambda a, b: (a < b).float(), c([[1.0], [2.0], [3.0]]), c([2.0, 3.0]))
case("le", lambda a, b: (a <= b).float(), c([1.0, 2.0, float("nan")]), c([1.0, 1.0, 1.0]))
case("gt", lambda a, b: (a > b).float(), c([1.0, 2.0, float("nan")]), c([1.0, 1.0, 1.0]))
case("ge", lambda a, b: (a >= b).float(), c([1.0, 2.0, float("nan")]), c([1.0, 1.0, 1.0]))

# ---------------------------------------------------------------- attention
# torch 1.13 has no F.scaled_dot_product_attention (it arrived in 2.0): the reference is its
# documented formula, softmax(q·kᵀ/√E + mask)·v with the causal mask ones(L, S).tril().
def sdpa(q, k, v, mask=None, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        keep = torch.ones(q.shape[-2], k.shape[-2]).tril()
        scores = scores.masked_fill(keep == 0, float("-inf"))
    if mask is not None:
        scores = scores + mask
    return torch.softmax(scores, -1) @ v


g = torch.Generator().manual_seed(14)
rnd = lambda *shape: torch.randn(*shape, generator=g).tolist()
case("scaledDotProductAttention, causal", lambda q, k, v: sdpa(q, k, v, causal=True),
     d(rnd(2, 2, 4, 3)), d(rnd(2, 2, 4, 3)), d(rnd(2, 2, 4, 5)))
case("scaledDotProductAttention, float mask, L != S", lambda q, k, v, m: sdpa(q, k, v, mask=m),
     d(rnd(1, 3, 4)), d(rnd(1, 5, 4)), d(rnd(1, 5, 2)),
     c([[0.0, float("-inf"), 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, float("-inf")], [-1.0, 0.0, 0.0, 0.0, 0.0]]))


def causal_self_attention(x, w_attn, b_attn, w_proj, b_proj, n_head):
    """nanoGPT's CausalSelfAttention forward, written out (no dropout)."""
    B, T, C = x.shape
    q, k, v = (x @ w_attn.T + b_attn).split(C, dim=2)
    q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
    y = sdpa(q, k, v, causal=True).transpose(1, 2).contiguous().view(B, T, C)
    return y @ w_proj.T + b_proj


case("CausalSelfAttention, 2 heads", lambda x, wa, ba, wp, bp: causal_self_attention(x, wa, ba, wp, bp, 2),
     d(rnd(2, 5, 8)), d((torch.randn(24, 8, generator=g) * 0.3).tolist()), d((torch.randn(24, generator=g) * 0.1).tolist()),
     d((torch.randn(8, 8, generator=g) * 0.3).tolist()), d((torch.randn(8, generator=g) * 0.1).tolist()))

out = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "tensor_ops.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, indent=1)
print("wrote", len(CASES), "cases to", os.path.normpath(out))
