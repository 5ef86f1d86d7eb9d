#!/usr/bin/python3
"""Reference GPT-2 and Llama causal language models for the text-gpt tests.

Run under Debian's /usr/bin/python3 (python3-torch 1.13, the build behind
libtorch-dev; there is no transformers, safetensors or sentencepiece module):

  text_gpt.py OUT_DIR

It writes two small Hugging Face-style model folders with seeded random
weights, re-implementing transformers' GPT2LMHeadModel and LlamaForCausalLM
in plain torch:

  OUT_DIR/gpt2/   config.json, model.safetensors (F32, GPT2LMHeadModel names,
                  Conv1D [in, out] weights, tied lm_head, plus the old exports'
                  attn.bias causal-mask buffers), vocab.json + merges.txt (a
                  byte-level BPE trained here on PARAGRAPH), reference.json
  OUT_DIR/llama/  config.json, model.safetensors (F32, LlamaForCausalLM names,
                  nn.Linear [out, in] weights, untied lm_head, plus the old
                  exports' rotary_emb.inv_freq), tokenizer.json (a
                  SentencePiece-converted BPE with byte fallback, trained here
                  on PARAGRAPH), tokenizer_config.json, reference.json

reference.json holds
  prompt_text, prompt_ids, prompt_tokens   the prompt as this script encodes it
  logits        [T][V] logits of one forward pass over prompt_ids
  greedy_ids    24 argmax tokens (ties -> lowest id), each step a full
                forward pass over prompt + tokens so far (no KV cache, no EOS stop)
  greedy_bytes_hex  the raw bytes the 24 tokens decode to (special tokens
                kept as written; Llama: without the one leading space its
                decoder strips), for byte-exact comparison
  greedy_text   those bytes UTF-8 decoded with errors="replace"
  greedy_text_hf  the text Hugging Face's decode(greedy_ids) gives. Same as
                greedy_text for GPT-2; for Llama its ByteFallback decoder turns
                a whole run of byte tokens that is not valid UTF-8 into one
                U+FFFD per byte, where errors="replace" keeps the valid parts
  greedy_min_margin  the smallest top1 - top2 logit gap along the greedy path

The forward passes run in float64 on the float32 weights that are saved, so
the logits are the exact values a float32 implementation approximates.
"""
import json
import math
import os
import re
import sys
from collections import Counter

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

SEED = 1234
N_MERGES = 120
N_GREEDY = 24

# ASCII only, so the Python `re` approximation of GPT-2's split pattern below
# splits it exactly as GPT-2's \p{L}/\p{N} pattern would. Contractions and
# digits exercise the other alternatives of the pattern.
PARAGRAPH = (
    "The quick painter draws the lazy river at dawn, and the river draws him back. "
    "He paints the water, the stones and the trees that lean over the water. "
    "It's a quiet morning; the painter doesn't talk, he only paints and listens. "
    "By 10 o'clock the light has changed, so he packs the brushes and walks home "
    "along the river, thinking of the painting he will draw the next morning."
)

GPT2_PROMPT = "The quick painter draws zebras"          # "zebras" is not in PARAGRAPH
LLAMA_PROMPT = "The painter draws the river at the café"  # "é" needs byte fallback


# ---------------------------------------------------------------------------
# BPE training and encoding shared by both tokenizers

def merge_pair(word, pair):
    """Merges every occurrence of `pair`, left to right without overlap
    (GPT-2's bpe() inner loop; also what the trainer applies)."""
    first, second = pair
    out, i = [], 0
    while i < len(word):
        if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
            out.append(first + second)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def train_bpe(words, n_merges):
    """Naive BPE: repeatedly merge the most frequent adjacent pair.

    words: Counter {tuple of symbols: count}. Ties between equally frequent
    pairs go to the lexicographically smallest pair so the result is stable.
    """
    words = Counter(words)
    merges = []
    for _ in range(n_merges):
        pairs = Counter()
        for word, n in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        merged = Counter()
        for word, n in words.items():
            merged[merge_pair(word, best)] += n
        words = merged
    return merges


# ---------------------------------------------------------------------------
# GPT-2 byte-level BPE

GPT2_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\s A-Za-z0-9]+|\s+(?!\S)|\s+""")
EOT_TEXT = "<|endoftext|>"


def bytes_to_unicode():
    """GPT-2's map from each byte to a printable character."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {c: b for b, c in BYTE_ENCODER.items()}


