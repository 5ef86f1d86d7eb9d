#!/usr/bin/python3
"""Reference Glow for the image-flow parity tests.

Run under Debian's /usr/bin/python3 (python3-torch 1.13):

  image_flow.py OUT_DIR

For each case (mnist: S=28 C=1 levels=2 K=2 H=16; rgb: S=8 C=3 levels=3 K=1
H=8) writes OUT_DIR/<case>/weights.safetensors (state_dict names equal the C++
GlowNet's parameters and buffers) and OUT_DIR/<case>/io.safetensors:
  images      [B, C, S, S]  p/255 for random pixels p
  eps, z      [B, D]        latent (standardised) and raw flow output
  logdet, logp, bpd [B]     with midpoint dequantisation y = (p + 0.5)/256 - 0.5
  y_back      [B, C, S, S]  reverse(eps): the dequantised input again
  latents     [B, D]        0.7 * N(0, 1)
  y_decoded   [B, C, S, S]  reverse(latents), before clamping
Zero-initialised layers and actnorm get random values so every part matters.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

LOG_2PI = math.log(2 * math.pi)


def squeeze(x):
    b, c, h, w = x.shape
    return x.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, 4 * c, h // 2, w // 2)


def unsqueeze(x):
    b, c, h, w = x.shape
    return x.view(b, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c // 4, 2 * h, 2 * w)


class ActNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.logs = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.register_buffer("initialized", torch.zeros(1, dtype=torch.uint8))

    def forward(self, x):
        h, w = x.shape[2:]
        return (x + self.bias) * torch.exp(self.logs), h * w * self.logs.sum()

    def reverse(self, y):
        return y * torch.exp(-self.logs) - self.bias


class InvConv1x1LU(nn.Module):
    def __init__(self, c):
        super().__init__()
        q = torch.linalg.qr(torch.randn(c, c))[0]
        p, lower, upper = torch.linalg.lu(q)
        s = torch.diagonal(upper)
        self.register_buffer("p", p)
        self.register_buffer("sign_s", torch.sign(s))
        self.register_buffer("l_mask", torch.tril(torch.ones(c, c), -1))
        self.register_buffer("eye", torch.eye(c))
        self.lower = nn.Parameter(lower)
        self.upper = nn.Parameter(torch.triu(upper, 1))
        self.log_s = nn.Parameter(torch.log(torch.abs(s)))

    def weight(self):
        low = self.lower * self.l_mask + self.eye
        up = self.upper * self.l_mask.T + torch.diag(self.sign_s * torch.exp(self.log_s))
        return self.p @ low @ up

    def forward(self, x):
        c, h, w = x.shape[1:]
        return F.conv2d(x, self.weight().view(c, c, 1, 1)), h * w * self.log_s.sum()

    def reverse(self, y):
        c = y.shape[1]
        return F.conv2d(y, torch.inverse(self.weight()).view(c, c, 1, 1))


class ZeroConv2d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.conv.weight.data.zero_()
        self.conv.bias.data.zero_()
        self.logs = nn.Parameter(torch.zeros(1, cout, 1, 1))

    def forward(self, x):
        return self.conv(x) * torch.exp(self.logs * 3)


class AffineCoupling(nn.Module):
    def __init__(self, c, hidden):
        super().__init__()
        self.conv1 = nn.Conv2d(c // 2, hidden, 3, padding=1)
        self.conv2 = nn.Conv2d(hidden, hidden, 1)
        self.zero = ZeroConv2d(hidden, c)

    def params(self, xa):
        h = self.zero(F.relu(self.conv2(F.relu(self.conv1(xa)))))
        return h[:, 0::2], torch.sigmoid(h[:, 1::2] + 2)

    def forward(self, x):
        xa, xb = x.chunk(2, 1)
        shift, scale = self.params(xa)
        return torch.cat([xa, (xb + shift) * scale], 1), torch.log(scale).flatten(1).sum(1)

    def reverse(self, y):
        ya, yb = y.chunk(2, 1)
        shift, scale = self.params(ya)
        return torch.cat([ya, yb / scale - shift], 1)


class FlowStep(nn.Module):
    def __init__(self, c, hidden):
        super().__init__()
        self.actnorm = ActNorm(c)
        self.invconv = InvConv1x1LU(c)
        self.coupling = AffineCoupling(c, hidden)

    def forward(self, x):
        x, a = self.actnorm(x)
        x, b = self.invconv(x)
        x, c = self.coupling(x)
        return x, a + b + c

    def reverse(self, y):
        return self.actnorm.reverse(self.invconv.reverse(self.coupling.reverse(y)))


class FlowLevel(nn.Module):
    def __init__(self, c, hidden, steps, last):
        super().__init__()
        self.steps = nn.ModuleList([FlowStep(c, hidden) for _ in range(steps)])
        self.prior = None if last else ZeroConv2d(c // 2, c)


def gaussian_log_density(eps):
    return (-0.5 * (LOG_2PI + eps * eps)).flatten(1).sum(1)


class Glow(nn.Module):
    def __init__(self, size, channels, levels, steps, hidden):
        super().__init__()
        self.levels = nn.ModuleList()
        c = channels
        for l in range(levels):
            last = l == levels - 1
            self.levels.append(FlowLevel(4 * c, hidden, steps, last))
            c = 2 * c
        self.shapes = []  # eps piece per level: (c, h, w)
        c, s = channels, size
        for l in range(levels):
            c, s = 4 * c, s // 2
            self.shapes.append((c // 2, s, s) if l < levels - 1 else (c, s, s))
            c //= 2

    def forward(self, y):
        x, logdet, logpz, eps_all, z_all = y, 0, 0, [], []
        for level in self.levels:
            x = squeeze(x)
            for step in level.steps:
                x, ld = step(x)
                logdet = logdet + ld
            if level.prior is not None:
                x, z = x.chunk(2, 1)
                out = level.prior(x)
                mean, logs = out[:, 0::2], out[:, 1::2]
                eps = (z - mean) * torch.exp(-logs)
                logpz = logpz + gaussian_log_density(eps) - logs.flatten(1).sum(1)
            else:
                z = eps = x
                logpz = logpz + gaussian_log_density(eps)
            eps_all.append(eps.flatten(1))
            z_all.append(z.flatten(1))
        return torch.cat(eps_all, 1), torch.cat(z_all, 1), logdet, logpz + logdet

    def reverse(self, eps):
        b = eps.shape[0]
        sizes = [c * h * w for c, h, w in self.shapes]
        pieces = eps.split(sizes, 1)
        x = pieces[-1].reshape(b, *self.shapes[-1])
        for l in reversed(range(len(self.levels))):
            level = self.levels[l]
            if level.prior is not None:
                out = level.prior(x)
                mean, logs = out[:, 0::2], out[:, 1::2]
                x = torch.cat([x, mean + torch.exp(logs) * pieces[l].reshape(b, *self.shapes[l])], 1)
            for step in reversed(level.steps):
                x = step.reverse(x)
            x = unsqueeze(x)
        return x


def randomise(model, gen):
    """Non-trivial values for everything that starts at zero or identity."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, ActNorm):
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
                m.logs.copy_(0.1 * torch.randn(m.logs.shape, generator=gen))
                m.initialized.fill_(1)
            elif isinstance(m, InvConv1x1LU):
                m.log_s.add_(0.1 * torch.randn(m.log_s.shape, generator=gen))
            elif isinstance(m, ZeroConv2d):
                m.conv.weight.copy_(0.02 * torch.randn(m.conv.weight.shape, generator=gen))
                m.conv.bias.copy_(0.02 * torch.randn(m.conv.bias.shape, generator=gen))
                m.logs.copy_(0.05 * torch.randn(m.logs.shape, generator=gen))


