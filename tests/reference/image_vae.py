#!/usr/bin/python3
"""Reference convolutional VAE for the image-vae tests.

Run under Debian's /usr/bin/python3 (python3-torch 1.13, the build behind
libtorch-dev):

  image_vae.py OUT_DIR

For each case (gray28: 28x28x1, rgb32: 32x32x3) it writes OUT_DIR/<case>/
  config.json          the model.json "config" of the case
  weights.safetensors  seeded random weights, named like the C++ VaeNet's
  io.safetensors       inputs and the outputs the C++ side must reproduce:
    x [B,C,S,S] in [0,1], z [B,L]
    mu, logvar           the encoder's posterior parameters of x
    image                sigmoid(decoder(z))
    elbo                 per-image ELBO in nats at z = mu (beta 1)
    train_loss/_recon/_kl  one training step's losses (per image, batch mean)
                         with eps = randn(B, L) from a generator seeded train_seed
    train_seed           that seed (int64 [1])
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


class VaeNet(torch.nn.Module):
    def __init__(self, image_size, channels, latent_dim, width):
        super().__init__()
        w, s4 = width, image_size // 4
        self.feat = (4 * w, s4, s4)
        flat = 4 * w * s4 * s4
        self.enc1 = torch.nn.Conv2d(channels, w, 3, padding=1)
        self.enc2 = torch.nn.Conv2d(w, 2 * w, 4, stride=2, padding=1)
        self.enc3 = torch.nn.Conv2d(2 * w, 4 * w, 4, stride=2, padding=1)
        self.mu = torch.nn.Linear(flat, latent_dim)
        self.logvar = torch.nn.Linear(flat, latent_dim)
        self.fc = torch.nn.Linear(latent_dim, flat)
        self.dec1 = torch.nn.ConvTranspose2d(4 * w, 2 * w, 4, stride=2, padding=1)
        self.dec2 = torch.nn.ConvTranspose2d(2 * w, w, 4, stride=2, padding=1)
        self.out = torch.nn.Conv2d(w, channels, 3, padding=1)

    def encode(self, x):
        h = F.silu(self.enc1(x))
        h = F.silu(self.enc2(h))
        h = F.silu(self.enc3(h)).flatten(1)
        return self.mu(h), self.logvar(h)

    def decode_logits(self, z):
        h = F.silu(self.fc(z)).view(-1, *self.feat)
        h = F.silu(self.dec1(h))
        h = F.silu(self.dec2(h))
        return self.out(h)


def recon_nats(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum((1, 2, 3))


def kl_nats(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(1)


CASES = [
    # name, image_size, channels, latent_dim, width, beta, batch
    ("gray28", 28, 1, 8, 8, 1.0, 3),
    ("rgb32", 32, 3, 6, 8, 0.5, 2),
]


def main(out_dir):
    for idx, (name, s, c, l, w, beta, b) in enumerate(CASES):
        torch.manual_seed(100 + idx)
        net = VaeNet(s, c, l, w)
        with torch.no_grad():
            # The default init shrinks activations layer by layer: mu and
            # logvar near 0 and a flat grey image would test little. Scale the
            # weights so every term (mean, variance, pixels) varies.
            for p in net.parameters():
                if p.dim() > 1:
                    p.mul_(2.0)
            net.logvar.bias.uniform_(-1.0, 1.0)
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        config = {"image_size": s, "channels": c, "latent_dim": l, "width": w, "beta": beta}
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(config, f)
        safetensors_io.save(net.state_dict(), os.path.join(d, "weights.safetensors"))

        x = torch.rand(b, c, s, s)
        z = torch.randn(b, l)
        train_seed = 7 + idx
        with torch.no_grad():
            mu, logvar = net.encode(x)
            image = torch.sigmoid(net.decode_logits(z))
            elbo = -(recon_nats(net.decode_logits(mu), x) + kl_nats(mu, logvar))
            eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(train_seed))
            zs = mu + torch.exp(0.5 * logvar) * eps
            recon = recon_nats(net.decode_logits(zs), x)
            kl = kl_nats(mu, logvar)
            loss = (recon + beta * kl).mean()
        safetensors_io.save({
            "x": x, "z": z, "mu": mu, "logvar": logvar, "image": image, "elbo": elbo,
            "train_loss": loss.reshape(1), "train_recon": recon.mean().reshape(1),
            "train_kl": kl.mean().reshape(1),
            "train_seed": torch.tensor([train_seed], dtype=torch.int64),
        }, os.path.join(d, "io.safetensors"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: image_vae.py OUT_DIR")
    main(sys.argv[1])