def gpt2_pieces(text):
    """Pre-splits text and maps each piece's UTF-8 bytes to byte symbols."""
    return ["".join(BYTE_ENCODER[b] for b in p.encode("utf-8")) for p in GPT2_SPLIT.findall(text)]


def build_gpt2_tokenizer():
    merges = train_bpe(Counter(tuple(p) for p in gpt2_pieces(PARAGRAPH)), N_MERGES)
    # Byte symbols in byte order (ids 0..255), then merge results, then EOT.
    # A merge can rebuild a token an earlier merge made; it keeps the first id.
    vocab = {BYTE_ENCODER[b]: b for b in range(256)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab[EOT_TEXT] = len(vocab)
    return vocab, merges


def gpt2_encode(text, vocab, merges):
    """GPT-2's encoder: bpe() on every pre-split piece, lowest rank first."""
    ranks = {m: r for r, m in enumerate(merges)}
    ids = []
    for piece in gpt2_pieces(text):
        word = tuple(piece)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            best = min(pairs, key=lambda p: ranks.get(p, math.inf))
            if best not in ranks:
                break
            word = merge_pair(word, best)
        ids.extend(vocab[t] for t in word)
    return ids


def gpt2_decode_bytes(ids, id_to_token):
    """Hugging Face's ByteLevel decoder before its lossy UTF-8 step. Characters
    outside the byte map (none in this vocabulary) would stay as written."""
    out = bytearray()
    for c in "".join(id_to_token[i] for i in ids):
        out += bytes([BYTE_DECODER[c]]) if c in BYTE_DECODER else c.encode("utf-8")
    return bytes(out)


# ---------------------------------------------------------------------------
# Llama (SentencePiece-converted) BPE with byte fallback

SPACE = "\u2581"  # "▁"
N_LLAMA_SPECIAL = 3  # <unk> <s> </s>
BOS_ID, EOS_ID = 1, 2


def llama_normalize(text):
    """The tokenizer.json normalizer: Prepend("▁") then Replace(" " -> "▁")."""
    return SPACE + text.replace(" ", SPACE) if text else text


def build_llama_tokenizer():
    normalized = llama_normalize(PARAGRAPH)
    # Training only: split into words, each starting at its "▁", so no merge
    # spans a word boundary (SentencePiece does not merge across pieces).
    words = Counter(tuple(w) for w in re.findall(SPACE + "[^" + SPACE + "]*", normalized))
    merges = train_bpe(words, N_MERGES)
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = N_LLAMA_SPECIAL + b
    for c in sorted(set(normalized)):
        vocab.setdefault(c, len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def llama_encode(text, vocab, merges):
    """Hugging Face's BPE model on the whole normalized string (there is no
    pre-tokenizer): merge one pair at a time, lowest rank first and leftmost
    among equal ranks; characters missing from the vocabulary become their
    UTF-8 bytes' <0xNN> tokens (byte_fallback). BOS first (add_bos_token)."""
    ranks = {m: r for r, m in enumerate(merges)}
    word = list(llama_normalize(text))
    while len(word) > 1:
        cands = [(ranks[(a, b)], i) for i, (a, b) in enumerate(zip(word, word[1:])) if (a, b) in ranks]
        if not cands:
            break
        _, i = min(cands)
        word[i:i + 2] = [word[i] + word[i + 1]]
    ids = [BOS_ID]
    for sym in word:
        if sym in vocab:
            ids.append(vocab[sym])
        else:
            ids.extend(N_LLAMA_SPECIAL + b for b in sym.encode("utf-8"))
    return ids


BYTE_TOKEN = re.compile(r"<0x([0-9A-F]{2})>")


def llama_decode(ids, id_to_token):
    """The tokenizer.json decoder: Replace("▁" -> " "), ByteFallback, Fuse,
    Strip(1 leading " "). Returns (Hugging Face's text, raw bytes). As in
    tokenizers, a run of byte tokens that is not valid UTF-8 becomes one
    U+FFFD per byte."""
    text, raw, run = [], bytearray(), bytearray()

    def flush():
        if run:
            try:
                text.append(run.decode("utf-8"))
            except UnicodeDecodeError:
                text.append("\ufffd" * len(run))
            run.clear()

    for i in ids:
        tok = id_to_token[i]
        m = BYTE_TOKEN.fullmatch(tok)
        if m:
            run.append(int(m.group(1), 16))
            raw.append(int(m.group(1), 16))
        else:
            flush()
            piece = tok.replace(SPACE, " ")
            text.append(piece)
            raw += piece.encode("utf-8")
    flush()
    out = "".join(text)
    if out.startswith(" "):
        out, raw = out[1:], raw[1:]
    return out, bytes(raw)


def llama_tokenizer_json(vocab, merges):
    def added(i, content):
        return {"id": i, "content": content, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": False, "special": True}

    bos = {"SpecialToken": {"id": "<s>", "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": SPACE},
            {"type": "Replace", "pattern": {"String": " "}, "content": SPACE}]},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [BOS_ID], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": SPACE}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>",
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": True, "byte_fallback": True,
                  "vocab": vocab, "merges": ["%s %s" % m for m in merges]},
    }


