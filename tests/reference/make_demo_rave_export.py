#!/usr/bin/python3
"""A RAVE / nn~-convention export that sounds like something, for trying the
Audio panel by hand (no pretrained RAVE is reachable offline): a four-band
"vocoder". encode() measures, per 256-sample hop at 16 kHz, the log level of
four bands of the input (differences of one-pole smoothings); decode() plays
four partials (125, 187.5, 250 and 375 Hz: a chord on B) with those levels.
Each partial completes whole cycles in a hop, so a block decoded on its own
joins its neighbours without a click, as a convolutional decoder's would.
Transferring a drum loop through it makes the chord pulse with the drums; the
Audio panel's per-dimension offset and scale sliders change each partial.

Run under Debian's /usr/bin/python3:  make_demo_rave_export.py OUT.ts
"""
import math
import sys

import torch

SR = 16000
HOP = 256
DIMS = 4


class ChordVocoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.sr = SR
        self.hop = HOP
        self.dims = DIMS
        self.register_buffer("encode_params", torch.tensor([1, 1, DIMS, HOP]))
        self.register_buffer("decode_params", torch.tensor([DIMS, HOP, 1, 1]))
        self.register_buffer("freqs", torch.tensor([125.0, 187.5, 250.0, 375.0]))
        # One-pole smoothing coefficients splitting the spectrum into four bands.
        self.register_buffer("poles", torch.tensor([0.995, 0.97, 0.85, 0.5]))

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        b, _, n = x.shape
        hop = self.hop
        t = n // hop
        x = x[:, 0, : t * hop]
        # Band k: the smoothing with pole k minus the one with pole k-1 (each
        # smoothing a 64-tap truncation of the one-pole filter, so it runs as
        # one convolution instead of a Python-speed recursion).
        levels = []
        prev = torch.zeros_like(x)
        for k in range(self.dims):
            a = float(self.poles[k])
            taps = torch.pow(torch.full([64], a), torch.arange(64, dtype=torch.float32)) * (1.0 - a)
            smooth = torch.nn.functional.conv1d(x[:, None, :], taps.flip(0)[None, None, :], padding=63)[:, 0, : t * hop]
            band = smooth - prev if k > 0 else smooth
            prev = smooth
            energy = band.reshape(b, t, hop).pow(2).mean(-1)
            levels.append(0.5 * torch.log(energy + 1e-6))
        return torch.stack(levels, 1)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        b, d, t = z.shape
        hop = self.hop
        amp = torch.exp(z).clamp(max=1.0)
        # Linear interpolation of the levels to the sample rate.
        amp = torch.nn.functional.interpolate(amp, size=t * hop, mode="linear", align_corners=False)
        time = torch.arange(t * hop, dtype=torch.float32) / float(self.sr)
        phase = 2.0 * math.pi * self.freqs[:, None] * time[None, :]
        y = (amp * torch.sin(phase)[None, :, :]).sum(1, keepdim=True) * 0.9
        return torch.tanh(y)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_demo_rave_export.py OUT.ts")
    torch.jit.script(ChordVocoder().eval()).save(sys.argv[1])
