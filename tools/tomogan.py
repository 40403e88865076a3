"""The TomoGAN generator (ALGORITHMS.md) as a PyTorch module, with its graph in the terms of the
xrecon model file (docs/model-file.md), the image normalisation, and the SSIM the C++ side uses.

Shared by train_tomogan.py, export_model.py and model_file.py; it imports only torch and numpy.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ALGORITHMS.md's widths: stem, level 1, level 2, level 3 (and the bottom), head.
FULL_WIDTHS = (8, 32, 64, 128, 16)
UPSAMPLE_MODES = ("bilinear", "nearest", "transposed")


def parse_widths(text):
    widths = tuple(int(w) for w in text.split(","))
    if len(widths) != 5 or min(widths) < 1:
        raise ValueError(f"--widths wants five positive integers (stem,l1,l2,l3,head), got {text!r}")
    return widths


class TomoGAN(nn.Module):
    """U-Net of ALGORITHMS.md's table; `widths` scales its channels, `upsample` is the decoder's
    2x upsampling: bilinear with half-pixel centres (align_corners=False), nearest, or a learned
    2x2 stride-2 transposed convolution that keeps the channel count."""

    def __init__(self, in_channels=3, widths=FULL_WIDTHS, upsample="bilinear"):
        super().__init__()
        if upsample not in UPSAMPLE_MODES:
            raise ValueError(f"upsample must be one of {UPSAMPLE_MODES}, got {upsample!r}")
        w0, w1, w2, w3, wh = widths
        self.in_channels, self.widths, self.upsample = in_channels, tuple(widths), upsample

        def conv(cin, cout, k):
            return nn.Conv2d(cin, cout, k, padding=k // 2)

        self.conv0 = conv(in_channels, w0, 1)
        self.conv1, self.conv2 = conv(w0, w1, 3), conv(w1, w1, 3)
        self.conv3, self.conv4 = conv(w1, w2, 3), conv(w2, w2, 3)
        self.conv5, self.conv6 = conv(w2, w3, 3), conv(w3, w3, 3)
        self.conv7 = conv(w3, w3, 3)
        self.conv8, self.conv9 = conv(w3 + w3, w2, 3), conv(w2, w2, 3)
        self.conv10, self.conv11 = conv(w2 + w2, w1, 3), conv(w1, w1, 3)
        self.conv12, self.conv13 = conv(w1 + w1, w1, 3), conv(w1, w1, 3)
        self.conv14 = conv(w1, wh, 1)
        self.conv15 = conv(wh, 1, 1)
        if upsample == "transposed":
            self.up1 = nn.ConvTranspose2d(w3, w3, 2, stride=2)
            self.up2 = nn.ConvTranspose2d(w2, w2, 2, stride=2)
            self.up3 = nn.ConvTranspose2d(w1, w1, 2, stride=2)

    def _up(self, x, index):
        if self.upsample == "transposed":
            return getattr(self, f"up{index}")(x)
        if self.upsample == "bilinear":
            return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        return F.interpolate(x, scale_factor=2, mode="nearest")

    def forward(self, x):
        r = F.relu
        x = r(self.conv0(x))
        s1 = r(self.conv2(r(self.conv1(x))))
        x = F.max_pool2d(s1, 2)
        s2 = r(self.conv4(r(self.conv3(x))))
        x = F.max_pool2d(s2, 2)
        s3 = r(self.conv6(r(self.conv5(x))))
        x = F.max_pool2d(s3, 2)
        x = r(self.conv7(x))
        x = torch.cat([s3, self._up(x, 1)], 1)
        x = r(self.conv9(r(self.conv8(x))))
        x = torch.cat([s2, self._up(x, 2)], 1)
        x = r(self.conv11(r(self.conv10(x))))
        x = torch.cat([s1, self._up(x, 3)], 1)
        x = r(self.conv13(r(self.conv12(x))))
        x = r(self.conv14(x))
        return self.conv15(x)

    def graph(self):
        """The layers in evaluation order: (label, op, inputs, attributes, module or None). The
        same order as forward(); export_model.py writes it, model_file.py runs it back."""
        layers = []

        def add(label, op, inputs, attrs=None, module=None):
            layers.append((label, op, list(inputs), dict(attrs or {}), module))
            return label

        def conv_relu(name, src, relu=True):
            m = getattr(self, name)
            k = m.kernel_size[0]
            out = add(name, "conv", [src], {"stride": [1, 1], "padding": [k // 2, k // 2], "dilation": [1, 1]}, m)
            return add(f"{name}_relu", "relu", [out]) if relu else out

        def pool(name, src):
            return add(name, "max_pool", [src], {"kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]})

        def up(index, src):
            name = f"up{index}"
            if self.upsample == "transposed":
                return add(name, "conv_transpose", [src],
                           {"stride": [2, 2], "padding": [0, 0], "output_padding": [0, 0]}, getattr(self, name))
            attrs = {"scale": [2, 2], "mode": self.upsample}
            if self.upsample == "bilinear":
                attrs["align_corners"] = 0
            return add(name, "upsample", [src], attrs)

        x = conv_relu("conv0", "input")
        x = conv_relu("conv1", x)
        s1 = conv_relu("conv2", x)
        x = pool("pool1", s1)
        x = conv_relu("conv3", x)
        s2 = conv_relu("conv4", x)
        x = pool("pool2", s2)
        x = conv_relu("conv5", x)
        s3 = conv_relu("conv6", x)
        x = pool("pool3", s3)
        x = conv_relu("conv7", x)
        x = add("cat3", "concat", [s3, up(1, x)])
        x = conv_relu("conv8", x)
        x = conv_relu("conv9", x)
        x = add("cat2", "concat", [s2, up(2, x)])
        x = conv_relu("conv10", x)
        x = conv_relu("conv11", x)
        x = add("cat1", "concat", [s1, up(3, x)])
        x = conv_relu("conv12", x)
        x = conv_relu("conv13", x)
        x = conv_relu("conv14", x)
        conv_relu("conv15", x, relu=False)
        return layers


def load_model_file(model, path):
    """Copy the weights of an xrecon model file (docs/model-file.md) written from a TomoGAN of the
    same widths back into `model` (the reverse of export_model.py: layer labels are the module
    names of graph()). Returns the file's root attributes and normalisation as dicts."""
    import h5py
    modules = {label: module for label, _, _, _, module in model.graph() if module is not None}
    state = {}
    with h5py.File(path, "r") as f:
        for key in f["layers"]:
            label = key.split("_", 1)[1]
            if label in modules:
                g = f["layers"][key]
                state[f"{label}.weight"] = torch.from_numpy(g["weight"][...])
                state[f"{label}.bias"] = torch.from_numpy(g["bias"][...]) if "bias" in g \
                    else torch.zeros(modules[label].out_channels)
        attrs = {k: f.attrs[k] for k in f.attrs}
        norm = {k: f["normalization"].attrs[k] for k in f["normalization"].attrs}
    model.load_state_dict(state)  # strict: every conv of the graph must be in the file
    return attrs, norm