# ---------------------------------------------------------------------------
# Random weights. transformers' own init (std 0.02) gives near-flat logits and
# a greedy loop on one token; these scales keep the activations O(1) and the
# logits spread, so the greedy path tests something.

def mat(*shape):
    return torch.randn(*shape) * 0.3


def norm_weight(n):
    return 1.0 + 0.1 * torch.randn(n)


def bias(n):
    return 0.1 * torch.randn(n)


# ---------------------------------------------------------------------------
# GPT2LMHeadModel

GPT2_CFG = {"n_embd": 64, "n_layer": 2, "n_head": 4, "n_positions": 64, "eps": 1e-5}


def gpt2_weights(vocab_size):
    d, n = GPT2_CFG["n_embd"], GPT2_CFG["n_positions"]
    w = {"transformer.wte.weight": torch.randn(vocab_size, d),
         "transformer.wpe.weight": torch.randn(n, d)}
    for i in range(GPT2_CFG["n_layer"]):
        p = "transformer.h.%d." % i
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = norm_weight(d), bias(d)
        # Conv1D: weight [in, out], y = x @ W + b.
        w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"] = mat(d, 3 * d), bias(3 * d)
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = mat(d, d), bias(d)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = norm_weight(d), bias(d)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = mat(d, 4 * d), bias(4 * d)
        # Half scale: the 256-wide input would otherwise swamp the residual.
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = mat(4 * d, d) * 0.5, bias(d)
    w["transformer.ln_f.weight"], w["transformer.ln_f.bias"] = norm_weight(d), bias(d)
    return w


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def layer_norm(x, w, b):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, GPT2_CFG["eps"])


def causal_attention(q, k, v):
    """q [H,T,hd], k/v [H,T,hd] -> [T,H*hd]; scores scaled by 1/sqrt(hd)."""
    t, hd = q.shape[1], q.shape[2]
    scores = q @ k.transpose(1, 2) / math.sqrt(hd)
    mask = torch.ones(t, t, dtype=torch.bool).tril()
    scores = scores.masked_fill(~mask, float("-inf"))
    out = torch.softmax(scores, dim=-1) @ v
    return out.transpose(0, 1).reshape(t, -1)


