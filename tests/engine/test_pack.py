"""Model packs: import from folders and zips, roles from the graph, refusal of broken packs."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from kiosk.cli.main import main
from kiosk.engine.pack import DETECTOR, LIVENESS, RECOGNIZER, load_pack
from kiosk.engine.pack_import import import_pack
from kiosk.errors import ModelPackError


def _identity_model(path, shape):
    """A real (tiny) ONNX file of a given input shape, to stand for a model of no known role."""
    inp = helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)
    out = helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [inp], [out])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    return path


@pytest.fixture
def copied_pack(tmp_path, models_dir):
    folder = tmp_path / "src-pack"
    shutil.copytree(models_dir, folder)
    return folder


def test_import_identifies_roles_from_graph(tmp_path, copied_pack):
    # Rename files so nothing can rely on names (liveness scale still needs the model family name).
    (copied_pack / "det_2.5g.onnx").rename(copied_pack / "a.onnx")
    (copied_pack / "w600k_mbf_int8.onnx").rename(copied_pack / "b.onnx")
    pack = import_pack(copied_pack, tmp_path / "models", "renamed")
    roles = {f.file: f.role for f in pack.files}
    assert roles["a.onnx"] == DETECTOR and roles["b.onnx"] == RECOGNIZER
    assert sorted(f.crop_scale for f in pack.liveness) == [2.7, 4.0]
    assert pack.embedding_size == 512
    assert (tmp_path / "models" / "renamed" / "pack.toml").is_file()
    assert load_pack(tmp_path / "models" / "renamed").id == pack.id


def test_import_from_zip_with_nested_folder(tmp_path, models_dir):
    archive = tmp_path / "buffalo_x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in models_dir.glob("*.onnx"):
            zf.write(f, f"buffalo_x/{f.name}")
    pack = import_pack(archive, tmp_path / "models")
    assert pack.name == "buffalo_x"
    assert {f.role for f in pack.files} == {DETECTOR, RECOGNIZER, LIVENESS}


def test_missing_file_is_refused(tmp_path, copied_pack):
    import_pack(copied_pack, tmp_path / "models", "p")
    (tmp_path / "models" / "p" / "MiniFASNetV2.onnx").unlink()
    with pytest.raises(ModelPackError, match="MiniFASNetV2.onnx: missing"):
        load_pack(tmp_path / "models" / "p")


def test_altered_file_is_refused(tmp_path, copied_pack):
    import_pack(copied_pack, tmp_path / "models", "p")
    target = tmp_path / "models" / "p" / "w600k_mbf_int8.onnx"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(ModelPackError, match="w600k_mbf_int8.onnx: sha256 mismatch"):
        load_pack(tmp_path / "models" / "p")


def test_unknown_role_and_wrong_shape_name_the_file(tmp_path, copied_pack):
    _identity_model(copied_pack / "mystery.onnx", [1, 3, 50, 50])
    with pytest.raises(ModelPackError, match="mystery.onnx: unknown role"):
        import_pack(copied_pack, tmp_path / "models", "p")
    (copied_pack / "mystery.onnx").unlink()
    _identity_model(copied_pack / "gray.onnx", [1, 1, 112, 112])
    with pytest.raises(ModelPackError, match="gray.onnx: wrong input shape"):
        import_pack(copied_pack, tmp_path / "models", "p")


def test_not_an_onnx_file(tmp_path, copied_pack):
    (copied_pack / "broken.onnx").write_text("not a model")
    with pytest.raises(ModelPackError, match="broken.onnx: not a readable ONNX model"):
        import_pack(copied_pack, tmp_path / "models", "p")


def test_cli_verify_reports_one_line_and_nonzero(tmp_path, copied_pack, capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    assert main(["models", "import", str(copied_pack), "--name", "p"]) == 0
    assert main(["models", "verify", "p"]) == 0
    target = tmp_path / "data" / "models" / "p" / "det_2.5g.onnx"
    target.write_bytes(target.read_bytes() + b"x")
    capsys.readouterr()
    code = main(["models", "verify", "p"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1 and err[0].startswith("error:") and "det_2.5g.onnx" in err[0]
    assert "Traceback" not in "".join(err)


def test_bundled_manifest_matches_shared_pack(pack, models_dir):
    """The read-only shared pack is described by resources/packs/test-pack/pack.toml."""
    assert pack.root == models_dir
    assert pack.calibrated and pack.thresholds.low < pack.thresholds.high
    assert pack.manifest_path.name == "pack.toml" and pack.manifest_path.parent.name == "test-pack"


def test_cli_calibrate_writes_thresholds_into_manifest(tmp_path, copied_pack, faces_dir, capsys, monkeypatch):
    """An imported pack starts uncalibrated; calibrating on a few deepface pairs writes measured thresholds."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    assert main(["models", "import", str(copied_pack), "--name", "p"]) == 0
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "img_a,img_b,same\nimg1.jpg,img2.jpg,1\nimg1.jpg,img4.jpg,1\nimg1.jpg,img20.jpg,0\nimg2.jpg,img20.jpg,0\n"
    )
    assert main(["models", "calibrate", "p", "--pairs", str(pairs), "--root", str(faces_dir / "deepface")]) == 0
    pack = load_pack(tmp_path / "data" / "models" / "p")
    assert pack.calibrated
    assert pack.thresholds.low < pack.thresholds.high < 0.6


def test_models_names_a_pack_in_the_data_folder_without_its_path(tmp_path, copied_pack, monkeypatch):
    """``--models NAME`` (what the README's first command gives) is ``<data dir>/models/NAME`` unless a folder NAME is here."""
    from kiosk.config import load_settings
    from kiosk.engine.pack import pack_folder, resolve_pack

    data = tmp_path / "data"
    import_pack(copied_pack, data / "models", "mine")
    monkeypatch.chdir(tmp_path)
    assert resolve_pack(load_settings(data_dir=data, environ={}, overrides={"models": "mine"})).root == (data / "models" / "mine").resolve()
    assert pack_folder("src-pack", data) == Path("src-pack")  # a folder here is taken as it is
    (tmp_path / "mine").mkdir()
    assert pack_folder("mine", data) == Path("mine")  # and wins over the data folder's, as before
    assert pack_folder("./other", data) == Path("other")  # a path is never looked up in the data folder
    with pytest.raises(ModelPackError, match="absent: model pack folder not found"):
        resolve_pack(load_settings(data_dir=data, environ={}, overrides={"models": "absent"}))
