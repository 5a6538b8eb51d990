#!/usr/bin/python3
"""Chapter 8.5's overfitting demo in PyTorch, the same steps as examples' Ch8Overfit: a 100-500-500-2
MLP, Adam lr 1e-3, 100 epochs on 10 random samples, validation on 1000 fresh ones every epoch. For the
cold-start comparison (bench/cold_start.sh): a fresh Python process against a fresh JVM running
`downhill-examples.jar run ch8-overfit`. It prints the same lines; it draws no chart (no matplotlib
here), so the Java side, which renders its PNG, does a little more work.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
x_train = torch.randn(10, 100)
y_train = torch.randint(0, 2, (10,))
x_val = torch.randn(1000, 100)
y_val = torch.randint(0, 2, (1000,))
model = nn.Sequential(nn.Linear(100, 500), nn.ReLU(), nn.Linear(500, 500), nn.ReLU(), nn.Linear(500, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loss, val_loss = [], []
for epoch in range(100):
    optimizer.zero_grad()
    logits = model(x_train)
    loss = criterion(logits, y_train)
    loss.backward()
    optimizer.step()
    train_loss.append(loss.item())
    if epoch % 20 == 0:
        acc = (logits.argmax(-1) == y_train).float().mean()
        print(f"Epoch {epoch}: loss={loss.item():.4f}, train_acc={acc.item():.2f}")
    with torch.no_grad():
        val_logits = model(x_val)
        val_loss.append(criterion(val_logits, y_val).item())
        val_acc = (val_logits.argmax(-1) == y_val).float().mean().item()
with torch.no_grad():
    train_acc = (model(x_train).argmax(-1) == y_train).float().mean()
print(f"After 100 epochs: train loss={train_loss[-1]:.4f}, train_acc={train_acc.item():.2f}")
print(f"Validation on 1000 fresh samples: loss={val_loss[-1]:.4f}, val_acc={val_acc:.2f}")
