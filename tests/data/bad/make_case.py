#!/usr/bin/python3
"""Builds the bad inputs that are too big or too deep to commit, and edits
copies of real fixtures into bad ones, for tests/smoke/bad_inputs.sh.

Plain Python 3 (json, struct, zlib, hashlib): no torch needed.

  make_case.py deep-safetensors OUT DEPTH
      a safetensors file whose one tensor's "shape" is a list nested DEPTH deep
  make_case.py nan-weights FILE TENSOR
      overwrites the first float32 of TENSOR in the safetensors FILE with NaN
  make_case.py merge-patch FILE PATCH.json
      applies an RFC 7386 merge patch to the JSON FILE (null removes a key)
  make_case.py add-tokens TOKENIZER.json TOKENS.json
      appends the list in TOKENS.json to tokenizer.json's added_tokens
  make_case.py drop-token VOCAB.json TOKEN
      removes TOKEN from a GPT-2 vocab.json
  make_case.py deep-key FILE KEY DEPTH
      sets FILE's top-level KEY to a list nested DEPTH deep (written as text:
      Python's own json module cannot write or read that deep)
  make_case.py deep-json OUT DEPTH
      a JSON object {"x": [[[...]]]} nested DEPTH deep
  make_case.py png OUT MODEL_ID LATENT_DIM [DEPTH]
      a 1x1 PNG with a latent-studio provenance iTXt chunk for MODEL_ID with a
      LATENT_DIM-long latent; with DEPTH, params.x is a list nested DEPTH deep
  make_case.py refresh-manifest PACKAGE_DIR [NEW_ID] [NEW_CONFIG_PATCH.json]
      recomputes bytes and sha256 of every file model.json lists (those that
      exist), optionally giving the package a new id and patching its config
"""
import hashlib
import json
import os
import struct
import sys
import zlib


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def nested(depth):
    return "[" * depth + "]" * depth


def deep_safetensors(out, depth):
    header = ('{"w": {"dtype": "F32", "shape": %s, "data_offsets": [0, 4]}}' % nested(int(depth))).encode()
    header += b" " * (-len(header) % 8)
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + b"\0\0\0\0")


def nan_weights(path, tensor):
    with open(path, "r+b") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        info = header[tensor]
        assert info["dtype"] == "F32", info
        f.seek(8 + n + info["data_offsets"][0])
        f.write(struct.pack("<f", float("nan")))


def merge(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = merge(target.get(k), v)
    return target


def merge_patch(path, patch_file):
    write_json(merge(read_json(path), read_json(patch_file)), path)


def add_tokens(path, tokens_file):
    doc = read_json(path)
    doc.setdefault("added_tokens", []).extend(read_json(tokens_file))
    write_json(doc, path)


def drop_token(path, token):
    vocab = read_json(path)
    del vocab[token]
    write_json(vocab, path)


def deep_key(path, key, depth):
    doc = read_json(path)
    doc.pop(key, None)
    text = json.dumps(doc, ensure_ascii=False).rstrip()
    assert text.endswith("}")
    sep = ", " if len(doc) else ""
    text = text[:-1] + sep + json.dumps(key) + ": " + nested(int(depth)) + "}\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def deep_json(out, depth):
    with open(out, "w") as f:
        f.write('{"x": ' + nested(int(depth)) + "}\n")


def png_chunk(ctype, body):
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def png(out, model_id, latent_dim, depth=None):
    latent = ", ".join(["0.0"] * int(latent_dim))
    params = '{"x": %s}' % nested(int(depth)) if depth else "{}"
    prov = ('{"app_version": "0.1.0", "plugin": {"id": "x", "version": "1"}, "model": {"id": %s, "sha256": ""}, '
            '"task": "image.sample", "params": %s, "seed": 1, "device": "cpu", "dtype": "float32", '
            '"latent": [%s]}' % (json.dumps(model_id), params, latent))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1 8-bit RGBA
    idat = zlib.compress(b"\0\0\0\0\xff")
    itxt = b"latent-studio\0\0\0\0\0" + prov.encode()
    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"iTXt", itxt) +
                png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def refresh_manifest(pkg, new_id=None, config_patch=None):
    manifest = os.path.join(pkg, "model.json")
    m = read_json(manifest)
    if new_id:
        m["id"] = new_id
    if config_patch:
        m["config"] = merge(m.get("config", {}), read_json(config_patch))
    for f in m.get("files", []):
        p = os.path.join(pkg, f["path"])
        if os.path.isfile(p):
            f["bytes"] = os.path.getsize(p)
            f["sha256"] = sha256(p)
    write_json(m, manifest)


COMMANDS = {
    "deep-safetensors": deep_safetensors, "nan-weights": nan_weights, "merge-patch": merge_patch,
    "add-tokens": add_tokens, "drop-token": drop_token, "deep-key": deep_key, "deep-json": deep_json,
    "png": png, "refresh-manifest": refresh_manifest,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
