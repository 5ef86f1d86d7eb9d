"""PyTorch eager peer for bench_text_decode: a GPT-2 folder (config.json +
model.safetensors) run the way a PyTorch user would, float32 with a KV cache
grown by torch.cat, on the same weights and thread count.

Usage: text_decode_peer.py FOLDER THREADS PROMPT_TOKENS DECODE_TOKENS
Prints one JSON object: prefill and decode tokens/s (medians of 3 runs).
"""
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "reference"))
import safetensors_io  # noqa: E402


def load(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    w = {k.replace("transformer.", ""): v.float() for k, v in
         safetensors_io.load(os.path.join(folder, "model.safetensors")).items()}
    return cfg, w


def forward(cfg, w, ids, start, cache):
    d, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    hd = d // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    T = ids.shape[0]
    x = w["wte.weight"][ids] + w["wpe.weight"][start:start + T]
    for i in range(L):
        p = "h.%d." % i
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(d, dim=-1)
        q = q.view(T, H, hd).transpose(0, 1)
        k = k.view(T, H, hd).transpose(0, 1)
        v = v.view(T, H, hd).transpose(0, 1)
        if cache[i] is not None:  # the usual eager cache: concatenate every step
            k = torch.cat([cache[i][0], k], dim=1)
            v = torch.cat([cache[i][1], v], dim=1)
        cache[i] = (k, v)
        S = k.shape[1]
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        if T > 1:
            mask = torch.ones(T, S, dtype=torch.bool).tril(S - T)
            att = att.masked_fill(~mask, float("-inf"))
        a = (att.softmax(-1) @ v).transpose(0, 1).reshape(T, d)
        x = x + a @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = torch.nn.functional.gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], approximate="tanh")
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = torch.nn.functional.layer_norm(x[-1:], (d,), w["ln_f.weight"], w["ln_f.bias"], eps)
    return x @ w["wte.weight"].t()


def main():
    folder, threads, prompt_n, decode_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    cfg, w = load(folder)
    g = torch.Generator().manual_seed(1)
    prompt = torch.randint(0, cfg["vocab_size"], (prompt_n,), generator=g)
    prefill, decode = [], []
    with torch.inference_mode():
        for _ in range(3):
            cache = [None] * cfg["n_layer"]
            t0 = time.perf_counter()
            logits = forward(cfg, w, prompt, 0, cache)
            t1 = time.perf_counter()
            tok = logits.argmax(-1)
            for i in range(decode_n):
                logits = forward(cfg, w, tok, prompt_n + i, cache)
                tok = logits.argmax(-1)
            t2 = time.perf_counter()
            prefill.append(prompt_n / (t1 - t0))
            decode.append(decode_n / (t2 - t1))
    prefill.sort()
    decode.sort()
    print(json.dumps({"prefill_tokens_per_s": prefill[1], "decode_tokens_per_s": decode[1],
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
