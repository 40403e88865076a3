#!/usr/bin/env python3
"""Train a TomoGAN generator (ALGORITHMS.md) on pairs from make_training_pairs.py.

Loss (TomoGAN's): 20 * adversarial + 0.5 * MSE + 2 * perceptual, images in the network's units
(inputs mapped to [0, 255] by the per-image percentile map the model file records; the clean
target through the same map, so the network's output maps back with its inverse).

Perceptual term. TomoGAN compares VGG19 (ImageNet) features of output and target. With
`--vgg19 PATH` (torchvision's vgg19 state_dict, e.g. vgg19-dcbb9e9d.pth) that is what runs, on the
features of conv5_4 before its ReLU (torchvision's features[:35], ESRGAN's cut). Without the weights (this machine is offline and
Debian's torch has no torchvision) the term is a gradient-domain loss instead: the mean squared
difference of the Sobel x and y derivatives at full, 1/2 and 1/4 resolution. Why that and not
random-weight features: what the perceptual term buys TomoGAN over plain MSE is sharp edges and
the noise texture MSE averages away; image gradients measure exactly that, are deterministic,
need no download and mean the same thing to anyone reading the loss. Random convolution features
would be an unexplained function of a seed.

Adversarial term: a small PatchGAN discriminator (tomogan.PatchDiscriminator), non-saturating
BCE on logits; the generator's term is BCE(D(G(x)), real).

    /usr/bin/python3 tools/train_tomogan.py --train out/tomogan/train.h5 --out out/tomogan/run1 \
        --widths 8,16,32,64,16 --patch 64 --batch 16 --steps 3000 --threads 1

A denoiser for a plug-and-play prior (tomo.admm) rather than an FBP enhancer: `--w-adv 0` drops
the discriminator (plain MSE + gradient loss, what SSIM and RMSE reward), `--residual` makes the
network predict a correction to the centre input slice (the model file's `residual` attribute,
so identity is the easy default on clean inputs), and `--blend P` replaces a sample's input, with
probability P, by clean + a (input - clean), a uniform in [0, 1] (the percentile normalisation
recomputed for the blend): artefacts of every strength down to none, as the iterates of the ADMM
loop carry them:

    /usr/bin/python3 tools/train_tomogan.py --train out/admm/train.h5 --out out/admm/run1 \
        --widths 8,16,32,64,16 --w-adv 0 --w-mse 1 --w-perc 1 --residual --blend 0.3 --lr 1e-3 --threads 1

Fine-tuning: `--init MODEL.h5` starts from the weights of an xrecon model file of the same widths
(tomogan.load_model_file, the reverse of export_model.py), e.g. models/tomogan-foam.h5 for
models/tomogan-foam-admm.h5 (models/README.md has the command). `--w-ssim W` adds W (1 - SSIM),
SSIM as solvers/metrics/ssim.cpp computes it, in network units.

Writes OUT/checkpoint.pt (the generator with the lowest validation MSE so far, plus everything
export_model.py needs) and OUT/log.txt.
"""
import argparse
import math
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tomogan  # noqa: E402


