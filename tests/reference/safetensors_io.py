"""Minimal safetensors reader/writer for the reference scripts.

Debian ships no python3-safetensors; the format is an 8-byte little-endian
header length, a JSON header (dtype, shape, data_offsets per tensor) and the
raw little-endian bytes. Only what the tests need: F32 (F64 written as F32), F16 read, I64, U8.
"""
import json
import struct

import numpy as np
import torch

_TO_NAME = {torch.float32: "F32", torch.int64: "I64", torch.uint8: "U8", torch.int32: "I32"}
_FROM_NAME = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "U8": np.uint8, "I32": np.int32}


def save(tensors, path, metadata=None):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.dtype == torch.float64:
            t = t.float()
        data = t.numpy().tobytes()
        header[name] = {"dtype": _TO_NAME[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(body[a:b], dtype=_FROM_NAME[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out
