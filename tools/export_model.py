#!/usr/bin/env python3
"""Export a trained TomoGAN checkpoint (tools/train_tomogan.py) as an xrecon model file
(docs/model-file.md), and measure it on held-out slices before and after enhancement.

    /usr/bin/python3 tools/export_model.py --checkpoint out/tomogan/run1/checkpoint.pt \
        --heldout out/tomogan/heldout.h5 --out models/tomogan-foam.h5 \
        --heldout-out models/tomogan-foam-heldout.h5
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
import tomogan  # noqa: E402
from xrecon_model import write_model  # noqa: E402


def layer_dicts(model):
    """tomogan.TomoGAN.graph() as write_model's layer dicts, weights copied from the modules."""
    layers = []
    for label, op, inputs, attrs, module in model.graph():
        layer = {"name": label, "op": op, "inputs": inputs, **attrs}
        if module is not None:
            layer["weight"] = module.weight.detach().numpy()
            layer["bias"] = module.bias.detach().numpy()
        layers.append(layer)
    return layers


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="tomogan-foam")
    ap.add_argument("--heldout", help="HDF5 with input and clean (slices, H, W), for the SSIM report")
    ap.add_argument("--heldout-out", help="write the held-out slices used here (input, clean) to this file")
    args = ap.parse_args()

    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    model = tomogan.TomoGAN(checkpoint["in_channels"], checkpoint["widths"], checkpoint["upsample"])
    model.load_state_dict(checkpoint["generator"])
    model.eval()
    norm = dict(checkpoint["normalization"])
    tmp = args.out + ".part"
    with h5py.File(tmp, "w") as f:
        write_model(f, layer_dicts(model), "conv15", checkpoint["in_channels"], args.name, normalization=norm,
                    size_multiple=8, receptive_margin=0,
                    residual=int(checkpoint.get("residual", 0)))
        f.attrs["training_command"] = checkpoint.get("command", "")
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {sum(p.numel() for p in model.parameters())} parameters")

    if args.heldout:
        with h5py.File(args.heldout, "r") as f:
            inputs, clean = f["input"][...], f["clean"][...]
            volumes = f["volume"][...] if "volume" in f else np.zeros(len(inputs), np.int32)
        raw, enhanced = [], []
        for v in np.unique(volumes):
            sel = volumes == v
            out = tomogan.enhance_volume(model, inputs[sel], checkpoint["in_channels"], norm["low_percentile"],
                                         norm["high_percentile"], norm["scale"], norm["offset"],
                                         residual=bool(checkpoint.get("residual", 0)))
            rng = float(clean[sel].max() - clean[sel].min()) or 1.0
            raw.append(tomogan.ssim(inputs[sel], clean[sel], rng))
            enhanced.append(tomogan.ssim(out, clean[sel], rng))
        print(f"held-out SSIM: unenhanced {np.mean(raw):.4f}, enhanced {np.mean(enhanced):.4f} "
              f"(per volume {['%.4f' % s for s in raw]} -> {['%.4f' % s for s in enhanced]})")
        if args.heldout_out:
            with h5py.File(args.heldout_out + ".part", "w") as g:
                g["input"], g["clean"] = inputs, clean
                g["volume"] = volumes
            os.replace(args.heldout_out + ".part", args.heldout_out)


if __name__ == "__main__":
    main()
