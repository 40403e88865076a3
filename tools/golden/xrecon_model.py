"""The xrecon model file (docs/model-file.md) from Python: write a layer list, run it in PyTorch.

A network here is a list of layers, each a dict: name (the label), op, inputs (labels or "input"),
the op's attributes as in the docs, and tensors (numpy float32 arrays in PyTorch's layouts).
run_torch() evaluates such a list with torch.nn.functional, which is what the golden files and the
CPU timing compare the C++ backends against.
"""
import h5py
import numpy as np
import torch
import torch.nn.functional as F

TENSORS = ("weight", "bias", "gamma", "beta", "mean", "variance")


def write_model(group, layers, output, input_channels, name, normalization=None, size_multiple=1,
                receptive_margin=0, residual=0):
    """Writes the model into an open h5py File (or group) `group`."""
    group.attrs["format"] = "xrecon-model"
    group.attrs["format_version"] = np.int64(1)
    group.attrs["name"] = name
    group.attrs["input_channels"] = np.int64(input_channels)
    group.attrs["output"] = output
    group.attrs["size_multiple"] = np.int64(size_multiple)
    group.attrs["receptive_margin"] = np.int64(receptive_margin)
    group.attrs["residual"] = np.int64(residual)
    norm = group.create_group("normalization")
    for key, value in (normalization or {"mode": "fixed", "lo": 0.0, "hi": 1.0, "scale": 1.0,
                                         "offset": 0.0}).items():
        norm.attrs[key] = value if isinstance(value, str) else np.float64(value)
    root = group.create_group("layers")
    for index, layer in enumerate(layers):
        g = root.create_group(f"{index:03d}_{layer['name']}")
        g.attrs["op"] = layer["op"]
        g.attrs.create("inputs", np.array(layer["inputs"], dtype=object), dtype=h5py.string_dtype())
        for key, value in layer.items():
            if key in ("name", "op", "inputs"):
                continue
            if key in TENSORS:
                g.create_dataset(key, data=np.asarray(value, dtype=np.float32))
            elif key == "mode":
                g.attrs[key] = value
            elif key in ("epsilon", "slope"):
                g.attrs[key] = np.float64(value)
            else:
                g.attrs[key] = np.asarray(value, dtype=np.int64)


def _t(a):
    # Tensors pass through, so a module holding its weights as parameters can run (and be traced
    # for ONNX export) through run_torch too.
    if isinstance(a, torch.Tensor):
        return a
    return torch.from_numpy(np.asarray(a, dtype=np.float32))


def run_torch(layers, output, x):
    """Evaluates the layer list on x (N, C, H, W) with torch.nn.functional."""
    values = {"input": x}
    for layer in layers:
        op = layer["op"]
        args = [values[name] for name in layer["inputs"]]
        a = args[0]
        if op == "conv":
            y = F.conv2d(a, _t(layer["weight"]), _t(layer["bias"]), stride=tuple(layer["stride"]),
                         padding=tuple(layer["padding"]), dilation=tuple(layer.get("dilation", (1, 1))))
        elif op == "conv_transpose":
            y = F.conv_transpose2d(a, _t(layer["weight"]), _t(layer["bias"]), stride=tuple(layer["stride"]),
                                   padding=tuple(layer["padding"]),
                                   output_padding=tuple(layer.get("output_padding", (0, 0))),
                                   dilation=tuple(layer.get("dilation", (1, 1))))
        elif op == "batch_norm":
            y = F.batch_norm(a, _t(layer["mean"]), _t(layer["variance"]), _t(layer["gamma"]), _t(layer["beta"]),
                             training=False, eps=layer["epsilon"])
        elif op == "max_pool":
            y = F.max_pool2d(a, tuple(layer["kernel"]), tuple(layer.get("stride", layer["kernel"])),
                             tuple(layer.get("padding", (0, 0))))
        elif op == "upsample":
            scale = tuple(float(s) for s in layer["scale"])
            if layer["mode"] == "nearest":
                y = F.interpolate(a, scale_factor=scale, mode="nearest")
            else:
                y = F.interpolate(a, scale_factor=scale, mode="bilinear",
                                  align_corners=bool(layer["align_corners"]))
        elif op == "concat":
            y = torch.cat(args, dim=1)
        elif op == "add":
            y = args[0] + args[1]
        elif op == "sub":
            y = args[0] - args[1]
        elif op == "relu":
            y = F.relu(a)
        elif op == "leaky_relu":
            y = F.leaky_relu(a, layer["slope"])
        elif op == "sigmoid":
            y = torch.sigmoid(a)
        elif op == "tanh":
            y = torch.tanh(a)
        else:
            raise ValueError(f"unknown op {op}")
        values[layer["name"]] = y
    return values[output]


