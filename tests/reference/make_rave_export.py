#!/usr/bin/python3
"""Small models that follow the RAVE / nn~ TorchScript convention, for the
audio-rave tests (no pretrained RAVE is reachable offline, so the tests script
their own, as a user's export would look).

Run under Debian's /usr/bin/python3 (python3-torch 1.13, the same build as
libtorch-dev):  make_rave_export.py OUT_DIR

Each model gets `encode`/`decode` exported methods with `<method>_params`
buffers [in_channels, in_ratio, out_channels, out_ratio] and an `sr`
attribute, as nn_tilde.Module.register_method writes them. Writes OUT_DIR/
<name>.ts, the inputs and the expected outputs as raw float32 files, and
cases.json describing them.
"""
import json
import math
import os
import sys
from typing import List

import torch

HOP = 64
SR = 16000
DIMS = 4


def params(in_ch: int, in_ratio: int, out_ch: int, out_ratio: int) -> torch.Tensor:
    return torch.tensor([in_ch, in_ratio, out_ch, out_ratio])


class Pointwise(torch.nn.Module):
    """One latent frame per HOP samples and back, no context across frames."""

    def __init__(self, channels: int = 1):
        super().__init__()
        self.sr = SR
        self.enc = torch.nn.Conv1d(1, DIMS, HOP, stride=HOP)
        self.dec = torch.nn.ConvTranspose1d(DIMS, channels, HOP, stride=HOP)
        self.register_buffer("encode_params", params(1, 1, DIMS, HOP))
        self.register_buffer("decode_params", params(DIMS, HOP, channels, 1))

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.enc(x)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dec(z))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


class Context(Pointwise):
    """Convolutions across neighbouring latent frames on both sides: block
    edges show unless each block is run with context."""

    def __init__(self):
        super().__init__()
        self.enc_mix = torch.nn.Conv1d(DIMS, DIMS, 3, padding=1)
        self.dec_mix = torch.nn.Conv1d(DIMS, DIMS, 5, padding=2)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.enc_mix(torch.relu(self.enc(x)))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dec(torch.relu(self.dec_mix(z))))


class Streaming(Pointwise):
    """A causal convolution that keeps the previous latent frame in a `pad`
    buffer, as cached_conv does: consecutive calls continue one another."""

    def __init__(self):
        super().__init__()
        self.mix = torch.nn.Conv1d(DIMS, DIMS, 2)
        self.register_buffer("pad", torch.zeros(1, DIMS, 1))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        x = torch.cat([self.pad, z], 2)
        self.pad.copy_(x[:, :, -1:])
        return torch.tanh(self.dec(self.mix(x)))


class WithPrior(Pointwise):
    def __init__(self):
        super().__init__()
        self.register_buffer("prior_params", params(1, HOP, DIMS, HOP))
        self.dims = DIMS

    @torch.jit.export
    def prior(self, temperature: torch.Tensor) -> torch.Tensor:
        n = temperature.shape[2]
        return torch.randn(1, self.dims, n) * temperature[:, :1, :]


class WrongLength(Pointwise):
    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dec(z))[:, :, 1:]


class Throws(Pointwise):
    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if z.shape[2] > 0:
            raise RuntimeError("decoder exploded")
        return z


