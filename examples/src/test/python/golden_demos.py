"""Golden values for the deterministic demos of the examples module, computed by PyTorch.

Run with Debian's python3-torch (torch 1.13), from the repository root:
    /usr/bin/python3 examples/src/test/python/golden_demos.py > examples/src/test/resources/golden/demos.json

For each demo id: "lines", the lines the demo must print (in this order, other lines may come
between), written with the same format strings as the Java demo; and "values", the full-precision
numbers behind them (float32 values widened to Python floats), which the tests compare with a
relative tolerance. The code follows the chapters' code, in float32 with autograd, as the demos do.
Random-data demos (gd-linreg-adamw, gd-sgd-vs-adam, gd-batch-modes, ch8-overfit) are not here:
the engine's generator is not torch's, so the tests check properties of those instead.
"""
import json

import torch
import torch.nn.functional as F


def gd_1d():
    def loss_1d(x):
        return x ** 2 + 2 * x + 1

    x = torch.tensor(5.0, requires_grad=True)
    eta = 0.2
    steps = [x.item()]
    for _ in range(15):
        loss_1d(x).backward()
        with torch.no_grad():
            x -= eta * x.grad
        x.grad.zero_()
        steps.append(x.item())
    lines = []
    for i, s in enumerate(steps):
        lines.append(f"Step {i}: x={s:.4f}, loss={loss_1d(torch.tensor(s)).item():.4f}")
    return {"lines": lines, "values": {"steps": steps}}


def gd_2d():
    def loss_2d(w):
        x, y = w
        return x ** 2 + y ** 2 + x * y + 2 * x + 3 * y + 5

    eta = 0.1
    w = torch.tensor([4.0, 4.0], requires_grad=True)
    path = [w.detach().clone().tolist()]
    for _ in range(30):
        loss_2d(w).backward()
        with torch.no_grad():
            w -= eta * w.grad
        w.grad.zero_()
        path.append(w.detach().clone().tolist())
    losses = [loss_2d(torch.tensor(p)).item() for p in path]
    lines = [f"Step {k}: (x, y) = ({path[k][0]:.4f}, {path[k][1]:.4f}), loss = {losses[k]:.4f}"
             for k in range(0, 31, 5)]
    lines.append(f"Final point after 30 steps: ({path[30][0]:.4f}, {path[30][1]:.4f}), loss = {losses[30]:.4f}")
    lines.append(f"True minimum: (-1/3, -4/3) = ({-1 / 3:.4f}, {-4 / 3:.4f}), f* = 8/3 = {8 / 3:.4f}")
    return {"lines": lines, "values": {"x": [p[0] for p in path], "y": [p[1] for p in path], "loss": losses}}


def ch8_loss():
    predictions = torch.tensor([2.5, 0.0, 2.1, 1.6])
    targets = torch.tensor([3.0, -0.5, 2.0, 1.5])
    mse_loss = F.mse_loss(predictions, targets)
    logits = torch.tensor([[2.0, 1.0, 0.1]])
    labels = torch.tensor([0])
    ce_loss = F.cross_entropy(logits, labels)
    probs = F.softmax(logits, dim=-1)
    lines = [
        f"MSE: {mse_loss.item():.4f}",
        f"CrossEntropy: {ce_loss.item():.4f}",
        f"Probabilities: {probs}",
        f"-log(p[0]): {(-torch.log(probs[0, 0])).item():.4f}",
    ]
    return {"lines": lines, "values": {"mse": mse_loss.item(), "ce": ce_loss.item(), "probs": probs[0].tolist()}}


def ch8_gradient():
    w = torch.tensor(0.0, requires_grad=True)
    learning_rate = 0.1
    lines = ["梯度下降过程 | Gradient descent process:"]
    for step in range(10):
        loss = (w - 5) ** 2
        loss.backward()
        grad = w.grad.item()
        lines.append(f"Step {step}: w={w.item():.3f}, loss={loss.item():.3f}, grad={grad:.3f}")
        with torch.no_grad():
            w -= learning_rate * w.grad
        w.grad.zero_()
    lines.append("")
    lines.append(f"最终 w: {w.item():.3f} (目标: 5.0)")
    return {"lines": lines, "values": {"w": w.item()}}


def ch8_lr():
    def train_with_lr(lr, steps=20):
        w = torch.tensor(0.0, requires_grad=True)
        losses = []
        for _ in range(steps):
            loss = (w - 5) ** 2
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
            losses.append(loss.item())
        return losses

    lines = []
    values = {}
    for lr in [0.01, 0.1, 0.5, 1.0, 1.5]:
        losses = train_with_lr(lr)
        lines.append(f"LR={lr}: final loss={losses[-1]:.4f}, losses={losses[:5]}")
        values[repr(lr)] = losses
    return {"lines": lines, "values": values}


def ch8_optimizers():
    def trajectory(make, steps=100):
        w = torch.tensor([0.0], requires_grad=True)
        optimizer = make([w])
        ws = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = (w - 5) ** 2
            loss.backward()
            optimizer.step()
            ws.append(w.item())
        return ws

    runs = {
        "sgd": (trajectory(lambda p: torch.optim.SGD(p, lr=0.1)), "SGD(lr=0.1):", ".3f"),
        "momentum": (trajectory(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
                     "SGD(lr=0.1, momentum=0.9):", ".3f"),
        "adam": (trajectory(lambda p: torch.optim.Adam(p, lr=1e-3)),
                 "Adam(lr=1e-3), 5 decimals: its steps are too small for 3:", ".5f"),
        "adamw": (trajectory(lambda p: torch.optim.AdamW(p, lr=1e-4, weight_decay=0.01)),
                  "AdamW(lr=1e-4, weight_decay=0.01), 5 decimals:", ".5f"),
    }
    lines = []
    for ws, title, fmt in runs.values():
        lines.append(title)
        lines.extend(f"Step {step}: w={ws[step]:{fmt}}" for step in range(10))
    return {"lines": lines, "values": {k: v[0] for k, v in runs.items()}}


def ch8_explode():
    x = torch.tensor([1.0], requires_grad=True)
    h = x
    for _ in range(50):
        h = h * 2
    h.backward()
    grad = x.grad.item()
    total_norm = torch.nn.utils.clip_grad_norm_([x], max_norm=1.0).item()
    lines = [
        f"梯度 | Gradient: {grad:.2e}",
        f"clipGradNorm(max 1.0): total norm before clipping = {total_norm:.2e}, gradient after = {x.grad.item():.4f}",
    ]
    return {"lines": lines, "values": {"grad": grad, "total_norm": total_norm, "clipped": x.grad.item()}}


if __name__ == "__main__":
    golden = {
        "torch": torch.__version__,
        "gd-1d": gd_1d(),
        "gd-2d-surface": gd_2d(),
        "ch8-loss": ch8_loss(),
        "ch8-gradient": ch8_gradient(),
        "ch8-lr": ch8_lr(),
        "ch8-optimizers": ch8_optimizers(),
        "ch8-explode": ch8_explode(),
    }
    print(json.dumps(golden, indent=1, ensure_ascii=False))
