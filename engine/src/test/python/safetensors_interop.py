"""PyTorch side of downhill's safetensors and .npy interop test (no Python in CI: the files are committed).

Run with Debian's python3-torch (torch 1.13, which has no safetensors package, so the format is
written and read here by hand):
    /usr/bin/python3 engine/src/test/python/safetensors_interop.py engine/src/test/resources/interop

1. Reads engine_written.safetensors and engine_written.npy (written by downhill, see InteropTest):
   checks the header, every tensor's bits against the bit patterns InteropTest defines, and loads
   the model tensors into nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)) with
   load_state_dict (strict).
2. Writes torch_written.safetensors (that model's state_dict from torch.manual_seed(0), plus the
   bit patterns), torch_written.npy (numpy.save of the patterns) and torch_written.json (each
   tensor's shape and bits, an input and the model's output), which InteropTest reads.
"""
import json
import os
import struct
import sys

import numpy as np
import torch


def pattern_bits():
    bits = [(0x3F800000 + i * 0x00123457 - (i % 2) * 0x40000000) & 0xFFFFFFFF for i in range(24)]
    bits[:6] = [0x7FC01234, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF]
    return bits


def to_signed(b):
    return b - (1 << 32) if b >= 1 << 31 else b


def bits_of(t):
    return t.contiguous().view(torch.int32).flatten().tolist()


def from_bits(bits, shape):
    return torch.tensor([to_signed(b) for b in bits], dtype=torch.int32).view(torch.float32).reshape(shape)


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert (8 + n) % 8 == 0, "data does not start at a multiple of 8"
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    body = data[8 + n :]
    out = {}
    end = 0
    for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        assert e["dtype"] == "F32", (name, e["dtype"])
        b, f = e["data_offsets"]
        assert b == end, (name, "hole or overlap")
        end = f
        t = torch.frombuffer(bytearray(body[b:f]), dtype=torch.float32) if f > b else torch.zeros(0)
        out[name] = t.reshape(e["shape"]).clone()
    assert end == len(body), "bytes after the last tensor"
    return out, meta


def write_safetensors(tensors, path, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        b = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))


def main(folder):
    # 1. What downhill wrote.
    tensors, meta = read_safetensors(os.path.join(folder, "engine_written.safetensors"))
    assert meta.get("format") == "pt" and "downhill.crc32c" in meta, meta
    assert list(tensors) == ["0.weight", "0.bias", "2.weight", "2.bias", "pattern"], list(tensors)
    assert bits_of(tensors["pattern"]) == [to_signed(b) for b in pattern_bits()], "pattern bits differ"
    assert list(tensors["pattern"].shape) == [2, 3, 4]
    model = make_model()
    model.load_state_dict({k: v for k, v in tensors.items() if k != "pattern"})  # strict
    for k, v in model.state_dict().items():
        assert bits_of(v) == bits_of(tensors[k]), k
    arr = np.load(os.path.join(folder, "engine_written.npy"))
    assert arr.dtype == np.dtype("<f4") and arr.shape == (2, 3, 4) and arr.flags["C_CONTIGUOUS"]
    assert arr.view("<i4").flatten().tolist() == [to_signed(b) for b in pattern_bits()], "npy bits differ"
    print("engine_written.safetensors and engine_written.npy: every bit as expected; load_state_dict ok", file=sys.stderr)

    # A checkpoint: the model's tensors load once the optimizer's are dropped; one SGD step with
    # momentum 0.9 and lr 0.5 on gradients of exactly 0.25 moved every parameter by -0.125.
    ckpt, meta = read_safetensors(os.path.join(folder, "engine_checkpoint.safetensors"))
    state = json.loads(meta["downhill.checkpoint"])
    assert state["step"] == 1 and state["optimizer"]["class"] == "dev.downhill.optim.SGD", state
    model = make_model()
    model.load_state_dict({k: v for k, v in ckpt.items() if not k.startswith("__optimizer__.")})  # strict
    for i, (k, v) in enumerate(model.state_dict().items()):
        expected = tensors[k] - 0.125
        assert bits_of(v) == bits_of(expected), k
        assert bits_of(ckpt["__optimizer__.state.%d.momentum_buffer" % i]) == bits_of(torch.full_like(v, 0.25)), k
    print("engine_checkpoint.safetensors: model part loads, SGD step and momentum buffers as expected", file=sys.stderr)

    # 2. What torch writes.
    torch.manual_seed(0)
    model = make_model()
    sd = dict(model.state_dict())
    sd["pattern"] = from_bits(pattern_bits(), (2, 3, 4))
    write_safetensors(sd, os.path.join(folder, "torch_written.safetensors"), {"format": "pt"})
    np.save(os.path.join(folder, "torch_written.npy"), sd["pattern"].numpy())
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    doc = {
        "torch": torch.__version__,
        "tensors": {k: {"shape": list(v.shape), "bits": bits_of(v)} for k, v in sd.items()},
        "input": {"shape": list(x.shape), "bits": bits_of(x)},
        "output": {"shape": list(y.shape), "bits": bits_of(y)},
    }
    with open(os.path.join(folder, "torch_written.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    # and read our own file back the way the engine's reader must
    again, _ = read_safetensors(os.path.join(folder, "torch_written.safetensors"))
    assert all(bits_of(again[k]) == bits_of(v) for k, v in sd.items())
    print("torch_written.safetensors, .npy and .json written", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "engine/src/test/resources/interop")