class PatchDiscriminator(nn.Module):
    """A small PatchGAN: four stride-2 convolutions, one logit per 16x16-pixel neighbourhood."""

    def __init__(self, width=32):
        super().__init__()
        c = width
        self.net = nn.Sequential(
            nn.Conv2d(1, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * c, 4 * c, 4, 2, 1), nn.BatchNorm2d(4 * c), nn.LeakyReLU(0.2),
            nn.Conv2d(4 * c, 4 * c, 3, 1, 1), nn.BatchNorm2d(4 * c), nn.LeakyReLU(0.2),
            nn.Conv2d(4 * c, 1, 3, 1, 1))

    def forward(self, x):
        return self.net(x)


# --- normalisation (docs/model-file.md, /normalization) -------------------------------------

def percentile_range(stack, low, high):
    """lo, hi of one network input (all channels together), numpy's linear-interpolation
    percentiles; hi > lo always (a constant image gets hi = lo + 1)."""
    lo, hi = np.percentile(stack, [low, high])
    if not hi > lo:
        hi = lo + 1.0
    return float(lo), float(hi)


def normalise(x, lo, hi, scale, offset):
    return (np.clip(x, lo, hi) - lo) / (hi - lo) * scale + offset


def denormalise(y, lo, hi, scale, offset):
    return (y - offset) / scale * (hi - lo) + lo


def neighbour_stack(volume, z, channels):
    """The network input for slice z: itself (1 channel) or z-1, z, z+1 (3 channels), the first
    and last slices standing in for their missing neighbours (clamped index)."""
    if channels == 1:
        return volume[z:z + 1]
    n = len(volume)
    return np.stack([volume[max(z - 1, 0)], volume[z], volume[min(z + 1, n - 1)]])


# --- SSIM as solvers/metrics/ssim.cpp computes it --------------------------------------------

def _gaussian_window(size=11, sigma=1.5):
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-(r ** 2) / (2 * sigma ** 2))
    w = np.outer(g, g)
    return w / w.sum()


def ssim(a, b, data_range):
    """Mean SSIM (Wang et al. 2004) over slices of (z, y, x) stacks: 11x11 Gaussian window,
    sigma 1.5, 'valid' positions only, K1 = 0.01, K2 = 0.03; in double."""
    a = np.asarray(a, np.float64).reshape(-1, *np.shape(a)[-2:])
    b = np.asarray(b, np.float64).reshape(-1, *np.shape(b)[-2:])
    w = torch.from_numpy(_gaussian_window()).view(1, 1, 11, 11)
    ta, tb = torch.from_numpy(a).unsqueeze(1), torch.from_numpy(b).unsqueeze(1)

    def filt(t):
        return F.conv2d(t, w)

    mu_a, mu_b = filt(ta), filt(tb)
    saa = filt(ta * ta) - mu_a ** 2
    sbb = filt(tb * tb) - mu_b ** 2
    sab = filt(ta * tb) - mu_a * mu_b
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    m = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return float(m.mean())


def enhance_volume(model, volume, channels, low, high, scale, offset, residual=False):
    """Apply the model to every slice of `volume` the way the C++ prior will: per slice, a
    percentile range of its input stack, the forward map, the network (plus the normalised centre
    input when `residual`, the model file's attribute), the inverse map."""
    out = np.empty_like(volume, dtype=np.float32)
    model.eval()
    with torch.no_grad():
        for z in range(len(volume)):
            stack = neighbour_stack(volume, z, channels)
            lo, hi = percentile_range(stack, low, high)
            x = torch.from_numpy(normalise(stack, lo, hi, scale, offset).astype(np.float32))[None]
            y = model(x)[0, 0].numpy()
            if residual:
                y = y + x[0, channels // 2].numpy()
            out[z] = denormalise(y, lo, hi, scale, offset)
    return out
