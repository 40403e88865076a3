#!/usr/bin/python3
"""Writes the ONNX import test files (tests/prior/test_onnx_import.cpp) into tests/prior/golden:

  onnx_unet.onnx     a small TomoGAN-like U-Net with random weights (fixed seed), exported by
                     torch.onnx.export (opset 13), with the xrecon.* metadata_props of
                     docs/model-file.md ("ONNX import")
  onnx_unet.h5       the same network as an xrecon model file, plus /golden/input (C, H, W) and
                     /golden/output, PyTorch's output of the network on that input
  onnx_conv.onnx     a Conv and a Relu written with onnx.helper: weights in float_data, no
                     metadata_props (channels from the input shape, identity normalisation)
  onnx_conv.h5       /golden/input and /golden/output for it (PyTorch)
  onnx_typo.onnx     onnx_conv with a misspelt metadata key, xrecon.input_chanels
  onnx_softmax.onnx  one Softmax node named "probabilities": an op the importer must refuse

Run with Debian's /usr/bin/python3 (python3-torch, python3-h5py, python3-onnx):
    /usr/bin/python3 tools/golden/make_onnx_golden.py [OUTPUT_DIR]
"""
import os
import sys

import h5py
import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import act, conv  # noqa: E402
from xrecon_model import TENSORS, Weights, run_torch, write_model  # noqa: E402

INPUT_SHAPE = (3, 16, 16)
NORMALIZATION = {"mode": "fixed", "lo": -1.0, "hi": 2.0, "scale": 255.0, "offset": 0.0}
SIZE_MULTIPLE = 4


def unet_layers(w):
    """Every op the importer maps: convs (one followed by a batch norm), max pools, nearest and
    bilinear upsampling in both alignments, add, sub, concat, a conv-transpose and each activation."""
    def pool(name, inp):
        return {"name": name, "op": "max_pool", "inputs": [inp], "kernel": [2, 2], "stride": [2, 2],
                "padding": [0, 0]}

    def up(name, inp, mode, align_corners):
        return {"name": name, "op": "upsample", "inputs": [inp], "scale": [2, 2], "mode": mode,
                "align_corners": align_corners}

    layers = [
        conv("conv0", "input", w, 3, 4, 1, 1), act("relu0", "conv0", "relu"),
        conv("conv1", "relu0", w, 4, 8, 3, 3, padding=(1, 1)),
        {"name": "bn1", "op": "batch_norm", "inputs": ["conv1"], **w.batch_norm(8)},
        act("leaky1", "bn1", "leaky_relu", slope=0.2),
        pool("pool1", "leaky1"), conv("conv2", "pool1", w, 8, 8, 3, 3, padding=(1, 1)), act("relu2", "conv2", "relu"),
        pool("pool2", "relu2"), conv("conv3", "pool2", w, 8, 8, 3, 3, padding=(1, 1)), act("relu3", "conv3", "relu"),
        up("near", "relu3", "nearest", 0), up("lin0", "relu3", "bilinear", 0), up("lin1", "relu3", "bilinear", 1),
        {"name": "sum", "op": "add", "inputs": ["near", "lin0"]},
        {"name": "diff", "op": "sub", "inputs": ["sum", "lin1"]},
        {"name": "cat2", "op": "concat", "inputs": ["relu2", "diff"]},
        conv("conv4", "cat2", w, 16, 8, 3, 3, padding=(1, 1)), act("tanh4", "conv4", "tanh"),
        {"name": "up1", "op": "conv_transpose", "inputs": ["tanh4"], "stride": [2, 2], "padding": [0, 0],
         "output_padding": [0, 0], **w.conv(8, 8, 2, 2, transpose=True)},
        {"name": "cat1", "op": "concat", "inputs": ["leaky1", "up1"]},
        conv("conv5", "cat1", w, 16, 4, 3, 3, padding=(1, 1)), act("relu5", "conv5", "relu"),
        conv("conv6", "relu5", w, 4, 1, 1, 1), act("out", "conv6", "sigmoid"),
    ]
    return layers, "out"


