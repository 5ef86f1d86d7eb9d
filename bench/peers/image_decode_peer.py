#!/usr/bin/python3
"""PyTorch eager peer for the image benchmarks: the test suite's reference
modules (tests/reference/image_*.py) on a package's own weights, doing the
work the app's image.decode does per call: decode latents to images in [0, 1]
and score them (VAE: ELBO at the posterior mean; flow: exact bits/dim; GAN: none).

Run under Debian's /usr/bin/python3 (python3-torch 1.13):

  image_decode_peer.py PACKAGE_DIR SINGLE_RUNS BATCH BATCH_RUNS THREADS

Prints one JSON object: {"family", "single_ms": [...], "batch": B, "batch_s": [...]}.
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "reference"))
import safetensors_io  # noqa: E402


def load_vae(config, weights):
    import image_vae
    net = image_vae.VaeNet(config["image_size"], config["channels"], config["latent_dim"], config["width"])
    net.load_state_dict(weights)
    beta = 1.0  # the app's score is the plain ELBO whatever beta was trained with

    def run(z):
        image = torch.sigmoid(net.decode_logits(z))
        mu, logvar = net.encode(image)
        elbo = -(image_vae.recon_nats(net.decode_logits(mu), image) + beta * image_vae.kl_nats(mu, logvar))
        return image, elbo

    def latents(n):
        return torch.randn(n, config["latent_dim"])
    return net, run, latents


def load_gan(config, weights):
    import image_gan
    net = image_gan.Generator(config["image_size"], config["channels"], config["z_dim"], config["w_dim"],
                              config["mapping_layers"], config["num_classes"], tuple(config["widths"]))
    # The package holds the generator only; a discriminator never ships.
    net.load_state_dict(weights)

    def run(w):
        return ((net.synthesis(w) + 1) * 0.5).clamp(0, 1), None

    def latents(n):
        z = torch.randn(n, config["z_dim"])
        labels = torch.arange(n) % max(config["num_classes"], 1)
        return net.truncate(net.mapping_forward(z, labels if config["num_classes"] > 0 else None), 0.7)
    return net, run, latents


def load_flow(config, weights):
    import image_flow
    net = image_flow.Glow(config["image_size"], config["channels"], config["levels"], config["steps_per_level"],
                          config["hidden"])
    net.load_state_dict(weights)
    dim = config["channels"] * config["image_size"] ** 2

    def run(eps):
        image = (net.reverse(eps) + 0.5).clamp(0, 1)
        y = ((image * 255).round() + 0.5) / 256 - 0.5
        logp = net(y)[3]
        bpd = (-logp + dim * math.log(256)) / (dim * math.log(2))
        return image, bpd

    def latents(n):
        return 0.7 * torch.randn(n, dim)
    return net, run, latents


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: image_decode_peer.py PACKAGE_DIR SINGLE_RUNS BATCH BATCH_RUNS THREADS")
    package, single_runs, batch, batch_runs, threads = sys.argv[1], *map(int, sys.argv[2:])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    with open(os.path.join(package, "model.json")) as f:
        manifest = json.load(f)
    family = manifest["family"]
    weights = safetensors_io.load(os.path.join(package, "weights.safetensors"))
    loader = {"image-vae": load_vae, "image-gan": load_gan, "image-flow": load_flow}.get(family)
    if loader is None:
        sys.exit("no peer for family " + family)
    net, run, latents = loader(manifest["config"], weights)
    net.eval()
    single, batched = [], []
    with torch.inference_mode():
        for _ in range(3):  # warm-up: first-call allocations and thread pool start
            run(latents(1))
        for _ in range(single_runs):
            z = latents(1)
            t0 = time.perf_counter()
            run(z)
            single.append((time.perf_counter() - t0) * 1e3)
        run(latents(batch))
        for _ in range(batch_runs):
            z = latents(batch)
            t0 = time.perf_counter()
            run(z)
            batched.append(time.perf_counter() - t0)
    print(json.dumps({"family": family, "single_ms": single, "batch": batch, "batch_s": batched}))


if __name__ == "__main__":
    main()
