"""Golden values for downhill's optimizers, gradient clipping and learning-rate schedules.

Run with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 engine/src/test/python/golden_optim.py > engine/src/test/resources/golden/optim.json

Everything is float32, as in the engine. Each optimizer runs 25 steps on two problems
  quad1: loss = (w - 5)^2 from w = 0 (one parameter of one element)
  multi: loss = sum(ca*(a-ta)^2) + sum(cb*(b-tb)^2) over a [5] and b [2, 3] with curvatures from
         0.05 to 3.5, plus a parameter c [3] that is not in the loss (no gradient: must be skipped)
and the parameters (a, b, c flattened and concatenated) are recorded after every step.
"""
import itertools
import json
import math
import sys

import torch

STEPS = 25


def problem(name):
    if name == "quad1":
        params = [torch.tensor([0.0], requires_grad=True)]
        t = torch.tensor([5.0])
        loss = lambda: ((params[0] - t) ** 2).sum()
        return params, loss
    a = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0], requires_grad=True)
    b = torch.tensor([[0.2, -0.4, 1.2], [2.0, -3.0, 0.7]], requires_grad=True)
    c = torch.tensor([0.25, -0.5, 1.0], requires_grad=True)
    ta = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5])
    ca = torch.tensor([0.05, 0.3, 1.0, 2.0, 3.5])
    tb = torch.tensor([[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]])
    cb = torch.tensor([[0.1, 0.5, 1.5], [0.2, 0.8, 2.5]])
    loss = lambda: (ca * (a - ta) ** 2).sum() + (cb * (b - tb) ** 2).sum()
    return [a, b, c], loss


def flat(params):
    return [float(x) for p in params for x in p.detach().reshape(-1).tolist()]


def run(make, prob, groups=None):
    params, loss = problem(prob)
    opt = make(params if groups is None else groups(params))
    traj = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss().backward()
        opt.step()
        traj.append(flat(params))
    return traj


def configs():
    out = []
    for mom, damp, nest, wd, mx in itertools.product([0.0, 0.9], [0.0, 0.5], [False, True], [0.0, 0.1], [False, True]):
        if nest and (mom == 0 or damp != 0):
            continue
        o = dict(lr=0.1, momentum=mom, dampening=damp, nesterov=nest, weight_decay=wd, maximize=mx)
        out.append(("SGD", o, lambda p, o=o: torch.optim.SGD(p, **o)))
    for name, cls, wds in (("Adam", torch.optim.Adam, [0.0, 0.1]), ("AdamW", torch.optim.AdamW, [0.01, 0.1])):
        for wd, ams, mx in itertools.product(wds, [False, True], [False, True]):
            o = dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd, amsgrad=ams, maximize=mx)
            out.append((name, o, lambda p, o=o, cls=cls: cls(p, **o)))
        o = dict(lr=0.05, betas=(0.8, 0.99), eps=1e-3, weight_decay=wds[1], amsgrad=False, maximize=False)
        out.append((name, o, lambda p, o=o, cls=cls: cls(p, **o)))
    for wd, mom, cen, mx in itertools.product([0.0, 0.1], [0.0, 0.9], [False, True], [False, True]):
        o = dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=wd, momentum=mom, centered=cen, maximize=mx)
        out.append(("RMSprop", o, lambda p, o=o: torch.optim.RMSprop(p, **o)))
    for lrd, wd, acc, mx in itertools.product([0.0, 0.1], [0.0, 0.1], [0.0, 0.1], [False, True]):
        o = dict(lr=0.1, lr_decay=lrd, weight_decay=wd, initial_accumulator_value=acc, eps=1e-10, maximize=mx)
        out.append(("Adagrad", o, lambda p, o=o: torch.optim.Adagrad(p, **o)))
    return out


def optimizer_cases():
    cases = []
    for name, o, make in configs():
        for prob in ("quad1", "multi"):
            opts = {k: (list(v) if isinstance(v, tuple) else v) for k, v in o.items()}
            cases.append(dict(optimizer=name, options=opts, problem=prob, trajectory=run(make, prob)))
    # parameter groups with their own hyper-parameters (multi problem: a in group 0, b and c in group 1)
    sgd_groups = lambda p: [dict(params=[p[0]], lr=0.05), dict(params=[p[1], p[2]], nesterov=True)]
    cases.append(dict(optimizer="SGD", options=dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=False,
                                                    weight_decay=0.0, maximize=False),
                      groups=[dict(lr=0.05), dict(nesterov=True)], problem="multi",
                      trajectory=run(lambda g: torch.optim.SGD(g, lr=0.1, momentum=0.9), "multi", sgd_groups)))
    adam_groups = lambda p: [dict(params=[p[0]], amsgrad=True), dict(params=[p[1], p[2]], lr=0.05, weight_decay=0.1)]
    cases.append(dict(optimizer="Adam", options=dict(lr=0.1, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0,
                                                     amsgrad=False, maximize=False),
                      groups=[dict(amsgrad=True), dict(lr=0.05, weight_decay=0.1)], problem="multi",
                      trajectory=run(lambda g: torch.optim.Adam(g, lr=0.1), "multi", adam_groups)))
    return cases