class LayerNet(torch.nn.Module):
    """A layer list as a module whose tensors are buffers, so that the export writes them as
    initializers; forward is run_torch, the golden files' reference."""

    def __init__(self, layers, output):
        super().__init__()
        self.output = output
        self.layers = []
        for layer in layers:
            bound = dict(layer)
            for key in TENSORS:
                if key in layer:
                    name = f"{layer['name']}_{key}"
                    self.register_buffer(name, torch.from_numpy(np.asarray(layer[key], dtype=np.float32)))
                    bound[key] = getattr(self, name)
            self.layers.append(bound)

    def forward(self, x):
        return run_torch(self.layers, self.output, x)


def export_onnx(net, x, path):
    # PRESERVE keeps the batch norm a node (EVAL would fold it into the conv at export), so the
    # importer's own folding is what the test checks.
    torch.onnx.export(net, x, path, opset_version=13, input_names=["image"], output_names=["enhanced"],
                      training=torch.onnx.TrainingMode.PRESERVE)
    model = onnx.load(path)
    metadata = {"xrecon.name": "onnx_unet", "xrecon.input_channels": str(INPUT_SHAPE[0]),
                "xrecon.size_multiple": str(SIZE_MULTIPLE)}
    metadata.update({f"xrecon.normalization.{k}": str(v) for k, v in NORMALIZATION.items()})
    for key, value in metadata.items():
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return model


def softmax_model(path):
    node = helper.make_node("Softmax", ["x"], ["y"], name="probabilities", axis=1)
    graph = helper.make_graph([node], "softmax",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 8, 8])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, path)


def conv_model(dir_name):
    """onnx_conv.onnx, onnx_conv.h5 and onnx_typo.onnx."""
    rng = np.random.default_rng(30)
    weight = rng.uniform(-0.5, 0.5, (3, 2, 3, 3)).astype(np.float32)
    bias = rng.uniform(-0.1, 0.1, 3).astype(np.float32)
    x = rng.uniform(-1.0, 1.0, (2, 6, 7)).astype(np.float32)
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["y"], name="relu")]
    initializers = [helper.make_tensor("w", TensorProto.FLOAT, weight.shape, weight.ravel().tolist()),
                    helper.make_tensor("b", TensorProto.FLOAT, bias.shape, bias.tolist())]
    graph = helper.make_graph(nodes, "conv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 6, 7])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 6, 7])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(dir_name, "onnx_conv.onnx"))
    model.metadata_props.add(key="xrecon.input_chanels", value="2")
    onnx.save(model, os.path.join(dir_name, "onnx_typo.onnx"))
    with torch.no_grad():
        y = torch.relu(torch.nn.functional.conv2d(torch.from_numpy(x)[None], torch.from_numpy(weight),
                                                  torch.from_numpy(bias), padding=1)).numpy()[0]
    with h5py.File(os.path.join(dir_name, "onnx_conv.h5"), "w", libver="latest") as f:
        g = f.create_group("golden")
        g.create_dataset("input", data=x)
        g.create_dataset("output", data=y)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "prior", "golden")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    layers, output = unet_layers(Weights(2000))
    net = LayerNet(layers, output).eval()
    x = np.random.default_rng(20).uniform(-1.0, 1.0, INPUT_SHAPE).astype(np.float32)
    with torch.no_grad():
        y = net(torch.from_numpy(x)[None]).numpy()[0]
        model = export_onnx(net, torch.from_numpy(x)[None], os.path.join(out_dir, "onnx_unet.onnx"))
    with h5py.File(os.path.join(out_dir, "onnx_unet.h5"), "w", libver="latest") as f:
        write_model(f, layers, output, INPUT_SHAPE[0], "onnx_unet", normalization=NORMALIZATION,
                    size_multiple=SIZE_MULTIPLE)
        g = f.create_group("golden")
        g.create_dataset("input", data=x)
        g.create_dataset("output", data=y)
    softmax_model(os.path.join(out_dir, "onnx_softmax.onnx"))
    conv_model(out_dir)
    ops = sorted({node.op_type for node in model.graph.node})
    print(f"onnx_unet: {len(model.graph.node)} nodes ({', '.join(ops)}), output {tuple(y.shape)}")


if __name__ == "__main__":
    main()
