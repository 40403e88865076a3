"""xrecon.run and xrecon.validate against the xrecon command on the shipped configurations."""
import pathlib
import subprocess

import numpy as np
import pytest

import xrecon

from conftest import REPO

SMALL_SIRT = {"phantom.size": 32, "phantom.slices": 2, "scan.angles": 24, "recon.iterations": 10}


def cli_volume(cli, repo, tmp_path, config, sets):
    """What `xrecon run` writes for `config` with `sets`, read back from its HDF5 result."""
    h5py = pytest.importorskip("h5py", reason="h5py reads the command's result file")
    out = tmp_path / "cli.h5"
    args = [cli, "run", str(repo / config), "-q", "--set", f"save.path={out}", "--set", "save.preview=false"]
    for key, value in sets.items():
        args += ["--set", f"{key}={value}"]
    subprocess.run(args, check=True, cwd=tmp_path)
    with h5py.File(out, "r") as f:
        return f["volume"][...]


def test_run_equals_the_command_on_tomo_sirt(cli, repo, in_tmp):
    expected = cli_volume(cli, repo, in_tmp, "configs/tomo_sirt.yaml", SMALL_SIRT)
    outputs = xrecon.run(repo / "configs/tomo_sirt.yaml",
                         set={**SMALL_SIRT, "save.path": str(in_tmp / "py.h5"), "save.preview": False})
    # What the writer saves comes back, and the scan's unread ground truth.
    assert sorted(outputs) == ["recon.volume", "scan.truth"]
    volume = outputs["recon.volume"]
    assert volume.dtype == np.float32 and volume.shape == (2, 32, 32)
    np.testing.assert_array_equal(volume, expected)
    assert (in_tmp / "py.h5").exists()  # writers still write


def test_run_equals_the_command_on_tomo_admm_tv(cli, repo, in_tmp):
    sets = {"phantom.size": 32, "phantom.slices": 2, "scan.angles": 24, "recon.iterations": 4,
            "recon.report": str(in_tmp / "cli.jsonl")}
    expected = cli_volume(cli, repo, in_tmp, "configs/tomo_admm_tv.yaml", sets)
    sets["recon.report"] = str(in_tmp / "py.jsonl")
    volume = xrecon.run(repo / "configs/tomo_admm_tv.yaml",
                        set={**sets, "save.path": str(in_tmp / "py.h5"), "save.preview": False})["recon.volume"]
    np.testing.assert_array_equal(volume, expected)


def sirt_pipeline(iterations=10):
    return {
        "version": 1, "name": "dict-sirt", "devices": "cpu",
        "stages": [
            {"id": "phantom", "plugin": "sim.phantom", "with": {"kind": "shepp_logan", "size": 32, "slices": 3}},
            {"id": "scan", "plugin": "sim.tomo", "inputs": {"volume": "phantom.volume"}, "with": {"angles": 24}},
            {"id": "recon", "plugin": "tomo.sirt", "inputs": {"projections": "scan.projections"},
             "with": {"iterations": iterations}},
        ],
    }


def test_a_dict_pipeline_returns_every_unconsumed_output():
    outputs = xrecon.run(sirt_pipeline())
    assert sorted(outputs) == ["recon.volume", "scan.truth"]
    assert outputs["recon.volume"].shape == (3, 32, 32)
    truth = outputs["scan.truth"]
    assert truth.shape == (3, 32, 32) and truth.max() > 0


def test_set_and_devices_reach_the_run():
    one = xrecon.run(sirt_pipeline(), set={"recon.iterations": 3})["recon.volume"]
    again = xrecon.run(sirt_pipeline(3))["recon.volume"]
    split = xrecon.run(sirt_pipeline(3), devices="cpu:2")["recon.volume"]
    np.testing.assert_array_equal(one, again)
    np.testing.assert_array_equal(one, split)  # slabs over 2 devices: the same volume
    assert not np.array_equal(one, xrecon.run(sirt_pipeline(10))["recon.volume"])


def test_projections_come_back_with_their_geometry():
    pipeline = sirt_pipeline()
    pipeline["stages"] = pipeline["stages"][:2]
    scan = xrecon.run(pipeline)["scan.projections"]
    assert isinstance(scan, xrecon.payloads.Projections)
    assert scan.data.shape == (24, 3, 32) and len(scan.angles) == 24
    # sim.tomo's axis sits where its convention puts it on 32 columns (docs/geometry.md).
    assert scan.center == {"tomopy": 16.0, "astra": 15.5}[scan.convention]