class NoParams(torch.nn.Module):
    """encode/decode but neither the *_params buffers nor sr."""

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, :, ::64]

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return z.repeat_interleave(64, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class ImageGenerator(torch.nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(z).view(-1, 1, 2, 2)


def save(module: torch.nn.Module, out: str, name: str) -> torch.jit.ScriptModule:
    torch.manual_seed(sum(map(ord, name)))
    for p in module.parameters():
        torch.nn.init.normal_(p, std=0.3)
    scripted = torch.jit.script(module.eval())
    scripted.save(os.path.join(out, name + ".ts"))
    return scripted


def write(out: str, name: str, t: torch.Tensor) -> str:
    path = name + ".f32"
    t.detach().contiguous().float().numpy().tofile(os.path.join(out, path))
    return path


def edit(z: torch.Tensor, offset: List[float], scale: List[float]) -> torch.Tensor:
    return z * torch.tensor(scale).view(1, -1, 1) + torch.tensor(offset).view(1, -1, 1)


def signal(frames: int) -> torch.Tensor:
    t = torch.arange(frames, dtype=torch.float64) / SR
    x = 0.5 * torch.sin(2 * math.pi * 220 * t) + 0.3 * torch.sin(2 * math.pi * 1375 * t) * torch.exp(-3 * t)
    return x.float().view(1, 1, -1)


def padded(x: torch.Tensor) -> torch.Tensor:
    frames = x.shape[2]
    whole = (frames + HOP - 1) // HOP * HOP
    return torch.nn.functional.pad(x, (0, whole - frames))


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    torch.set_grad_enabled(False)
    cases = []
    offset = [0.1, -0.2, 0.3, 0.0]
    scale = [1.0, 0.5, 2.0, 1.0]
    frames = 20800 + 17  # several blocks, not a whole number of latent frames
    x = signal(frames)
    write(out, "input", x)

    for name, module in [("pointwise", Pointwise()), ("context", Context()), ("streaming", Streaming()),
                         ("stereo", Pointwise(2))]:
        m = save(module, out, name)
        if hasattr(m, "pad"):
            m.pad.zero_()
        z = m.encode(padded(x))
        if hasattr(m, "pad"):
            m.pad.zero_()
        y = m.decode(edit(z, offset, scale))[:, :, :frames]
        # Frame-major latent path, as the plugin reports it.
        cases.append({"model": name, "task": "audio.transfer", "offset": offset, "scale": scale,
                      "latent": write(out, name + ".transfer.latent", z[0].t()),
                      "expected": write(out, name + ".transfer", y[0].t()), "channels": y.shape[1]})
        if hasattr(m, "pad"):
            m.pad.zero_()
        zd = torch.randn(1, DIMS, 37, generator=torch.Generator().manual_seed(3))
        yd = m.decode(zd)
        cases.append({"model": name, "task": "audio.decode", "offset": [], "scale": [],
                      "latent": write(out, name + ".decode.latent", zd[0].t()),
                      "expected": write(out, name + ".decode", yd[0].t()), "channels": yd.shape[1]})

    # audio.sample with the random source: the C++ side draws the same normal
    # numbers (torch.randn with a CPU generator seeded alike) and filters them.
    m = torch.jit.load(os.path.join(out, "pointwise.ts"))
    seed, seconds, smooth, temperature = 11, 0.75, 0.05, 0.8
    audio_frames = round(seconds * SR)
    n = (audio_frames + HOP - 1) // HOP
    z = torch.randn(1, DIMS, n, generator=torch.Generator().manual_seed(seed))
    a = math.exp(-1.0 / (smooth * SR / HOP))
    b = math.sqrt(1 - a * a)
    for t in range(1, n):
        z[:, :, t] = a * z[:, :, t - 1] + b * z[:, :, t]
    z = z * temperature
    y = m.decode(z)[:, :, :audio_frames]
    cases.append({"model": "pointwise", "task": "audio.sample", "seed": seed, "duration_s": seconds,
                  "smoothness_s": smooth, "temperature": temperature, "offset": [], "scale": [],
                  "latent": write(out, "pointwise.sample.latent", z[0].t()),
                  "expected": write(out, "pointwise.sample", y[0].t()), "channels": 1})

    save(WithPrior(), out, "prior")
    for name, module in [("wrong_length", WrongLength()), ("throws", Throws())]:
        save(module, out, name)
    torch.jit.script(NoParams()).save(os.path.join(out, "no_params.ts"))
    torch.jit.script(ImageGenerator()).save(os.path.join(out, "image_generator.ts"))
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"sample_rate_hz": SR, "hop": HOP, "dims": DIMS, "input_frames": frames, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
