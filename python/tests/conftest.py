"""Shared fixtures: the repository, the xrecon command these tests compare with, small scans."""
import os
import pathlib
import shutil

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def cli():
    """The xrecon command of the same build (tests/python/CMakeLists.txt sets XRECON_CLI)."""
    path = os.environ.get("XRECON_CLI") or shutil.which("xrecon")
    if not path:
        pytest.skip("no xrecon command to compare with (set XRECON_CLI)")
    return path


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Runs the test in its own folder: pipelines write out/... relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def disc_volume(slices=2, n=32, radius=0.6):
    """A centred disc of value 1 in every slice, float32 (slices, n, n)."""
    y, x = np.mgrid[:n, :n] - n // 2
    disc = (x * x + y * y <= (radius * n / 2) ** 2).astype(np.float32)
    return np.ascontiguousarray(np.repeat(disc[None], slices, axis=0))
