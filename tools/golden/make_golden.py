#!/usr/bin/python3
"""Writes tests/prior/golden/*.h5: small networks covering every op of the model file, each with
random weights (fixed seed), an input and PyTorch's output.

Run with Debian's /usr/bin/python3 (python3-torch 1.13, python3-h5py, python3-numpy):
    /usr/bin/python3 tools/golden/make_golden.py [OUTPUT_DIR]

Each file is a model file (docs/model-file.md) plus a group /golden:
  input  (C, H, W)   the network input       output   (C', H', W')  PyTorch's output of the bare graph
and, for the U-Nets, image (C, H, W) and enhanced (H, W): the whole enhance() path (normalisation,
network, residual, mapping back) computed here in numpy/PyTorch.
"""
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xrecon_model import Weights, run_torch, tomogan_layers, write_model  # noqa: E402


def conv(name, inp, w, cin, cout, kh, kw, stride=(1, 1), padding=(0, 0), dilation=(1, 1)):
    return {"name": name, "op": "conv", "inputs": [inp], "stride": list(stride), "padding": list(padding),
            "dilation": list(dilation), **w.conv(cout, cin, kh, kw)}


def act(name, inp, op, **attrs):
    return {"name": name, "op": op, "inputs": [inp], **attrs}


def conv_ops(w):
    layers = [
        conv("c1", "input", w, 2, 4, 3, 3, padding=(1, 1)), act("r1", "c1", "relu"),
        conv("c2", "r1", w, 4, 5, 3, 3, stride=(2, 2), padding=(1, 1)), act("l2", "c2", "leaky_relu", slope=0.2),
        conv("c3", "l2", w, 5, 3, 5, 3, padding=(2, 1), dilation=(2, 1)), act("s3", "c3", "sigmoid"),
        conv("c4", "s3", w, 3, 2, 1, 1), act("t4", "c4", "tanh"),
        conv("c5", "t4", w, 2, 3, 2, 4, stride=(1, 2), padding=(0, 1)),
    ]
    return layers, "c5", (2, 21, 23)


def transpose_pool(w):
    layers = [
        conv("c1", "input", w, 3, 4, 3, 3, padding=(1, 1)),
        {"name": "p1", "op": "max_pool", "inputs": ["c1"], "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]},
        {"name": "p2", "op": "max_pool", "inputs": ["p1"], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1]},
        {"name": "t1", "op": "conv_transpose", "inputs": ["p2"], "stride": [2, 2], "padding": [1, 1],
         "output_padding": [1, 1], **w.conv(5, 4, 3, 3, transpose=True)},
        act("r1", "t1", "relu"),
        {"name": "t2", "op": "conv_transpose", "inputs": ["r1"], "stride": [2, 2], "padding": [0, 0],
         "output_padding": [0, 0], **w.conv(2, 5, 2, 2, transpose=True)},
        {"name": "t3", "op": "conv_transpose", "inputs": ["t2"], "stride": [1, 1], "padding": [1, 1],
         "output_padding": [0, 0], "dilation": [2, 1], **w.conv(2, 2, 3, 3, transpose=True)},
    ]
    return layers, "t3", (3, 16, 16)


