"""app.py needs the `modal` package, absent here, so its deployment settings are read from its syntax tree."""
import ast
import pathlib

APP = ast.parse((pathlib.Path(__file__).resolve().parent.parent / "app.py").read_text())


def calls(name):
    return [node for node in ast.walk(APP) if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == name]


def test_the_gpu_class_asks_for_the_current_a10_name():
    gpus = [kw.value.value for call in calls("cls") for kw in call.keywords if kw.arg == "gpu"]
    assert gpus == ["A10"]


def test_the_model_is_downloaded_at_build_by_a_plain_step_that_fails_the_build_when_the_file_is_missing():
    steps = calls("run_commands")
    assert len(steps) == 1
    assert not calls("run_function"), "no inference session (and no CUDA attempt) at build time"
    commands = [ast.unparse(arg) for arg in steps[0].args]
    assert any("test -s" in command and "MODEL_DIR" in command and "MODEL" in command for command in commands)
    download = next(node for node in ast.walk(APP) if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_download_model")
    assert "BiRefNetSessionPortrait" in ast.unparse(download.value) and "download_models()" in ast.unparse(download.value)


def test_result_downloads_go_through_the_busy_aware_volume_reader():
    backend = next(node for node in APP.body if isinstance(node, ast.ClassDef) and node.name == "ModalJobBackend")
    source = ast.unparse(backend)
    assert "VolumeResults" in source
    assert "results.reload()" not in source
