"""A small PyTorch denoiser as the prior of tomo.admm (docs/python.md). It trains a tiny residual
CNN for a few seconds on simulated slices (clean phantoms from sim.phantom, Gaussian noise added),
wraps it in an xrecon.Prior, and reconstructs a noisy Shepp-Logan scan with tomo.admm with and
without it. Needs PyTorch in the interpreter that imports xrecon; run from the repository root:
    python python/examples/torch_prior.py          # `--quick`: fewer training steps (the test)
"""
import sys
import time

import numpy as np
import torch

import xrecon

torch.manual_seed(0)
torch.set_num_threads(2)
rng = np.random.default_rng(0)
steps = 100 if "--quick" in sys.argv else 300


def phantom(**params):
    return xrecon.run({"version": 1, "stages": [{"id": "p", "plugin": "sim.phantom", "with": params}]})["p.volume"]


# 1. Training data: clean 64 x 64 slices of foams and of the 3-D Shepp-Logan at 24 heights (the
#    scan below reconstructs 4 heights of it: different slices, the same kind of object).
clean = np.concatenate([phantom(kind="shepp_logan", size=64, slices=24)] +
                       [phantom(kind="foam", size=64, seed=s, voids=40) * 0.5 for s in range(1, 9)])
clean = torch.from_numpy(clean)[:, None]                   # (N, 1, 64, 64)
scale = float(clean.max())


# 2. A tiny residual CNN: it predicts the noise, the output is the input minus it.
class Denoiser(torch.nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = torch.nn.Sequential(
            torch.nn.Conv2d(1, width, 3, padding=1), torch.nn.ReLU(),
            torch.nn.Conv2d(width, width, 3, padding=1), torch.nn.ReLU(),
            torch.nn.Conv2d(width, width, 3, padding=1), torch.nn.ReLU(),
            torch.nn.Conv2d(width, 1, 3, padding=1))

    def forward(self, x):
        return x - self.body(x)


net = Denoiser()
optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
start = time.time()
for step in range(steps):
    r, c = rng.integers(0, 32, 2)                            # random 32 x 32 crops: faster, as good
    batch = clean[torch.from_numpy(rng.integers(0, len(clean), 16)), :, r:r + 32, c:c + 32]
    sigma = scale * torch.empty(len(batch), 1, 1, 1).uniform_(0.02, 0.15)
    loss = torch.nn.functional.mse_loss(net(batch + sigma * torch.randn_like(batch)), batch)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
print(f"trained {steps} steps in {time.time() - start:.1f} s, last loss {loss.item():.2e}")
net.eval()


# 3. The network as a Prior: enhance() denoises each slice; the default apply() blends it in as
#    (1 - s) x + s enhance(x), s = min(1, weight x strength), inside every ADMM iteration.
@xrecon.register_prior
class TorchDenoiser(xrecon.Prior):
    """A PyTorch CNN denoising each slice."""
    name = "py.torch_denoiser"
    params = {"weight": 0.003}

    def enhance(self, volume):
        with torch.no_grad():
            x = torch.from_numpy(np.array(volume))[:, None]  # a copy: the volume is the engine's memory
            return net(x)[:, 0].numpy()


# 4. tomo.admm on a noisy scan, with and without the prior.
def admm(prior=None):
    return {"version": 1, "devices": "cpu", "stages": [
        {"id": "phantom", "plugin": "sim.phantom", "with": {"kind": "shepp_logan", "size": 64, "slices": 4}},
        {"id": "scan", "plugin": "sim.tomo", "inputs": {"volume": "phantom.volume"},
         "with": {"angles": 45, "noise": "poisson", "photons": 1000, "seed": 1}},
        {"id": "recon", "plugin": "tomo.admm", "inputs": {"projections": "scan.projections"},
         "with": {"iterations": 20, "min": 0, **({"prior": prior} if prior else {})}}]}


def rmse(a, b):
    return float(np.sqrt(np.mean((a.astype(np.float64) - b) ** 2)))


plain = xrecon.run(admm())
truth = plain["scan.truth"]
with_prior = xrecon.run(admm({"plugin": "py.torch_denoiser"}))["recon.volume"]
print(f"tomo.admm RMSE without a prior: {rmse(plain['recon.volume'], truth):.4f}")
print(f"tomo.admm RMSE with the PyTorch denoiser: {rmse(with_prior, truth):.4f}")
