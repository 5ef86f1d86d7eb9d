#!/usr/bin/python3
"""Reference TorchScript generators for the image-torchscript tests.

Run under Debian's /usr/bin/python3 (python3-torch 1.13, the same build as
libtorch-dev), so the C++ side must match these pixels exactly.

  make_torchscript_generator.py OUT_DIR

writes, for each variant, OUT_DIR/<name>.pt and OUT_DIR/<name>.<seed>.rgb
(the expected 8-bit pixels, [batch, H, W, C] row-major) plus OUT_DIR/cases.json.
"""
import json
import os
import sys

import torch


class ConvGenerator(torch.nn.Module):
    """z -> linear -> 4x4 feature map -> upsampling convs -> tanh image."""

    def __init__(self, latent: int, channels: int, classes: int = 0):
        super().__init__()
        self.classes = classes
        self.embed = torch.nn.Embedding(max(classes, 1), latent)
        self.fc = torch.nn.Linear(latent, 32 * 4 * 4)
        self.conv1 = torch.nn.Conv2d(32, 16, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(16, channels, 3, padding=1)

    def forward(self, z: torch.Tensor, labels: torch.Tensor = torch.zeros(0, dtype=torch.long)) -> torch.Tensor:
        if self.classes > 0:
            z = z + self.embed(labels)
        x = self.fc(z).view(-1, 32, 4, 4)
        x = torch.nn.functional.interpolate(torch.relu(x), scale_factor=2.0, mode="nearest")
        x = torch.nn.functional.interpolate(torch.relu(self.conv1(x)), scale_factor=2.0, mode="nearest")
        return torch.tanh(self.conv2(x))


class SigmoidGenerator(torch.nn.Module):
    """Output in [0, 1], to test the declared output range."""

    def __init__(self, latent: int):
        super().__init__()
        self.fc = torch.nn.Linear(latent, 3 * 6 * 5)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.fc(z)).view(-1, 3, 6, 5)


class WrongShape(torch.nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return z * 2.0


class Throws(torch.nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.size(1) != 3:
            raise RuntimeError("latent must have 3 values")
        return z.view(-1, 3, 1, 1)


def expected_pixels(out: torch.Tensor, lo: float, hi: float) -> bytes:
    u8 = ((out - lo) * (255.0 / (hi - lo))).round().clamp(0, 255).to(torch.uint8)
    return u8.permute(0, 2, 3, 1).contiguous().numpy().tobytes()


def main() -> None:
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(20261128)
    cases = []
    variants = [
        ("rgb", ConvGenerator(16, 3), 16, 0, (-1.0, 1.0)),
        ("gray", ConvGenerator(8, 1), 8, 0, (-1.0, 1.0)),
        ("cond", ConvGenerator(12, 3, classes=5), 12, 5, (-1.0, 1.0)),
        ("unit", SigmoidGenerator(10), 10, 0, (0.0, 1.0)),
    ]
    for name, module, latent, classes, (lo, hi) in variants:
        module.eval()
        scripted = torch.jit.script(module)
        scripted.save(os.path.join(out_dir, name + ".pt"))
        for seed, batch, temperature, label in [(7, 1, 1.0, -1), (123, 4, 0.7, -1), (99, 3, 1.0, 2)]:
            if label >= 0 and classes == 0:
                continue
            g = torch.Generator().manual_seed(seed)
            z = torch.randn(batch, latent, generator=g)
            if temperature != 1.0:
                z = z * temperature
            with torch.no_grad():
                if classes > 0:
                    labels = (torch.randint(classes, (batch,), generator=g) if label < 0
                              else torch.full((batch,), label, dtype=torch.long))
                    out = scripted(z, labels)
                else:
                    out = scripted(z)
            file = "%s.%d.rgb" % (name, seed)
            with open(os.path.join(out_dir, file), "wb") as f:
                f.write(expected_pixels(out, lo, hi))
            cases.append({"model": name, "latent_dim": latent, "classes": classes, "range": [lo, hi],
                          "seed": seed, "batch": batch, "temperature": temperature, "class": label,
                          "shape": list(out.shape), "pixels": file})
    torch.jit.script(WrongShape()).save(os.path.join(out_dir, "wrong_shape.pt"))
    torch.jit.script(Throws()).save(os.path.join(out_dir, "throws.pt"))
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)


if __name__ == "__main__":
    main()