def upsample_merge(w):
    up = lambda name, mode, ac, scale=(2, 2): {"name": name, "op": "upsample", "inputs": ["c1"],  # noqa: E731
                                               "scale": list(scale), "mode": mode, "align_corners": ac}
    layers = [
        conv("c1", "input", w, 2, 3, 3, 3, padding=(1, 1)),
        up("near", "nearest", 0), up("lin0", "bilinear", 0), up("lin1", "bilinear", 1),
        {"name": "cat", "op": "concat", "inputs": ["near", "lin0", "lin1"]},
        {"name": "sum", "op": "add", "inputs": ["near", "lin0"]},
        {"name": "diff", "op": "sub", "inputs": ["sum", "lin1"]},
        {"name": "all", "op": "concat", "inputs": ["cat", "diff"]},
        conv("out", "all", w, 12, 2, 1, 1),
        up("near23", "nearest", 0, (2, 3)), up("lin23", "bilinear", 0, (2, 3)), up("lin23c", "bilinear", 1, (2, 3)),
        {"name": "cat23", "op": "concat", "inputs": ["near23", "lin23", "lin23c"]},
        {"name": "pool23", "op": "max_pool", "inputs": ["cat23"], "kernel": [2, 3], "stride": [2, 3],
         "padding": [0, 0]},
        {"name": "pout", "op": "max_pool", "inputs": ["out"], "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]},
        {"name": "final", "op": "concat", "inputs": ["pout", "pool23"]},
    ]
    return layers, "final", (2, 10, 12)


def batch_norm(w):
    layers = [
        {"name": "bn0", "op": "batch_norm", "inputs": ["input"], **w.batch_norm(2)},
        conv("c1", "bn0", w, 2, 4, 3, 3, padding=(1, 1)),
        {"name": "bn1", "op": "batch_norm", "inputs": ["c1"], **w.batch_norm(4)},
        act("r1", "bn1", "relu"),
        conv("c2", "r1", w, 4, 4, 3, 3, padding=(1, 1)),
        {"name": "bn2", "op": "batch_norm", "inputs": ["c2"], **w.batch_norm(4)},
        {"name": "res", "op": "add", "inputs": ["c2", "bn2"]},
        {"name": "t1", "op": "conv_transpose", "inputs": ["res"], "stride": [2, 2], "padding": [0, 0],
         "output_padding": [0, 0], **w.conv(3, 4, 2, 2, transpose=True)},
        {"name": "bn3", "op": "batch_norm", "inputs": ["t1"], **w.batch_norm(3)},
        act("l3", "bn3", "leaky_relu", slope=0.1),
    ]
    return layers, "l3", (2, 12, 12)


def activations(w):
    layers = [
        act("relu", "input", "relu"), act("leaky", "input", "leaky_relu", slope=0.3),
        act("sig", "input", "sigmoid"), act("tanh", "input", "tanh"),
        conv("c1", "input", w, 2, 2, 3, 3, padding=(1, 1)), act("c1s", "c1", "sigmoid"),
        conv("c2", "input", w, 2, 2, 3, 3, padding=(1, 1)), act("c2t", "c2", "tanh"),
        conv("c3", "input", w, 2, 2, 3, 3, padding=(1, 1)), act("c3l", "c3", "leaky_relu", slope=0.05),
        {"name": "all", "op": "concat", "inputs": ["relu", "leaky", "sig", "tanh", "c1s", "c2t", "c3l"]},
    ]
    return layers, "all", (2, 9, 11)


def unet(upsample, input_channels, width):
    def build(w):
        layers, out = tomogan_layers(input_channels, upsample, w, width=width)
        return layers, out, (input_channels, 32, 32)
    return build


def enhanced(layers, output, image, normalization, residual):
    """What enhance() must return for `image` (C, H, W)."""
    if normalization["mode"] == "fixed":
        lo, hi = normalization["lo"], normalization["hi"]
    else:
        lo, hi = np.percentile(image.astype(np.float64), [normalization["low_percentile"],
                                                          normalization["high_percentile"]])
    scale, offset = normalization["scale"], normalization["offset"]
    x = (np.clip(image.astype(np.float64), lo, hi) - lo) / (hi - lo) * scale + offset
    with torch.no_grad():
        y = run_torch(layers, output, torch.from_numpy(x.astype(np.float32))[None]).double().numpy()[0, 0]
    if residual:
        y = y + x[image.shape[0] // 2]
    return ((y - offset) / scale * (hi - lo) + lo).astype(np.float32)


CASES = [
    ("conv_ops", conv_ops, {}),
    ("transpose_pool", transpose_pool, {}),
    ("upsample_merge", upsample_merge, {}),
    ("batch_norm", batch_norm, {}),
    ("activations", activations, {}),
    ("unet_bilinear3", unet("bilinear", 3, 0.25),
     {"normalization": {"mode": "fixed", "lo": -1.0, "hi": 2.0, "scale": 255.0, "offset": 0.0},
      "size_multiple": 8}),
    ("unet_transpose1", unet("conv_transpose", 1, 0.125),
     {"normalization": {"mode": "percentile", "low_percentile": 1.0, "high_percentile": 99.0, "scale": 2.0,
                        "offset": -1.0}, "size_multiple": 8, "residual": 1}),
    ("unet_nearest1", unet("nearest", 1, 0.125), {"size_multiple": 8}),
]


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "prior", "golden")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    for seed, (name, build, extra) in enumerate(CASES):
        w = Weights(1000 + seed)
        layers, output, shape = build(w)
        rng = np.random.default_rng(seed)
        x = rng.uniform(-1.0, 1.0, shape).astype(np.float32)
        with torch.no_grad():
            y = run_torch(layers, output, torch.from_numpy(x)[None]).numpy()[0]
        path = os.path.join(out_dir, name + ".h5")
        with h5py.File(path, "w", libver="latest") as f:
            write_model(f, layers, output, shape[0], name, **extra)
            g = f.create_group("golden")
            g.create_dataset("input", data=x)
            g.create_dataset("output", data=y)
            if name.startswith("unet"):
                image = rng.uniform(-1.5, 2.5, (shape[0], 48, 40)).astype(np.float32)
                g.create_dataset("image", data=image)
                g.create_dataset("enhanced", data=enhanced(layers, output, image,
                                                           extra.get("normalization", {"mode": "fixed", "lo": 0.0,
                                                                                       "hi": 1.0, "scale": 1.0,
                                                                                       "offset": 0.0}),
                                                           extra.get("residual", 0)))
        print(f"{path}: {len(layers)} layers, input {shape}, output {tuple(y.shape)}")


if __name__ == "__main__":
    main()
