#!/usr/bin/python3
"""Reference for the image-gan family (plugins/image-gan): the same StyleGAN-style
generator in PyTorch, with state_dict names equal to the C++ module's.

Run under Debian's /usr/bin/python3 (python3-torch 1.13):

  image_gan.py OUT_DIR

For each case (cond: S=28 C=1 K=10; uncond: S=16 C=3 K=0) writes
OUT_DIR/<case>/weights.safetensors (seeded random weights, every zero-initialised
tensor perturbed so it matters), OUT_DIR/<case>/io.safetensors (z, labels, w,
psi, w_trunc, raw synthesis output, image) and OUT_DIR/<case>/config.json (model.json "config").
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def normalize_2nd(x):
    return x * torch.rsqrt(x.square().mean(dim=1, keepdim=True) + 1e-8)


def lrelu(x):
    return F.leaky_relu(x, 0.2) * math.sqrt(2.0)


class EqualLinear(torch.nn.Module):
    def __init__(self, fan_in, fan_out, lr_mul=1.0, bias_init=0.0):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(fan_out, fan_in) / lr_mul)
        self.bias = torch.nn.Parameter(torch.full([fan_out], float(bias_init)))
        self.weight_gain = lr_mul / math.sqrt(fan_in)
        self.bias_gain = lr_mul

    def forward(self, x):
        return F.linear(x, self.weight * self.weight_gain, self.bias * self.bias_gain)


class ModConv(torch.nn.Module):
    def __init__(self, cin, cout, k, w_dim, demodulate, noise_size, activate):
        super().__init__()
        self.cin, self.cout, self.k = cin, cout, k
        self.demodulate, self.activate = demodulate, activate
        self.affine = EqualLinear(w_dim, cin, 1.0, 1.0)
        self.weight = torch.nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = torch.nn.Parameter(torch.zeros(cout))
        self.has_noise = noise_size > 0
        if self.has_noise:
            self.noise_strength = torch.nn.Parameter(torch.zeros([]))
            self.register_buffer("noise_const", torch.randn(1, 1, noise_size, noise_size))

    def forward(self, x, w):
        b = x.shape[0]
        s = self.affine(w)
        weight = self.weight * (1.0 / math.sqrt(self.cin * self.k * self.k))
        # StyleGAN2's grouped form, written out: modulate the weight per sample.
        wmod = weight.unsqueeze(0) * s.view(b, 1, self.cin, 1, 1)
        if self.demodulate:
            wmod = wmod * torch.rsqrt(wmod.square().sum(dim=[2, 3, 4], keepdim=True) + 1e-8)
        y = F.conv2d(x.reshape(1, b * self.cin, *x.shape[2:]),
                     wmod.reshape(b * self.cout, self.cin, self.k, self.k),
                     padding=self.k // 2, groups=b).reshape(b, self.cout, *x.shape[2:])
        if self.has_noise:
            y = y + self.noise_strength * self.noise_const
        y = y + self.bias.view(1, -1, 1, 1)
        return lrelu(y) if self.activate else y


class Generator(torch.nn.Module):
    def __init__(self, S, C, z_dim=64, w_dim=128, mapping_layers=4, num_classes=0, widths=(128, 64, 32)):
        super().__init__()
        c0, c1, c2 = widths
        self.num_classes = num_classes
        if num_classes > 0:
            self.embed = torch.nn.Embedding(num_classes, z_dim)
        first = 2 * z_dim if num_classes > 0 else z_dim
        self.mapping = torch.nn.ModuleList(
            [EqualLinear(first if i == 0 else w_dim, w_dim, 0.01) for i in range(mapping_layers)])
        self.register_buffer("w_avg", torch.zeros(w_dim))
        self.const = torch.nn.Parameter(torch.randn(c0, S // 4, S // 4))
        self.b0 = torch.nn.Module()
        self.b0.conv = ModConv(c0, c0, 3, w_dim, True, S // 4, True)
        self.b1 = torch.nn.Module()
        self.b1.conv0 = ModConv(c0, c1, 3, w_dim, True, S // 2, True)
        self.b1.conv1 = ModConv(c1, c1, 3, w_dim, True, S // 2, True)
        self.b2 = torch.nn.Module()
        self.b2.conv0 = ModConv(c1, c2, 3, w_dim, True, S, True)
        self.b2.conv1 = ModConv(c2, c2, 3, w_dim, True, S, True)
        self.torgb = ModConv(c2, C, 1, w_dim, False, 0, False)

    def mapping_forward(self, z, labels):
        x = normalize_2nd(z)
        if self.num_classes > 0:
            x = torch.cat([x, normalize_2nd(self.embed(labels))], dim=1)
        for layer in self.mapping:
            x = lrelu(layer(x))
        return x

    def truncate(self, w, psi):
        return self.w_avg + psi * (w - self.w_avg)

    def synthesis(self, w):
        x = self.const.unsqueeze(0).expand(w.shape[0], -1, -1, -1)
        x = self.b0.conv(x, w)
        x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        x = self.b1.conv1(self.b1.conv0(x, w), w)
        x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        x = self.b2.conv1(self.b2.conv0(x, w), w)
        return self.torgb(x, w)


def make_case(out_dir, name, seed, S, C, K, z_dim, w_dim, widths, batch):
    torch.manual_seed(seed)
    g = Generator(S, C, z_dim, w_dim, 4, K, widths)
    with torch.no_grad():
        # Zero-initialised tensors get values, so a wrong name or formula shows.
        for n, p in g.named_parameters():
            if n.endswith("noise_strength"):
                p.copy_(torch.rand([]) * 0.5 + 0.2)
            elif n.startswith("mapping.") and n.endswith("bias"):
                p.add_(torch.randn_like(p) * 30.0)  # run-time gain 0.01
            elif n.endswith("bias"):
                p.add_(torch.randn_like(p) * 0.3)
        g.w_avg.copy_(torch.randn(w_dim) * 0.5)
    z = torch.randn(batch, z_dim)
    labels = torch.arange(batch, dtype=torch.int64) % max(K, 1)
    psi = 0.7
    with torch.no_grad():
        w = g.mapping_forward(z, labels if K > 0 else None)
        w_trunc = g.truncate(w, psi)
        raw = g.synthesis(w_trunc)
        image = ((raw + 1) * 0.5).clamp(0, 1)
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    safetensors_io.save(g.state_dict(), os.path.join(d, "weights.safetensors"))
    safetensors_io.save({"z": z, "labels": labels, "w": w, "psi": torch.tensor([psi]), "w_trunc": w_trunc,
                         "raw": raw, "image": image}, os.path.join(d, "io.safetensors"))
    config = {"image_size": S, "channels": C, "z_dim": z_dim, "w_dim": w_dim, "mapping_layers": 4,
              "num_classes": K, "widths": list(widths)}
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f)


def main():
    out = sys.argv[1]
    torch.set_num_threads(2)
    make_case(out, "cond", 1, 28, 1, 10, 64, 128, (32, 16, 8), 4)
    make_case(out, "uncond", 2, 16, 3, 0, 24, 40, (20, 12, 10), 3)


if __name__ == "__main__":
    main()