def chapter():
    """Chapter 8.2/8.4: SGD lr 0.1 on (w - 5)^2 from w = 0, ten steps."""
    w = torch.tensor([0.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    rows = []
    for _ in range(10):
        opt.zero_grad()
        loss = ((w - 5) ** 2).sum()
        loss.backward()
        rows.append(dict(w=float(w.item()), loss=float(loss.item()), grad=float(w.grad.item())))
        opt.step()
    return dict(steps=rows, final=float(w.item()))


def clip_cases():
    g = torch.Generator().manual_seed(5)
    cases = []
    shapes = [[4], [2, 3], [7]]
    for scale in (0.1, 3.0):
        grads = [torch.randn(s, generator=g) * scale for s in shapes]
        for norm_type in (2.0, 1.0, 3.0, math.inf):
            for max_norm in (0.5, 1000.0):
                params = [torch.zeros(s, requires_grad=True) for s in shapes] + [torch.zeros(2, requires_grad=True)]
                for p, gr in zip(params, grads):
                    p.grad = gr.clone()
                total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
                cases.append(dict(shapes=shapes, grads=[flat([x]) for x in grads], normType=norm_type
                                  if norm_type != math.inf else "inf", maxNorm=max_norm, total=float(total),
                                  clipped=[flat([p.grad]) for p in params[:3]]))
    return cases


def schedule_cases():
    def run_sched(name, make_opt, make_sched, steps=30, momentum_key=None):
        p0 = torch.zeros(2, requires_grad=True)
        p1 = torch.zeros(3, requires_grad=True)
        opt = make_opt([dict(params=[p0]), dict(params=[p1], lr=0.02)])
        sched = make_sched(opt)
        lrs = [[g["lr"] for g in opt.param_groups]]
        moms = []
        if momentum_key:
            moms.append([momentum_key(g) for g in opt.param_groups])
        for _ in range(steps):
            opt.step()
            sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
            if momentum_key:
                moms.append([momentum_key(g) for g in opt.param_groups])
        d = dict(schedule=name, lrs=lrs)
        if momentum_key:
            d["momentum"] = moms
        return d

    sgd = lambda groups: torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    adam = lambda groups: torch.optim.Adam(groups, lr=0.1)
    S = torch.optim.lr_scheduler
    return [
        run_sched("StepLR", sgd, lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
        run_sched("ExponentialLR", sgd, lambda o: S.ExponentialLR(o, gamma=0.9)),
        run_sched("CosineAnnealingLR", sgd, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
        run_sched("LinearLR", sgd, lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8)),
        run_sched("LambdaLR", sgd, lambda o: S.LambdaLR(o, lambda e: 1.0 / (1.0 + e))),
        run_sched("OneCycleLR", sgd, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=30),
                  momentum_key=lambda g: g["momentum"]),
        run_sched("OneCycleLR-threePhase-linear-Adam", adam,
                  lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=30, three_phase=True, anneal_strategy="linear",
                                         pct_start=0.25),
                  momentum_key=lambda g: g["betas"][0]),
        run_sched("SequentialLR", sgd,
                  lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5),
                                               S.CosineAnnealingLR(o, T_max=20)], milestones=[5])),
    ]


def layer_norm_cases():
    """nn.LayerNorm forward and gradients (input, weight, bias) for L = sum(v * y)."""
    g = torch.Generator().manual_seed(11)
    cases = []
    for shape, norm in (([3, 5], [5]), ([2, 2, 3], [2, 3])):
        x = (torch.randn(shape, generator=g) * 2 + 0.5).requires_grad_(True)
        ln = torch.nn.LayerNorm(norm, eps=1e-5)
        with torch.no_grad():
            ln.weight.copy_(torch.rand(norm, generator=g) + 0.5)
            ln.bias.copy_(torch.rand(norm, generator=g) - 0.5)
        v = torch.rand(shape, generator=g) * 2 - 1
        y = ln(x)
        (y * v).sum().backward()
        cases.append(dict(shape=shape, normalizedShape=norm, x=flat([x]), weight=flat([ln.weight]),
                          bias=flat([ln.bias]), v=flat([v]), y=flat([y]), gradX=flat([x.grad]),
                          gradWeight=flat([ln.weight.grad]), gradBias=flat([ln.bias.grad])))
    return cases


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    out = dict(torch=torch.__version__, steps=STEPS, optimizers=optimizer_cases(), chapter=chapter(),
               clip=clip_cases(), schedules=schedule_cases(),
               layerNorm=layer_norm_cases())
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")