class Pairs:
    """Slices of one HDF5 pairs file with their network-unit input stacks precomputed: for each
    slice the neighbour stack, its percentile range, the normalised input and target."""

    def __init__(self, path, volumes, channels, low, high, scale, offset, keep_raw=False):
        with h5py.File(path, "r") as f:
            inputs, cleans, ids = f["input"][...], f["clean"][...], f["volume"][...]
        xs, ys = [], []
        self.raw_in, self.raw_clean = [], []
        for v in volumes:
            sel = np.nonzero(ids == v)[0]
            vin, vcl = inputs[sel], cleans[sel]
            for z in range(len(sel)):
                stack = tomogan.neighbour_stack(vin, z, channels)
                lo, hi = tomogan.percentile_range(stack, low, high)
                xs.append(tomogan.normalise(stack, lo, hi, scale, offset))
                # The target through the same map but not clipped: the network must be able to
                # say that a pixel lies outside the input's percentile range.
                ys.append(((vcl[z] - lo) / (hi - lo) * scale + offset)[None])
            if keep_raw:
                for z in range(len(sel)):
                    self.raw_in.append(tomogan.neighbour_stack(vin, z, channels))
                    self.raw_clean.append(tomogan.neighbour_stack(vcl, z, channels))
        self.x = torch.from_numpy(np.stack(xs).astype(np.float32))
        self.y = torch.from_numpy(np.stack(ys).astype(np.float32))
        self.channels, self.low, self.high, self.scale, self.offset = channels, low, high, scale, offset

    def __len__(self):
        return len(self.x)

    def blended(self, i, a):
        """Input and target of slice i with the input replaced by clean + a (input - clean)."""
        stack = self.raw_clean[i] + a * (self.raw_in[i] - self.raw_clean[i])
        lo, hi = tomogan.percentile_range(stack, self.low, self.high)
        x = tomogan.normalise(stack, lo, hi, self.scale, self.offset)
        centre = self.raw_clean[i][self.channels // 2]
        y = ((centre - lo) / (hi - lo) * self.scale + self.offset)[None]
        return torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y.astype(np.float32))

    def batch(self, rng, size, patch, blend=0.0):
        n, _, h, w = self.x.shape
        idx = rng.integers(0, n, size)
        xs, ys = [], []
        for i in idx:
            r, c = rng.integers(0, h - patch + 1), rng.integers(0, w - patch + 1)
            if blend and rng.random() < blend:
                bx, by = self.blended(i, float(rng.uniform(0.0, 1.0)))
                x, y = bx[:, r:r + patch, c:c + patch], by[:, r:r + patch, c:c + patch]
            else:
                x = self.x[i, :, r:r + patch, c:c + patch]
                y = self.y[i, :, r:r + patch, c:c + patch]
            k = int(rng.integers(0, 4))
            x, y = torch.rot90(x, k, (1, 2)), torch.rot90(y, k, (1, 2))
            if rng.integers(0, 2):
                x, y = torch.flip(x, (2,)), torch.flip(y, (2,))
            xs.append(x)
            ys.append(y)
        return torch.stack(xs), torch.stack(ys)


class GradientLoss(nn.Module):
    """Mean squared difference of Sobel derivatives at 1, 1/2 and 1/4 resolution."""

    def __init__(self):
        super().__init__()
        sx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8
        self.register_buffer("kernel", torch.stack([sx, sx.t()]).unsqueeze(1))

    def forward(self, a, b):
        loss = 0.0
        for level in range(3):
            if level:
                a, b = F.avg_pool2d(a, 2), F.avg_pool2d(b, 2)
            loss = loss + F.mse_loss(F.conv2d(a, self.kernel), F.conv2d(b, self.kernel)) * (2 ** level)
        return loss / 3


class SsimLoss(nn.Module):
    """1 - SSIM (solvers/metrics/ssim.cpp's: 11x11 Gaussian window, sigma 1.5, valid positions,
    K1 = 0.01, K2 = 0.03), the data range of each sample its target patch's range (the metric the
    held-out numbers report, which MSE alone does not follow: a blurred estimate can have a lower
    MSE and a lower SSIM)."""

    def __init__(self):
        super().__init__()
        r = torch.arange(11, dtype=torch.float32) - 5
        g = torch.exp(-r ** 2 / (2 * 1.5 ** 2))
        w = torch.outer(g, g)
        self.register_buffer("window", (w / w.sum()).view(1, 1, 11, 11))

    def forward(self, a, b):
        rng = (b.amax((1, 2, 3)) - b.amin((1, 2, 3))).clamp(min=1.0).view(-1, 1, 1, 1)
        c1, c2 = (0.01 * rng) ** 2, (0.03 * rng) ** 2
        f = lambda t: F.conv2d(t, self.window)
        ma, mb = f(a), f(b)
        saa, sbb, sab = f(a * a) - ma ** 2, f(b * b) - mb ** 2, f(a * b) - ma * mb
        s = ((2 * ma * mb + c1) * (2 * sab + c2)) / ((ma ** 2 + mb ** 2 + c1) * (saa + sbb + c2))
        return 1.0 - s.mean()