def test_validate_returns_the_stages():
    assert xrecon.validate(sirt_pipeline()) == ["phantom", "scan", "recon"]


INVALID = sorted(p.name for p in (REPO / "tests/pipelines/invalid").glob("*.yaml")
                 if "test." not in p.read_text())  # those need the test plugins


@pytest.mark.parametrize("name", INVALID)
def test_validate_reports_what_the_command_reports(cli, repo, name, monkeypatch):
    """Every invalid pipeline of tests/pipelines/invalid that uses shipped plugins only, from the
    repository's root as the command's own test runs them (some rules compare paths)."""
    monkeypatch.chdir(repo)
    path = pathlib.Path("tests/pipelines/invalid") / name
    expect = path.read_text().splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(xrecon.InputError) as caught:
        xrecon.validate(path)
    error = caught.value
    assert isinstance(error, ValueError)
    command = subprocess.run([cli, "validate", str(path)], capture_output=True, text=True, cwd=repo)
    assert command.returncode == 1
    assert f"xrecon: {error}" in command.stderr
    if expect.startswith("error: "):  # a problem of the whole file, at no place in it
        assert expect.removeprefix("error: ") in str(error)
        return
    # Otherwise the first line of the file says where its error is.
    assert isinstance(error, xrecon.PipelineError)
    line, column = map(int, expect.split(":")[:2])
    assert (error.file, error.line, error.column) == (str(path), line, column)
    assert str(error.diagnostics[0]).startswith(f"{path}:{expect}")


def test_a_dict_pipeline_is_diagnosed_at_its_json_line():
    pipeline = sirt_pipeline()
    pipeline["stages"][2]["with"]["iterations"] = 0
    with pytest.raises(xrecon.PipelineError) as caught:
        xrecon.run(pipeline)
    error = caught.value
    assert error.file == "<pipeline dict>" and "out of range" in error.error
    import json
    line = json.dumps(pipeline, indent=2).splitlines()[error.line - 1]
    assert '"iterations": 0' in line


def test_several_problems_are_all_listed():
    pipeline = sirt_pipeline()
    pipeline["stages"][0]["with"]["kind"] = "circle"
    pipeline["stages"][2]["with"]["relaxation"] = 5
    with pytest.raises(xrecon.PipelineError) as caught:
        xrecon.validate(pipeline)
    assert len(caught.value.diagnostics) == 2


def test_a_failure_while_running_is_an_input_error(in_tmp):
    np.save("sino.npy", np.full((8, 16), np.nan, dtype=np.float32))
    pipeline = {"version": 1, "stages": [
        {"id": "load", "plugin": "io.npy", "with": {"path": "sino.npy"}},
        {"id": "recon", "plugin": "tomo.fbp", "inputs": {"projections": "load.projections"}}]}
    with pytest.raises(xrecon.InputError, match=r"stage 'load' \(io.npy\): sino.npy: has a non-finite value"):
        xrecon.run(pipeline)


def test_bad_arguments_are_refused_clearly(repo):
    with pytest.raises(TypeError, match="file path or a dict"):
        xrecon.run(42)
    with pytest.raises(TypeError, match="set: expected a dict"):
        xrecon.run(sirt_pipeline(), set=["recon.iterations=3"])
    with pytest.raises(xrecon.InputError, match="cannot open pipeline file"):
        xrecon.run(repo / "configs/no_such_file.yaml")
    with pytest.raises(xrecon.InputError, match="the pipeline has no stage 'nope'"):
        xrecon.run(sirt_pipeline(), set={"nope.iterations": 3})
    with pytest.raises(xrecon.PipelineError, match="out of range") as caught:
        xrecon.run(sirt_pipeline(), set={"recon.iterations": 0})
    assert (caught.value.file, caught.value.line) == ("<pipeline dict> (--set)", None)
    with pytest.raises(xrecon.InputError, match="devices|device"):
        xrecon.run(sirt_pipeline(), devices="tpu")


def test_components_lists_the_plugins():
    assert "tomo.sirt" in xrecon.components()
    assert {"prior.tv", "prior.tomogan"} <= set(xrecon.components("Prior"))
    with pytest.raises(xrecon.InputError, match="component kind"):
        xrecon.components("nonsense")
