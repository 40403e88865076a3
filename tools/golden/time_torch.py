#!/usr/bin/python3
"""Times PyTorch (CPU) on an xrecon model, the baseline benchmarks/bench_prior.cpp measures the
C++ backends against in the same run.

Run with Debian's /usr/bin/python3 (python3-torch, python3-h5py, python3-numpy):
    /usr/bin/python3 tools/golden/time_torch.py --model models/tomogan-foam.h5 --threads 2
    /usr/bin/python3 tools/golden/time_torch.py --tomogan 3 --upsample bilinear --threads 1

--model runs a model file (docs/model-file.md); --tomogan C the TomoGAN generator of ALGORITHMS.md
at full widths with C input channels and random weights (timing does not depend on the weights).
The network runs layer by layer through xrecon_model.run_torch (torch.nn.functional), under
torch.no_grad(), on a 1 x C x SIZE x SIZE input; after --warmup passes, each of --repeats passes
is timed on its own and printed as `seconds_per_image S` (one line each, what the C++ benchmark
reads), then `threads N` and `mean_seconds_per_image S`.
"""
import argparse
import os
import sys
import time

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xrecon_model import TENSORS, Weights, run_torch, tomogan_layers  # noqa: E402


def _attribute(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, str):
        return value
    a = np.asarray(value)
    if a.ndim == 0:
        return a.item()
    return [v.item() for v in a]


def read_model(path):
    """The layer list (xrecon_model's form), output label and input channel count of a model file."""
    with h5py.File(path, "r") as f:
        layers = []
        for key in sorted(f["layers"].keys()):
            g = f["layers"][key]
            layer = {"name": key.split("_", 1)[1], "op": _attribute(g.attrs["op"]),
                     "inputs": [_attribute(s) for s in g.attrs["inputs"]]}
            for name, value in g.attrs.items():
                if name not in ("op", "inputs"):
                    layer[name] = _attribute(value)
            for name in TENSORS:
                if name in g:
                    layer[name] = g[name][...]
            layers.append(layer)
        return layers, _attribute(f.attrs["output"]), int(_attribute(f.attrs["input_channels"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="an xrecon model file")
    source.add_argument("--tomogan", type=int, metavar="C", help="random-weight TomoGAN with C input channels")
    ap.add_argument("--upsample", default="bilinear", choices=("bilinear", "nearest", "conv_transpose"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    if args.model:
        layers, output, channels = read_model(args.model)
    else:
        layers, output = tomogan_layers(args.tomogan, args.upsample, Weights(1))
        channels = args.tomogan
    x = torch.from_numpy(np.random.default_rng(2).random((1, channels, args.size, args.size), dtype=np.float32))
    times = []
    with torch.no_grad():
        for _ in range(args.warmup):
            run_torch(layers, output, x)
        for _ in range(args.repeats):
            start = time.perf_counter()
            run_torch(layers, output, x)
            times.append(time.perf_counter() - start)
            print(f"seconds_per_image {times[-1]:.6f}", flush=True)
    print(f"threads {torch.get_num_threads()}")
    print(f"mean_seconds_per_image {sum(times) / len(times):.6f}")


if __name__ == "__main__":
    main()