class Weights:
    """He-uniform random tensors from one seeded generator."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def conv(self, out, inp, kh, kw, transpose=False):
        bound = np.sqrt(6.0 / (inp * kh * kw))
        shape = (inp, out, kh, kw) if transpose else (out, inp, kh, kw)
        return {"weight": self.rng.uniform(-bound, bound, shape).astype(np.float32),
                "bias": self.rng.uniform(-0.1, 0.1, out).astype(np.float32)}

    def batch_norm(self, channels):
        return {"gamma": self.rng.uniform(0.5, 1.5, channels).astype(np.float32),
                "beta": self.rng.uniform(-0.2, 0.2, channels).astype(np.float32),
                "mean": self.rng.uniform(-0.3, 0.3, channels).astype(np.float32),
                "variance": self.rng.uniform(0.5, 2.0, channels).astype(np.float32), "epsilon": 1e-5}


def tomogan_layers(input_channels, upsample, weights, width=1.0):
    """The TomoGAN generator of ALGORITHMS.md; `width` scales the channel counts (1: the real one).
    upsample: "nearest", "bilinear" (half-pixel) or "conv_transpose". Returns (layers, output)."""
    c8, c16, c32, c64, c128 = (max(1, int(round(c * width))) for c in (8, 16, 32, 64, 128))
    layers = []

    def conv(name, inp, cin, cout, k, act=True):
        layers.append({"name": name, "op": "conv", "inputs": [inp], "stride": [1, 1],
                       "padding": [k // 2, k // 2], **weights.conv(cout, cin, k, k)})
        if not act:
            return name
        layers.append({"name": name + "_relu", "op": "relu", "inputs": [name]})
        return name + "_relu"

    def pool(name, inp):
        layers.append({"name": name, "op": "max_pool", "inputs": [inp], "kernel": [2, 2], "stride": [2, 2],
                       "padding": [0, 0]})
        return name

    def up(name, inp, channels):
        if upsample == "conv_transpose":
            layers.append({"name": name, "op": "conv_transpose", "inputs": [inp], "stride": [2, 2],
                           "padding": [0, 0], "output_padding": [0, 0],
                           **weights.conv(channels, channels, 2, 2, transpose=True)})
        else:
            layers.append({"name": name, "op": "upsample", "inputs": [inp], "scale": [2, 2], "mode": upsample,
                           "align_corners": 0})
        return name

    def cat(name, a, b):
        layers.append({"name": name, "op": "concat", "inputs": [a, b]})
        return name

    x = conv("conv0", "input", input_channels, c8, 1)
    x = conv("conv1", x, c8, c32, 3)
    s1 = conv("conv2", x, c32, c32, 3)
    x = conv("conv3", pool("pool1", s1), c32, c64, 3)
    s2 = conv("conv4", x, c64, c64, 3)
    x = conv("conv5", pool("pool2", s2), c64, c128, 3)
    s3 = conv("conv6", x, c128, c128, 3)
    x = conv("conv7", pool("pool3", s3), c128, c128, 3)
    x = cat("cat3", s3, up("up3", x, c128))
    x = conv("conv9", conv("conv8", x, 2 * c128, c64, 3), c64, c64, 3)
    x = cat("cat2", s2, up("up2", x, c64))
    x = conv("conv11", conv("conv10", x, 2 * c64, c32, 3), c32, c32, 3)
    x = cat("cat1", s1, up("up1", x, c32))
    x = conv("conv13", conv("conv12", x, 2 * c32, c32, 3), c32, c32, 3)
    x = conv("conv14", x, c32, c16, 1)
    out = conv("conv15", x, c16, 1, 1, act=False)
    return layers, out
