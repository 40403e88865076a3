#!/usr/bin/env python3
"""Add a model's own outputs to a pairs file as further inputs, for a prior that the loop applies
again and again.

A plug-and-play loop feeds the prior iterates that the prior itself shaped: in joint.admm's
half-quadratic splitting, d is pulled towards the last z = D(d). A network trained only on raw
iterates is not idempotent (applied repeatedly to the truth, tomogan-delta-admm.h5's first
version lost SSIM 0.925, 0.841, 0.749: it brightens the air), so the loop drifts. This tool makes,
for every volume x of the pairs file with its clean c, the volumes D(x), D(D(x)) and D(c)
(each clamped at `--min`) with the same clean target, so fine-tuning on the result teaches the
network to leave its own output, and the truth, where they are.

    python3 tools/add_network_passes.py --pairs out/joint_tomogan/train.h5 \
        --model models/tomogan-delta-admm.h5 --out out/joint_tomogan/train_passes.h5

Volumes stay grouped by phantom (x, D(x), D(D(x)), D(c) in turn), so train_tomogan.py's
validation volumes (the last ones) are still phantoms never trained on: pass four times as many.
"""
import argparse
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tomogan  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True, help="pairs file (make_training_pairs.py or make_joint_training_pairs.py)")
    ap.add_argument("--model", required=True, help="model file whose outputs become inputs")
    ap.add_argument("--out", required=True)
    ap.add_argument("--min", type=float, default=0.0, help="lower bound applied to every network output (the loop's)")
    ap.add_argument("--widths", default="8,16,32,64,16", help="the model's widths (train_tomogan.py --widths)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)

    with h5py.File(args.model, "r") as f:
        channels = int(f.attrs["input_channels"])
    net = tomogan.TomoGAN(channels, tomogan.parse_widths(args.widths), "bilinear")
    attrs, norm = tomogan.load_model_file(net, args.model)
    passes = dict(channels=channels, low=float(norm["low_percentile"]), high=float(norm["high_percentile"]),
                  scale=float(norm["scale"]), offset=float(norm["offset"]), residual=bool(int(attrs.get("residual", 0))))

    def enhanced(volume):
        return np.maximum(tomogan.enhance_volume(net, volume, **passes), args.min).astype(np.float32)

    with h5py.File(args.pairs, "r") as src:
        inputs, cleans, ids = src["input"][...], src["clean"][...], src["volume"][...]
        names = str(src.attrs["phantoms"]).split("; ")
        source_attrs = dict(src.attrs.items())
    out_in, out_clean, out_ids, out_names = [], [], [], []
    for v, name in enumerate(names):
        sel = ids == v
        x, c = inputs[sel], cleans[sel]
        once = enhanced(x)
        for volume, tag in ((x, ""), (once, " [D]"), (enhanced(once), " [D D]"), (enhanced(c), " [D(clean)]")):
            out_in.append(volume)
            out_clean.append(c)
            out_ids.append(np.full(len(c), len(out_names), np.int32))
            out_names.append(name + tag)
        print(f"[{v + 1}/{len(names)}] {name}", flush=True)

    with h5py.File(args.out, "w") as f:
        f.create_dataset("input", data=np.concatenate(out_in))
        f.create_dataset("clean", data=np.concatenate(out_clean))
        f.create_dataset("volume", data=np.concatenate(out_ids))
        for k, value in source_attrs.items():
            f.attrs[k] = value
        f.attrs["phantoms"] = "; ".join(out_names)
        f.attrs["degradation"] = f"{source_attrs.get('degradation', '')}; plus D(x), D(D(x)), D(clean) of {args.model}"
        f.attrs["command"] = " ".join(sys.argv)
    print(f"wrote {args.out}: {len(out_names)} volumes, {sum(len(c) for c in out_clean)} slice pairs")


if __name__ == "__main__":
    main()
