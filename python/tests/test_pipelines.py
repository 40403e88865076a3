"""xrecon.run and xrecon.validate against the xrecon command on the shipped configurations."""
import subprocess

import numpy as np
import pytest

import xrecon

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
    assert list(outputs) == ["recon.volume"]  # the writer's input is the terminal output
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
    assert scan.convention == "tomopy" and scan.center == 16


def test_validate_returns_the_stages():
    assert xrecon.validate(sirt_pipeline()) == ["phantom", "scan", "recon"]


@pytest.mark.parametrize("name", ["out_of_range_parameter.yaml", "unknown_plugin.yaml", "port_kind_mismatch.yaml",
                                  "role_slot_unknown_key.yaml"])
def test_validate_reports_what_the_command_reports(cli, repo, name):
    path = repo / "tests/pipelines/invalid" / name
    with pytest.raises(xrecon.PipelineError) as caught:
        xrecon.validate(path)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, xrecon.InputError)
    command = subprocess.run([cli, "validate", str(path)], capture_output=True, text=True)
    assert command.returncode == 1
    assert f"xrecon: {error}" in command.stderr
    # The first line of the file says where its error is.
    expect = path.read_text().splitlines()[0].removeprefix("# expect: ")
    assert str(error.diagnostics[0]).startswith(f"{path}:{expect}")
    assert (error.file, error.line, error.column) == (str(path), *map(int, expect.split(":")[:2]))


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
    with pytest.raises(xrecon.InputError, match="NaN"):
        xrecon.run(pipeline)


def test_bad_arguments_are_refused_clearly(repo):
    with pytest.raises(TypeError, match="file path or a dict"):
        xrecon.run(42)
    with pytest.raises(TypeError, match="set: expected a dict"):
        xrecon.run(sirt_pipeline(), set=["recon.iterations=3"])
    with pytest.raises(xrecon.InputError, match="cannot open pipeline file"):
        xrecon.run(repo / "configs/no_such_file.yaml")
    with pytest.raises(xrecon.PipelineError, match="no stage 'nope'|nope"):
        xrecon.run(sirt_pipeline(), set={"nope.iterations": 3})
    with pytest.raises(xrecon.InputError, match="devices|device"):
        xrecon.run(sirt_pipeline(), devices="tpu")


def test_components_lists_the_plugins():
    assert "tomo.sirt" in xrecon.components()
    assert {"prior.tv", "prior.tomogan"} <= set(xrecon.components("Prior"))
    with pytest.raises(xrecon.InputError, match="component kind"):
        xrecon.components("nonsense")
