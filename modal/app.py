"""The Modal deployment: `modal deploy app.py` (see README.md).

Thin on purpose: the work is `ugc_overlay.core.make_overlay` and the routes are
`ugc_overlay.web.create_app`, both tested locally; this file only swaps the local job runner for
Modal's `spawn` / `FunctionCall`, the CPU segmenter for BiRefNet on the GPU, and keeps results
in a Volume. It needs the `modal` package, so the tests never import it.
"""
from __future__ import annotations

import os
import time
from typing import Optional

import modal

APP_NAME = "ugc-overlay"
RESULTS_DIR = "/results"
RESULT_TTL_S = 24 * 3600
MODEL = "birefnet-portrait"
MODEL_DIR = "/models"

app = modal.App(APP_NAME)
results = modal.Volume.from_name("ugc-overlay-results", create_if_missing=True)
# OVERLAY_TOKEN: the bearer token the bot sends (MODAL_OVERLAY_TOKEN on its side).
token_secret = modal.Secret.from_name("ugc-overlay-token")


# The model is fetched at image build time by rembg's own downloader (pooch checks its md5), with
# no inference session: the build has no GPU, and onnxruntime-gpu would first try CUDA there. The
# `test -s` fails the build if the file is not where the containers will look for it.
_download_model = (
    "python -c 'from rembg.sessions.birefnet_portrait import BiRefNetSessionPortrait as S; print(S.download_models())'"
)


gpu_image = (
    modal.Image.from_registry("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", add_python="3.11")
    .apt_install("ffmpeg", "libgl1", "libglib2.0-0")
    .pip_install("rembg[gpu]", "opencv-python-headless", "numpy", "fastapi[standard]")
    .env({"U2NET_HOME": MODEL_DIR})
    .run_commands(_download_model, f"test -s {MODEL_DIR}/{MODEL}.onnx")
    .add_local_python_source("ugc_overlay")
)
web_image = (
    modal.Image.debian_slim(python_version="3.11")
    .apt_install("ffmpeg")
    .pip_install("fastapi[standard]", "opencv-python-headless", "numpy")
    .add_local_python_source("ugc_overlay")
)


# "A10" is the current name of the 24 GB A10 class ("A10G" is the legacy alias).
@app.cls(gpu="A10", image=gpu_image, timeout=1800, volumes={RESULTS_DIR: results}, scaledown_window=120)
class Overlay:
    @modal.enter()
    def load(self) -> None:
        from rembg import new_session

        self.session = new_session(MODEL, providers=["CUDAExecutionProvider", "CPUExecutionProvider"])

    @modal.method()
    def run(self, job: dict) -> dict:
        import tempfile

        from ugc_overlay.core import make_overlay
        from ugc_overlay.jobs import download_input
        from ugc_overlay.segmentation import RembgSegmenter

        call_id = modal.current_function_call_id()
        with tempfile.TemporaryDirectory() as scratch:
            source = os.path.join(scratch, "input.mp4")
            download_input(job["input_url"], source)
            output = os.path.join(RESULTS_DIR, f"{call_id}.mp4")
            result = make_overlay(source, output, job["shape"], job["mode"], segmenter=RembgSegmenter(self.session))
        results.commit()
        return result


class ModalJobBackend:
    """`JobBackend` on Modal: spawn returns at once, polls use get(timeout=0)."""

    def __init__(self) -> None:
        from ugc_overlay.volume_results import VolumeResults

        self._results = VolumeResults(results, RESULTS_DIR)

    def submit(self, request: dict) -> str:
        return Overlay().run.spawn(request).object_id

    def status(self, call_id: str):
        from ugc_overlay.jobs import JobStatus

        try:
            call = modal.FunctionCall.from_id(call_id)
            return JobStatus("done", result=call.get(timeout=0))
        except TimeoutError:
            return JobStatus("pending")
        except (modal.exception.OutputExpiredError, modal.exception.NotFoundError):
            return JobStatus("expired")
        except Exception as error:  # the remote exception, re-raised by get()
            return JobStatus("failed", error=f"{type(error).__name__}: {error}"[:1000])

    def result_path(self, call_id: str) -> Optional[str]:
        # Raises ResultsBusy (→ 503) while files on the volume stay open; see volume_results.py.
        return self._results.path_for(call_id)

    def cancel(self, call_id: str) -> bool:
        try:
            modal.FunctionCall.from_id(call_id).cancel()
        except modal.exception.NotFoundError:
            return False
        return True


@app.function(image=web_image, secrets=[token_secret], volumes={RESULTS_DIR: results})
@modal.concurrent(max_inputs=50)
@modal.asgi_app()
def api():
    from ugc_overlay.web import create_app

    return create_app(ModalJobBackend())


@app.function(image=web_image, volumes={RESULTS_DIR: results}, schedule=modal.Period(hours=6))
def sweep_results() -> int:
    """Results are fetched by the bot within minutes; a day later they are only cost."""
    results.reload()
    removed = 0
    for name in os.listdir(RESULTS_DIR):
        path = os.path.join(RESULTS_DIR, name)
        if time.time() - os.path.getmtime(path) > RESULT_TTL_S:
            os.remove(path)
            removed += 1
    results.commit()
    return removed