def gpt2_forward(w, ids):
    """Logits [T, V] of GPT2LMHeadModel over one sequence (float64)."""
    d, nh = GPT2_CFG["n_embd"], GPT2_CFG["n_head"]
    hd = d // nh
    t = len(ids)
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][:t]
    for i in range(GPT2_CFG["n_layer"]):
        p = "transformer.h.%d." % i
        a = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (z.reshape(t, nh, hd).transpose(0, 1) for z in qkv.split(d, dim=-1))
        x = x + causal_attention(q, k, v) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        m = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
        h = gelu_new(m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"])
    return x @ w["transformer.wte.weight"].T  # lm_head tied to wte


# ---------------------------------------------------------------------------
# LlamaForCausalLM

LLAMA_CFG = {"hidden": 64, "inter": 160, "n_layer": 2, "n_head": 4, "n_kv": 2,
             "eps": 1e-5, "theta": 10000.0, "max_pos": 64}


def llama_inv_freq():
    """transformers' rotary inv_freq, computed in float32 as it does."""
    hd = LLAMA_CFG["hidden"] // LLAMA_CFG["n_head"]
    return 1.0 / (LLAMA_CFG["theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))


def llama_weights(vocab_size):
    d, f = LLAMA_CFG["hidden"], LLAMA_CFG["inter"]
    kv = LLAMA_CFG["n_kv"] * d // LLAMA_CFG["n_head"]
    w = {"model.embed_tokens.weight": torch.randn(vocab_size, d)}
    for i in range(LLAMA_CFG["n_layer"]):
        p = "model.layers.%d." % i
        # nn.Linear: weight [out, in], y = x @ W^T.
        w[p + "input_layernorm.weight"] = norm_weight(d)
        w[p + "self_attn.q_proj.weight"] = mat(d, d)
        w[p + "self_attn.k_proj.weight"] = mat(kv, d)
        w[p + "self_attn.v_proj.weight"] = mat(kv, d)
        w[p + "self_attn.o_proj.weight"] = mat(d, d)
        w[p + "self_attn.rotary_emb.inv_freq"] = llama_inv_freq()
        w[p + "post_attention_layernorm.weight"] = norm_weight(d)
        w[p + "mlp.gate_proj.weight"] = mat(f, d)
        w[p + "mlp.up_proj.weight"] = mat(f, d)
        w[p + "mlp.down_proj.weight"] = mat(d, f) * 0.5  # 160-wide input, as GPT-2's c_proj
    w["model.norm.weight"] = norm_weight(d)
    w["lm_head.weight"] = mat(vocab_size, d)
    return w


def rms_norm(x, weight):
    x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + LLAMA_CFG["eps"])
    return weight * x


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def llama_forward(w, ids):
    """Logits [T, V] of LlamaForCausalLM over one sequence (float64)."""
    d, nh, nkv = LLAMA_CFG["hidden"], LLAMA_CFG["n_head"], LLAMA_CFG["n_kv"]
    hd, group = d // nh, nh // nkv
    t = len(ids)
    freqs = torch.outer(torch.arange(t, dtype=torch.float64), llama_inv_freq().double())
    emb = torch.cat((freqs, freqs), dim=-1)
    x = w["model.embed_tokens.weight"][ids]
    cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
    for i in range(LLAMA_CFG["n_layer"]):
        p = "model.layers.%d." % i
        a = rms_norm(x, w[p + "input_layernorm.weight"])
        q = (a @ w[p + "self_attn.q_proj.weight"].T).reshape(t, nh, hd).transpose(0, 1)
        k = (a @ w[p + "self_attn.k_proj.weight"].T).reshape(t, nkv, hd).transpose(0, 1)
        v = (a @ w[p + "self_attn.v_proj.weight"].T).reshape(t, nkv, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # repeat_kv: kv head j serves query heads j*group .. j*group+group-1.
        k = k.repeat_interleave(group, dim=0)
        v = v.repeat_interleave(group, dim=0)
        x = x + causal_attention(q, k, v) @ w[p + "self_attn.o_proj.weight"].T
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        gate = torch.nn.functional.silu(m @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (m @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"])
    return x @ w["lm_head.weight"].T


# ---------------------------------------------------------------------------
# Reference outputs

def greedy(forward, w, prompt_ids, n):
    """n argmax tokens, each from a full forward pass over everything so far.
    numpy's argmax takes the first (lowest id) of equal maxima."""
    ids, margin = list(prompt_ids), math.inf
    for _ in range(n):
        last = forward(w, ids)[-1].numpy()
        top = int(np.argmax(last))
        second = np.partition(last, -2)[-2]
        margin = min(margin, float(last[top] - second))
        ids.append(top)
    return ids[len(prompt_ids):], margin


def sig7(x):
    return float("%.7g" % x)


def write_json(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def write_reference(d, forward, w32, prompt, prompt_ids, id_to_token, decode):
    w = {k: v.double() for k, v in w32.items()}  # exactly the saved float32 values
    with torch.no_grad():
        logits = forward(w, prompt_ids)
        gen, margin = greedy(forward, w, prompt_ids, N_GREEDY)
    text_hf, raw = decode(gen)
    write_json({
        "prompt_text": prompt,
        "prompt_ids": prompt_ids,
        "prompt_tokens": [id_to_token[i] for i in prompt_ids],
        "logits": [[sig7(x) for x in row] for row in logits.tolist()],
        "greedy_ids": gen,
        "greedy_text": raw.decode("utf-8", errors="replace"),
        "greedy_text_hf": text_hf,
        "greedy_bytes_hex": raw.hex(),
        "greedy_min_margin": sig7(margin),
    }, os.path.join(d, "reference.json"))
    if len(set(gen)) < 4:
        sys.exit("%s: greedy path has fewer than 4 distinct tokens; raise the weight scales" % d)
    return gen, margin


def make_gpt2(out_dir):
    d = os.path.join(out_dir, "gpt2")
    os.makedirs(d, exist_ok=True)
    vocab, merges = build_gpt2_tokenizer()
    eot = vocab[EOT_TEXT]
    write_json({
        "model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": len(vocab),
        "n_embd": GPT2_CFG["n_embd"], "n_layer": GPT2_CFG["n_layer"], "n_head": GPT2_CFG["n_head"],
        "n_positions": GPT2_CFG["n_positions"], "n_inner": None,
        "layer_norm_epsilon": GPT2_CFG["eps"], "activation_function": "gelu_new",
        "bos_token_id": eot, "eos_token_id": eot, "tie_word_embeddings": True,
    }, os.path.join(d, "config.json"))
    write_json(vocab, os.path.join(d, "vocab.json"))
    with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        f.writelines("%s %s\n" % m for m in merges)

    w = gpt2_weights(len(vocab))
    saved = dict(w)
    # Old exports carry the causal mask as a buffer; the loader must skip it.
    n = GPT2_CFG["n_positions"]
    for i in range(GPT2_CFG["n_layer"]):
        saved["transformer.h.%d.attn.bias" % i] = torch.ones(n, n).tril().view(1, 1, n, n)
    safetensors_io.save(saved, os.path.join(d, "model.safetensors"), {"format": "pt"})

    id_to_token = {i: t for t, i in vocab.items()}
    prompt_ids = gpt2_encode(GPT2_PROMPT, vocab, merges)

    def decode(ids):
        raw = gpt2_decode_bytes(ids, id_to_token)
        return raw.decode("utf-8", errors="replace"), raw

    gen, margin = write_reference(d, gpt2_forward, w, GPT2_PROMPT, prompt_ids, id_to_token, decode)
    print("gpt2: V=%d merges=%d prompt=%d tokens greedy=%s... min margin %.3g"
          % (len(vocab), len(merges), len(prompt_ids), gen[:8], margin))


def make_llama(out_dir):
    d = os.path.join(out_dir, "llama")
    os.makedirs(d, exist_ok=True)
    vocab, merges = build_llama_tokenizer()
    write_json({
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": len(vocab),
        "hidden_size": LLAMA_CFG["hidden"], "intermediate_size": LLAMA_CFG["inter"],
        "num_hidden_layers": LLAMA_CFG["n_layer"], "num_attention_heads": LLAMA_CFG["n_head"],
        "num_key_value_heads": LLAMA_CFG["n_kv"], "max_position_embeddings": LLAMA_CFG["max_pos"],
        "rms_norm_eps": LLAMA_CFG["eps"], "rope_theta": LLAMA_CFG["theta"],
        "tie_word_embeddings": False, "hidden_act": "silu", "bos_token_id": BOS_ID,
        "eos_token_id": EOS_ID, "rope_scaling": None, "attention_bias": False,
    }, os.path.join(d, "config.json"))
    write_json(llama_tokenizer_json(vocab, merges), os.path.join(d, "tokenizer.json"))
    write_json({"add_bos_token": True, "bos_token": "<s>", "eos_token": "</s>"},
               os.path.join(d, "tokenizer_config.json"))

    w = llama_weights(len(vocab))
    safetensors_io.save(w, os.path.join(d, "model.safetensors"), {"format": "pt"})
    # inv_freq is only a leftover buffer; the forward pass recomputes it.
    w = {k: v for k, v in w.items() if not k.endswith("rotary_emb.inv_freq")}

    id_to_token = {i: t for t, i in vocab.items()}
    prompt_ids = llama_encode(LLAMA_PROMPT, vocab, merges)
    gen, margin = write_reference(d, llama_forward, w, LLAMA_PROMPT, prompt_ids, id_to_token,
                                  lambda ids: llama_decode(ids, id_to_token))
    print("llama: V=%d merges=%d prompt=%d tokens greedy=%s... min margin %.3g"
          % (len(vocab), len(merges), len(prompt_ids), gen[:8], margin))


def main(out_dir):
    torch.manual_seed(SEED)
    make_gpt2(out_dir)
    make_llama(out_dir)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: text_gpt.py OUT_DIR")
    main(sys.argv[1])