def write_case(out_dir, name, size, channels, levels, steps, hidden, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1)
    model = Glow(size, channels, levels, steps, hidden)
    randomise(model, gen)
    model.eval()
    batch, dim = 3, channels * size * size
    pixels = torch.randint(0, 256, (batch, channels, size, size), generator=gen)
    images = pixels.float() / 255
    y = (pixels.float() + 0.5) / 256 - 0.5
    latents = 0.7 * torch.randn(batch, dim, generator=gen)
    with torch.no_grad():
        eps, z, logdet, logp = model(y)
        bpd = (-logp + dim * math.log(256)) / (dim * math.log(2))
        y_back = model.reverse(eps)
        y_decoded = model.reverse(latents)
    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    safetensors_io.save(model.state_dict(), os.path.join(case_dir, "weights.safetensors"))
    safetensors_io.save({"images": images, "eps": eps, "z": z, "logdet": logdet, "logp": logp, "bpd": bpd,
                         "y_back": y_back, "latents": latents, "y_decoded": y_decoded},
                        os.path.join(case_dir, "io.safetensors"))


def main():
    out_dir = sys.argv[1]
    torch.set_num_threads(1)
    write_case(out_dir, "mnist", 28, 1, 2, 2, 16, seed=11)
    write_case(out_dir, "rgb", 8, 3, 3, 1, 8, seed=12)


if __name__ == "__main__":
    main()
