#!/usr/bin/python3
"""Reference DDSP one-shot model for the audio-ddsp tests and benchmark: an
eager PyTorch re-implementation of plugins/audio-ddsp (DdspNet's decoder and
encoder, CodePrior, the harmonic-plus-noise synthesiser, LogMel) that loads a
package's own weights.safetensors (net.* / prior.*) with strict names and
shapes, and reproduces what the plugin's tasks emit.

Run under Debian's /usr/bin/python3 (python3-torch 1.13, the build behind
libtorch-dev, so the same kernels and the same CPU generator as the C++ side):

  ddsp_reference.py REQUEST.json OUT_DIR
  ddsp_reference.py --bench PACKAGE_DIR CLIPS BATCH RUNS THREADS

REQUEST.json: {"threads": N, "cases": [...], "synth": [...]}
  cases: what one audio.sample / audio.decode / audio.transfer job does:
    {"name", "package": DIR, "task", "class": INDEX, "pitch": MIDI, "velocity",
     "seed", "temperature", "top_k", "gain",
     "slider": [...]             (decode: the given latent, sliderDim values)
     "input": FILE.f32}          (transfer: a mono clip at the model's rate)
    The noise is not passed: it is drawn, as in DdspModel, from a CPU generator
    seeded with the job's seed, after the latent (vae sample) or the prior's
    codes (vq); the same generator here gives the same numbers.
  synth: the synthesiser alone on given controls, for numerics at full scale:
    {"name", "package": DIR, "controls": FILE.safetensors (f0 [B,F],
     harmonics [B,H,F], noise_bands [B,K,F]), "seed"}

Writes OUT_DIR/<name>.safetensors:
  audio        [B, n] what the job emits: clamp(raw * gain, -1, 1)   (cases)
  raw          [B, n] the synthesiser's output, harmonic + noise
  harmonic     [B, n] the harmonic bank alone
  noise        [B, n] the filtered noise alone
  white        [B, n] the white noise the generator gave
  f0, harmonics, noise_bands   the decoder's controls                (cases)
  slider       [B, sliderDim], codes [B, T] (vq)                      (cases)
  logmel, mean                 the encoder's input and posterior mean (transfer)

--bench prints one JSON object: {"clips", "batch", "seconds_audio", "bottleneck",
"single_s": [CLIPS times], "batch_s": [RUNS times], "threads"}: the decode of a
given latent (vq: the prior's codes first, as the plugin does; then controls
and synthesiser) for one clip at a time, CLIPS times, and for BATCH clips at
once, RUNS times, on THREADS intra-op threads.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

TIME_FEATURES = 9
NOISE_FFT = 512
NOISE_WINDOW = 320
MEL_FFT = 1024
VELOCITY_BUCKETS = 8


def conv(cin, cout, kernel, stride=1):
    # DdspNet.cpp conv(): stride 1 keeps the length, stride 2 / kernel 4 halves it.
    padding = kernel // 2 if stride == 1 else (kernel - stride) // 2
    return torch.nn.Conv1d(cin, cout, kernel, stride=stride, padding=padding)


def lrelu():
    return torch.nn.LeakyReLU(0.2)


def exp_sigmoid(x):
    return 2.0 * torch.pow(torch.sigmoid(x), math.log(10.0)) + 1e-7


class Quantizer(torch.nn.Module):
    def __init__(self, codes, dim):
        super().__init__()
        self.register_buffer("codebook", torch.zeros(codes, dim))
        self.register_buffer("cluster_size", torch.zeros(codes))
        self.register_buffer("embed_sum", torch.zeros(codes, dim))
        self.register_buffer("unused_steps", torch.zeros(codes))

    def lookup(self, codes):  # [B, T] -> [B, D, T]
        b, t = codes.shape
        return self.codebook.index_select(0, codes.flatten()).view(b, t, -1).permute(0, 2, 1)

    def quantize(self, z):  # eval mode: nearest code
        b, d, t = z.shape
        flat = z.permute(0, 2, 1).reshape(-1, d)
        dist = flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.codebook.t() + self.codebook.pow(2).sum(1).unsqueeze(0)
        index = dist.argmin(1)
        return self.codebook.index_select(0, index).view(b, t, d).permute(0, 2, 1), index.view(b, t)


def time_features(frames):
    tf = torch.zeros(1, TIME_FEATURES, frames, dtype=torch.float64)
    for t in range(frames):
        x = t / frames
        for k in range(4):
            tf[0, 2 * k, t] = math.sin(math.pi * (k + 1) * x)
            tf[0, 2 * k + 1, t] = math.cos(math.pi * (k + 1) * x)
        tf[0, 8, t] = math.log1p(t) / math.log1p(frames)
    return tf.float()


class DdspNet(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        h = c["hidden"]
        self.vq = c["bottleneck"] == "vq"
        self.frames = c["clip_frames"] // c["hop"]
        self.class_embed = torch.nn.Embedding(len(c["classes"]), c["class_embedding"])
        if self.vq:
            self.encoder = torch.nn.Sequential(conv(c["mel_bands"], h, 3), lrelu(), conv(h, h, 4, 2), lrelu(),
                                               conv(h, h, 4, 2), lrelu())
            self.to_code = torch.nn.Conv1d(h, c["code_dim"], 1)
            self.quantizer = Quantizer(c["codebook_size"], c["code_dim"])
        else:
            self.encoder = torch.nn.Sequential(conv(c["mel_bands"], h, 3), lrelu(), conv(h, h, 3), lrelu(),
                                               conv(h, h, 3), lrelu())
            self.to_latent = torch.nn.Linear(h, 2 * c["latent_dim"])
        latent_in = c["code_dim"] if self.vq else c["latent_dim"]
        cin = latent_in + c["class_embedding"] + 3 + TIME_FEATURES
        cout = 1 + c["harmonics"] + c["noise_bands"] + 1
        self.decoder = torch.nn.Sequential(conv(cin, h, 3), lrelu(), conv(h, h, 5), lrelu(), conv(h, h, 5), lrelu(),
                                           conv(h, h, 3), lrelu(), torch.nn.Conv1d(h, cout, 1))
        self.register_buffer("time_features", time_features(self.frames))

    def encode_mean(self, logmel):
        hidden = self.encoder(logmel)
        stats = self.to_latent(hidden.mean(2))
        return stats[:, :self.c["latent_dim"]]

    def controls(self, latent, class_embedding, pitch, velocity, pitched):
        c, frames, b = self.c, self.frames, latent.shape[0]
        H, K = c["harmonics"], c["noise_bands"]
        is_pitched = pitched.to(latent.dtype).view(b, 1)
        if self.vq:
            latent_frames = torch.repeat_interleave(latent, c["code_stride"], 2)
        else:
            latent_frames = latent.unsqueeze(2).expand(b, c["latent_dim"], frames)
        pitch = pitch.to(latent.dtype)
        pitch_feature = ((pitch - 60.0) / 24.0).view(b, 1) * is_pitched
        scalars = torch.cat([pitch_feature, is_pitched, velocity.to(latent.dtype).view(b, 1)], 1)
        x = torch.cat([latent_frames, class_embedding.unsqueeze(2).expand(b, c["class_embedding"], frames),
                       scalars.unsqueeze(2).expand(b, 3, frames), self.time_features.expand(b, -1, frames)], 1)
        out = self.decoder(x)
        amp = exp_sigmoid(out[:, 0:1])
        dist = torch.softmax(out[:, 1:1 + H], 1)
        noise = exp_sigmoid(out[:, 1 + H:1 + H + K] - 4.0)
        note_hz = (440.0 * torch.pow(2.0, (pitch - 69.0) / 12.0)).view(b, 1)
        drum_hz = 30.0 * torch.exp(torch.sigmoid(out[:, 1 + H + K]) * math.log(40.0))
        f0 = is_pitched * note_hz.expand(b, frames) + (1 - is_pitched) * drum_hz
        k = torch.arange(1, H + 1, dtype=latent.dtype).view(1, -1, 1)
        audible = (k * f0.unsqueeze(1)).lt(c["sample_rate_hz"] / 2.0).to(latent.dtype)
        dist = dist * audible
        dist = dist / (dist.sum(1, keepdim=True) + 1e-7)
        return f0, amp * dist, noise


class CodePrior(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        w = c["prior_width"]
        self.codes = (c["clip_frames"] // c["hop"]) // c["code_stride"]
        self.code = torch.nn.Embedding(c["codebook_size"], w)
        self.position = torch.nn.Embedding(self.codes, w)
        self.class_embed = torch.nn.Embedding(len(c["classes"]), w)
        self.pitch = torch.nn.Embedding(129, w)
        self.velocity = torch.nn.Embedding(VELOCITY_BUCKETS, w)
        layer = torch.nn.TransformerEncoderLayer(w, c["prior_heads"], dim_feedforward=4 * w, dropout=0.1)
        self.body = torch.nn.TransformerEncoder(layer, c["prior_layers"], enable_nested_tensor=False)
        self.norm = torch.nn.LayerNorm(w)
        self.head = torch.nn.Linear(w, c["codebook_size"])

    def condition(self, classes, pitch, velocity):
        p = torch.where(pitch.lt(0), torch.full_like(pitch, 128), pitch.clamp(0, 127))
        v = torch.div((velocity.clamp(1, 127) - 1) * VELOCITY_BUCKETS, 127, rounding_mode="floor")
        return self.class_embed(classes) + self.pitch(p) + self.velocity(v)

    def forward(self, codes, classes, pitch, velocity):
        t = codes.shape[1]
        start = self.condition(classes, pitch, velocity).unsqueeze(1)
        x = torch.cat([start, self.code(codes[:, :t - 1])], 1) if t > 1 else start
        x = x + self.position(torch.arange(t)).unsqueeze(0)
        mask = torch.triu(torch.full((t, t), -math.inf), 1)
        h = self.body(x.transpose(0, 1), mask).transpose(0, 1)
        return self.head(self.norm(h))

    def sample(self, classes, pitch, velocity, temperature, top_k, gen):
        b = classes.shape[0]
        codes = torch.zeros(b, self.codes, dtype=torch.long)
        for i in range(self.codes):
            logits = self.forward(codes[:, :i + 1], classes, pitch, velocity)[:, i]
            if temperature <= 0:
                codes[:, i] = logits.argmax(1)
                continue
            logits = logits / temperature
            if 0 < top_k < logits.shape[1]:
                kth = logits.topk(top_k, 1)[0][:, top_k - 1:top_k]
                logits = logits.masked_fill(logits.lt(kth), -math.inf)
            probs = torch.softmax(logits, 1)
            codes[:, i] = torch.multinomial(probs, 1, False, generator=gen).squeeze(1)
        return codes


def to_samples(frames, n):  # [B, C, F] -> [B, C, n], linear between frame centres
    return F.interpolate(frames, size=n, mode="linear", align_corners=False)


def synthesize(f0, harmonics, noise_bands, c, gen):
    """HarmonicNoiseSynth.cpp: returns (harmonic, filtered noise, white noise)."""
    n, sr, hop = c["clip_frames"], c["sample_rate_hz"], c["hop"]
    f0s = to_samples(f0.unsqueeze(1), n).squeeze(1)
    phase = torch.cumsum(f0s * (2.0 * math.pi / sr), 1)
    k = torch.arange(1, harmonics.shape[1] + 1, dtype=f0.dtype).view(1, -1, 1)
    amps = to_samples(harmonics, n)
    harmonic = (torch.sin(phase.unsqueeze(1) * k) * amps).sum(1)

    white = torch.rand(f0.shape[0], n, generator=gen) * 2 - 1
    window = torch.hann_window(NOISE_WINDOW)
    spec = torch.stft(white, NOISE_FFT, hop, NOISE_WINDOW, window, center=True, pad_mode="reflect",
                      normalized=False, onesided=True, return_complex=True)
    bins, frames = spec.shape[1], spec.shape[2]
    gains = F.interpolate(noise_bands.transpose(1, 2), size=bins, mode="linear", align_corners=True).transpose(1, 2)
    gains = F.interpolate(gains, size=frames, mode="linear", align_corners=False)
    shaped = torch.istft(spec * gains, NOISE_FFT, hop, NOISE_WINDOW, window, center=True, normalized=False,
                         length=n, return_complex=False)
    return harmonic, shaped, white


def hz_to_mel(hz):
    return 2595.0 * math.log10(1.0 + hz / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def log_mel(audio, sr, hop, bands):
    """LogMel.cpp: HTK mel, triangular filters, 10 log10 power, scaled to ~[-1, 1]."""
    bins = MEL_FFT // 2 + 1
    filters = np.zeros((bands, bins), dtype=np.float32)
    top = hz_to_mel(sr / 2.0)
    for b in range(bands):
        lo, mid, hi = (mel_to_hz(top * (b + i) / (bands + 1)) for i in range(3))
        for i in range(bins):
            hz = i * sr / MEL_FFT
            w = (hz - lo) / max(mid - lo, 1e-9) if hz <= mid else (hi - hz) / max(hi - mid, 1e-9)
            filters[b, i] = max(0.0, w)
    window = torch.hann_window(MEL_FFT)
    spec = torch.stft(audio, MEL_FFT, hop, MEL_FFT, window, center=True, pad_mode="reflect", normalized=False,
                      onesided=True, return_complex=True)
    power = torch.real(spec * torch.conj(spec))
    mel = torch.matmul(torch.from_numpy(filters), power)
    frames = audio.shape[1] // hop
    return 10.0 * torch.log10(mel[:, :, :frames].clamp_min(1e-10)) / 40.0 + 1.0


class Package:
    def __init__(self, folder):
        with open(os.path.join(folder, "model.json")) as f:
            self.manifest = json.load(f)
        if self.manifest["family"] != "audio-ddsp":
            raise SystemExit(folder + ": not an audio-ddsp package")
        self.config = c = self.manifest["config"]
        weights = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
        net_w = {k[4:]: v for k, v in weights.items() if k.startswith("net.")}
        prior_w = {k[6:]: v for k, v in weights.items() if k.startswith("prior.")}
        if len(net_w) + len(prior_w) != len(weights):
            raise SystemExit(folder + ": tensors outside net.* / prior.*")
        self.net = DdspNet(c)
        expected_tf = self.net.time_features.clone()
        self.net.load_state_dict(net_w, strict=True)  # names and shapes must be the C++ module's
        if (self.net.time_features - expected_tf).abs().max() > 1e-6:
            raise SystemExit(folder + ": net.time_features differs from the formula")
        self.net.eval()
        self.prior = None
        if self.net.vq:
            self.prior = CodePrior(c)
            self.prior.load_state_dict(prior_w, strict=True)
            self.prior.eval()
        elif prior_w:
            raise SystemExit(folder + ": a vae package with prior.* tensors")
        self.pitched = torch.tensor([bool(p) for p in c["pitched"]])
        self.slider_dim = (0 if self.net.vq else c["latent_dim"]) + c["class_embedding"]

    def generate(self, classes, pitch, velocity, slider, temperature, top_k, gen):
        """DdspGenerator.cpp generateSound: returns a dict of tensors."""
        c, net, b = self.config, self.net, classes.shape[0]
        out = {}
        latent = None
        if net.vq:
            out["codes"] = self.prior.sample(classes, pitch, velocity, temperature, top_k, gen)
            latent = net.quantizer.lookup(out["codes"])
        if slider is not None:
            if slider.shape[1] != self.slider_dim:
                raise SystemExit("slider of %d values, model takes %d" % (slider.shape[1], self.slider_dim))
            embedding = slider[:, self.slider_dim - c["class_embedding"]:]
            if not net.vq:
                latent = slider[:, :c["latent_dim"]]
        else:
            embedding = net.class_embed(classes)
            if not net.vq:
                latent = torch.randn(b, c["latent_dim"], generator=gen) * temperature
        out["slider"] = embedding if net.vq else torch.cat([latent, embedding], 1)
        f0, harmonics, noise_bands = net.controls(latent, embedding, pitch.float(), velocity.float() / 127.0,
                                                  self.pitched.index_select(0, classes))
        harmonic, noise, white = synthesize(f0, harmonics, noise_bands, c, gen)
        out.update(f0=f0, harmonics=harmonics, noise_bands=noise_bands, harmonic=harmonic, noise=noise, white=white,
                   raw=harmonic + noise)
        return out


def read_f32(path):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").copy())


def run_case(case, packages):
    pkg = packages.setdefault(case["package"], Package(case["package"]))
    c = pkg.config
    cls = int(case["class"])
    pitch = int(case["pitch"]) if c["pitched"][cls] else -1  # DdspModel: drums ignore the pitch
    classes = torch.tensor([cls])
    pitch_t = torch.tensor([pitch])
    velocity = torch.tensor([int(case["velocity"])])
    gen = torch.Generator().manual_seed(int(case["seed"]))
    task = case["task"]
    slider = torch.tensor([case["slider"]], dtype=torch.float32) if case.get("slider") is not None else None
    extra = {}
    if task == "audio.transfer":
        clip = read_f32(case["input"])
        x = torch.zeros(1, c["clip_frames"])
        n = min(c["clip_frames"], clip.numel())
        x[0, :n] = clip[:n]
        logmel = log_mel(x, c["sample_rate_hz"], c["hop"], c["mel_bands"])
        mean = pkg.net.encode_mean(logmel)
        slider = torch.cat([mean, pkg.net.class_embed(classes)], 1)
        extra = {"logmel": logmel, "mean": mean}
    elif task == "audio.decode" and slider is None:
        raise SystemExit(case["name"] + ": decode needs a slider")
    out = pkg.generate(classes, pitch_t, velocity, slider, float(case.get("temperature", 1.0)),
                       int(case.get("top_k", 0)), gen)
    out["audio"] = (out["raw"] * float(case.get("gain", 1.0))).clamp(-1, 1)
    out.update(extra)
    return out


def run_synth(entry, packages):
    pkg = packages.setdefault(entry["package"], Package(entry["package"]))
    controls = safetensors_io.load(entry["controls"])
    gen = torch.Generator().manual_seed(int(entry["seed"]))
    harmonic, noise, white = synthesize(controls["f0"], controls["harmonics"], controls["noise_bands"], pkg.config, gen)
    return {"harmonic": harmonic, "noise": noise, "white": white, "raw": harmonic + noise}


def bench(folder, clips, batch, runs, threads):
    torch.set_num_threads(threads)
    pkg = Package(folder)
    c = pkg.config
    names = c["classes"]
    seconds = c["clip_frames"] / c["sample_rate_hz"]

    def decode(n, seed):
        gen = torch.Generator().manual_seed(seed)
        classes = torch.arange(n) % len(names)
        pitch = torch.where(pkg.pitched.index_select(0, classes), torch.full((n,), 60), torch.full((n,), -1))
        velocity = torch.full((n,), 100)
        slider = torch.randn(n, pkg.slider_dim, generator=gen) * 0.5
        # vq: decode samples the codes from the prior first, as the plugin does.
        return pkg.generate(classes, pitch, velocity, slider, 1.0, 0, gen)["raw"]

    single, batched = [], []
    with torch.inference_mode():
        for i in range(3):  # warm-up: first-call allocations and the thread pool
            decode(1, 100 + i)
        for i in range(clips):
            t0 = time.perf_counter()
            decode(1, 1000 + i)
            single.append(time.perf_counter() - t0)
        decode(batch, 7)
        for r in range(runs):
            t0 = time.perf_counter()
            decode(batch, 2000 + r)
            batched.append(time.perf_counter() - t0)
    print(json.dumps({"clips": clips, "batch": batch, "seconds_audio": seconds, "bottleneck": c["bottleneck"],
                      "single_s": single, "batch_s": batched, "threads": torch.get_num_threads()}))


def main(argv):
    if len(argv) == 7 and argv[1] == "--bench":
        bench(argv[2], *map(int, argv[3:]))
        return
    if len(argv) != 3:
        sys.exit("usage: ddsp_reference.py REQUEST.json OUT_DIR | --bench PACKAGE_DIR CLIPS BATCH RUNS THREADS")
    with open(argv[1]) as f:
        request = json.load(f)
    out_dir = argv[2]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(int(request.get("threads", 1)))
    packages = {}
    with torch.no_grad():
        for case in request.get("cases", []):
            safetensors_io.save(run_case(case, packages), os.path.join(out_dir, case["name"] + ".safetensors"))
        for entry in request.get("synth", []):
            safetensors_io.save(run_synth(entry, packages), os.path.join(out_dir, entry["name"] + ".safetensors"))


if __name__ == "__main__":
    main(sys.argv)