class Vgg19Loss(nn.Module):
    """MSE of VGG19 features (torchvision layout, features[:35]); grey images repeated to RGB,
    [0, 255] mapped to ImageNet's normalisation."""

    def __init__(self, path):
        super().__init__()
        cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512]
        layers, cin = [], 3
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=False)]
                cin = v
        self.features = nn.Sequential(*layers[:35])
        state = torch.load(path, map_location="cpu")
        own = {k[len("features."):]: t for k, t in state.items() if k.startswith("features.")}
        self.features.load_state_dict({k: t for k, t in own.items() if k in self.features.state_dict()})
        for p in self.parameters():
            p.requires_grad_(False)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, a, b):
        def f(t):
            return self.features((t.repeat(1, 3, 1, 1) / 255 - self.mean) / self.std)
        return F.mse_loss(f(a), f(b))


class Residual(nn.Module):
    """output = centre input channel + net(input): the model file's `residual` = 1."""

    def __init__(self, net, channels):
        super().__init__()
        self.net, self.centre = net, channels // 2

    def forward(self, x):
        return x[:, self.centre:self.centre + 1] + self.net(x)


def validation_mse(model, pairs):
    model.eval()
    with torch.no_grad():
        total = 0.0
        for i in range(0, len(pairs), 16):
            total += F.mse_loss(model(pairs.x[i:i + 16]), pairs.y[i:i + 16], reduction="sum").item()
    model.train()
    return total / pairs.y.numel()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", required=True, help="pairs file from make_training_pairs.py")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--validation-volumes", type=int, default=2,
                   help="the last N volumes of the file are held back to choose the checkpoint")
    p.add_argument("--channels", type=int, choices=(1, 3), default=3)
    p.add_argument("--widths", default="8,32,64,128,16", help="stem,l1,l2,l3,head; ALGORITHMS.md's by default")
    p.add_argument("--upsample", choices=tomogan.UPSAMPLE_MODES, default="bilinear")
    p.add_argument("--patch", type=int, default=64)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--max-minutes", type=float, default=0, help="stop early after this long (0: no limit)")
    p.add_argument("--lr", type=float, default=1e-4, help="generator Adam rate (cosine decay to 1/20)")
    p.add_argument("--lr-disc", type=float, default=1e-4)
    p.add_argument("--w-adv", type=float, default=20.0)
    p.add_argument("--w-mse", type=float, default=0.5)
    p.add_argument("--w-perc", type=float, default=2.0)
    p.add_argument("--vgg19", default="", help="torchvision vgg19 state_dict; gradient-domain loss without it")
    p.add_argument("--low-percentile", type=float, default=0.5)
    p.add_argument("--high-percentile", type=float, default=99.5)
    p.add_argument("--scale", type=float, default=255.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--residual", action="store_true",
                   help="the network predicts a correction to the centre input slice (model file residual = 1)")
    p.add_argument("--w-ssim", type=float, default=0.0, help="weight of a 1 - SSIM term (0: none)")
    p.add_argument("--init", default="",
                   help="start from the weights of an xrecon model file of the same widths (fine-tuning), "
                        "e.g. models/tomogan-foam.h5")
    p.add_argument("--blend", type=float, default=0.0,
                   help="probability of replacing a sample's input by clean + a (input - clean), a ~ U(0, 1)")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "log.txt"), "a")

    def say(text):
        print(text, flush=True)
        log.write(text + "\n")
        log.flush()

    with h5py.File(args.train, "r") as f:
        n_volumes = int(f["volume"][...].max()) + 1
        data_attrs = {k: str(v) for k, v in f.attrs.items()}
    # Shepp-Logan volumes sit at the end of the file: keep them in training, validate on foam.
    phantoms = data_attrs.get("phantoms", "").split("; ")
    foam_ids = [i for i, ph in enumerate(phantoms) if "foam" in ph] or list(range(n_volumes))
    val_ids = foam_ids[-args.validation_volumes:]
    train_ids = [i for i in range(n_volumes) if i not in val_ids]
    norm = dict(low=args.low_percentile, high=args.high_percentile, scale=args.scale, offset=0.0)
    train = Pairs(args.train, train_ids, args.channels, keep_raw=args.blend > 0, **norm)
    val = Pairs(args.train, val_ids, args.channels, **norm)
    say(f"train: {len(train)} slices of volumes {train_ids}; validation: {len(val)} slices of {val_ids}")

    widths = tomogan.parse_widths(args.widths)
    net = tomogan.TomoGAN(args.channels, widths, args.upsample)
    if args.init:
        init_attrs, init_norm = tomogan.load_model_file(net, args.init)
        if int(init_attrs.get("residual", 0)) != int(args.residual):
            sys.exit(f"--init {args.init} has residual = {int(init_attrs.get('residual', 0))}; match it with --residual")
        say(f"initialised from {args.init} (normalisation {init_norm})")
    gen = Residual(net, args.channels) if args.residual else net
    disc = tomogan.PatchDiscriminator()
    perceptual = Vgg19Loss(args.vgg19) if args.vgg19 else GradientLoss()
    ssim_loss = SsimLoss()
    perceptual_name = "vgg19" if args.vgg19 else "gradient (Sobel, 3 scales)"
    opt_g = torch.optim.Adam(gen.parameters(), lr=args.lr, betas=(0.9, 0.999))
    opt_d = torch.optim.Adam(disc.parameters(), lr=args.lr_disc, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    say(f"generator widths {widths}, {sum(t.numel() for t in gen.parameters())} parameters, upsample "
        f"{args.upsample}; perceptual: {perceptual_name}; {args.steps} steps of {args.batch} x {args.patch}^2")
    say(f"input MSE on validation (identity): {F.mse_loss(val.x[:, args.channels // 2:args.channels // 2 + 1], val.y).item():.2f}")

    best = math.inf
    if args.init:
        say(f"validation mse of the initial weights: {validation_mse(gen, val):.2f}")
    start = time.time()
    step = 0
    for step in range(1, args.steps + 1):
        lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (step - 1) / args.steps)))
        for group in opt_g.param_groups:
            group["lr"] = lr
        x, y = train.batch(rng, args.batch, args.patch, args.blend)

        fake = gen(x)
        if args.w_adv > 0:
            d_real, d_fake = disc(y), disc(fake.detach())
            loss_d = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()

            d_fake = disc(fake)
            adv = bce(d_fake, torch.ones_like(d_fake))
        else:  # no adversarial term: the discriminator is never trained or run
            loss_d = adv = torch.zeros(())
        mse = F.mse_loss(fake, y)
        perc = perceptual(fake, y)
        loss_g = args.w_adv * adv + args.w_mse * mse + args.w_perc * perc
        if args.w_ssim > 0:
            loss_g = loss_g + args.w_ssim * ssim_loss(fake, y)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

        elapsed = time.time() - start
        done = args.max_minutes and elapsed > 60 * args.max_minutes
        if step % args.eval_every == 0 or step == args.steps or done:
            v = validation_mse(gen, val)
            mark = ""
            if v < best:
                best = v
                mark = " *"
                torch.save({
                    "generator": net.state_dict(), "in_channels": args.channels, "widths": widths,
                    "residual": int(args.residual), "blend": args.blend,
                    "upsample": args.upsample, "normalization": {
                        "mode": "percentile", "low_percentile": args.low_percentile,
                        "high_percentile": args.high_percentile, "scale": args.scale, "offset": 0.0},
                    "step": step, "validation_mse": v, "perceptual": perceptual_name,
                    "command": " ".join(sys.argv), "training_data": data_attrs,
                    "train_volumes": train_ids, "validation_volumes": val_ids,
                }, os.path.join(args.out, "checkpoint.pt"))
            say(f"step {step} ({elapsed / 60:.1f} min) lr {lr:.2e}: D {loss_d.item():.3f} adv {adv.item():.3f} "
                f"mse {mse.item():.2f} perc {perc.item():.2f} | validation mse {v:.2f}{mark}")
        if done:
            say(f"stopping at the time limit ({args.max_minutes} min)")
            break
    say(f"done: {step} steps in {(time.time() - start) / 60:.1f} min, best validation MSE {best:.2f}")


if __name__ == "__main__":
    main()
