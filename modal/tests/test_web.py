import functools
import http.server
import shutil
import threading
import time

import pytest
from fastapi.testclient import TestClient

from ugc_overlay.jobs import LocalJobRunner, download_input
from ugc_overlay.web import create_app


@pytest.fixture(scope="module")
def file_server(clip, tmp_path_factory):
    """Serves the clip over HTTP, as storage's signed URL would."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(clip[0], folder / "head.mp4")
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def runner(tmp_path):
    jobs = LocalJobRunner(work_dir=str(tmp_path / "jobs"))
    yield jobs
    jobs.close()


def wait_for(client, call_id, headers=None, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/jobs/{call_id}", headers=headers or {})
        if response.status_code != 202:
            return response
        assert response.json() == {"status": "pending"}
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_job_lifecycle_submit_poll_result(file_server, runner):
    client = TestClient(create_app(runner, token=""))
    submitted = client.post("/jobs", json={"input_url": f"{file_server}/head.mp4", "shape": "circle", "mode": "greenscreen"})
    assert submitted.status_code == 202
    call_id = submitted.json()["call_id"]
    assert call_id.startswith("fc-")
    done = wait_for(client, call_id)
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "done"
    result = body["result"]
    assert (result["frames"], result["fps"], result["seconds"], result["width"], result["height"]) == (30, 15.0, 2.0, 180, 320)
    video = client.get(f"/jobs/{call_id}/result")
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    assert len(video.content) == result["bytes"]
    assert video.content[4:8] == b"ftyp"


def test_a_failed_input_url_fails_the_job_with_the_reason(file_server, runner):
    client = TestClient(create_app(runner, token=""))
    call_id = client.post("/jobs", json={"input_url": f"{file_server}/missing.mp4", "shape": "circle", "mode": "matte"}).json()["call_id"]
    failed = wait_for(client, call_id)
    assert failed.status_code == 500
    assert failed.json()["status"] == "failed"
    assert "HTTP 404" in failed.json()["error"]
    assert client.get(f"/jobs/{call_id}/result").status_code == 500


def test_input_that_is_not_a_video_fails_the_job(runner, tmp_path):
    def fetch(url, path):
        with open(path, "wb") as out:
            out.write(b"<html>not a video</html>" * 50)
        return 1200

    jobs = LocalJobRunner(work_dir=str(tmp_path / "jobs2"), fetch=fetch)
    try:
        client = TestClient(create_app(jobs, token=""))
        call_id = client.post("/jobs", json={"input_url": "https://example.invalid/x.mp4", "shape": "cutout", "mode": "matte"}).json()["call_id"]
        failed = wait_for(client, call_id)
        assert failed.status_code == 500 and "MediaError" in failed.json()["error"]
    finally:
        jobs.close()


def test_bad_requests_are_refused_before_any_work(runner):
    client = TestClient(create_app(runner, token=""))
    for body in (
        {"input_url": "file:///etc/passwd", "shape": "circle", "mode": "matte"},
        {"input_url": "https://x/y.mp4", "shape": "star", "mode": "matte"},
        {"input_url": "https://x/y.mp4", "shape": "circle", "mode": "webm_alpha"},
        {"shape": "circle", "mode": "matte"},
    ):
        assert client.post("/jobs", json=body).status_code == 422, body


def test_unknown_and_expired_ids_answer_404_expired(file_server, tmp_path):
    now = [1000.0]
    jobs = LocalJobRunner(work_dir=str(tmp_path / "jobs"), ttl_seconds=60, clock=lambda: now[0])
    try:
        client = TestClient(create_app(jobs, token=""))
        assert client.get("/jobs/fc-nothing").json() == {"status": "expired"}
        assert client.get("/jobs/fc-nothing").status_code == 404
        assert client.get("/jobs/fc-nothing/result").status_code == 404
        assert client.delete("/jobs/fc-nothing").status_code == 404
        call_id = client.post("/jobs", json={"input_url": f"{file_server}/head.mp4", "shape": "circle", "mode": "matte"}).json()["call_id"]
        assert wait_for(client, call_id).status_code == 200
        assert (tmp_path / "jobs" / call_id / "output.mp4").exists()
        now[0] += 61
        assert client.get(f"/jobs/{call_id}").status_code == 404
        assert not (tmp_path / "jobs" / call_id).exists()  # the files went with the job
    finally:
        jobs.close()


def test_cancel_a_running_and_a_queued_job(file_server, tmp_path):
    release = threading.Event()
    started = threading.Event()

    def slow_fetch(url, path):
        started.set()
        assert release.wait(10)
        return download_input(url, path)

    jobs = LocalJobRunner(work_dir=str(tmp_path / "jobs"), fetch=slow_fetch)
    try:
        client = TestClient(create_app(jobs, token=""))
        request = {"input_url": f"{file_server}/head.mp4", "shape": "cutout", "mode": "greenscreen"}
        running = client.post("/jobs", json=request).json()["call_id"]
        queued = client.post("/jobs", json=request).json()["call_id"]
        assert started.wait(5)
        assert client.get(f"/jobs/{running}/result").status_code == 409  # pending: no bytes yet
        assert client.delete(f"/jobs/{running}").status_code == 202
        assert client.delete(f"/jobs/{queued}").status_code == 202
        release.set()
        for call_id in (running, queued):
            answer = wait_for(client, call_id)
            assert answer.status_code == 500 and answer.json() == {"status": "failed", "error": "cancelled"}
        assert not (tmp_path / "jobs" / running / "output.mp4").exists()
    finally:
        release.set()
        jobs.close()


def test_bearer_token_is_required_when_configured(runner, monkeypatch):
    monkeypatch.setenv("OVERLAY_TOKEN", "s3cret")
    client = TestClient(create_app(runner))
    body = {"input_url": "https://x/y.mp4", "shape": "circle", "mode": "matte"}
    assert client.post("/jobs", json=body).status_code == 401
    assert client.post("/jobs", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/jobs", json=body, headers={"Authorization": "Basic s3cret"}).status_code == 401
    assert client.get("/jobs/fc-x", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.delete("/jobs/fc-x").status_code == 401
    assert client.get("/jobs/fc-x/result").status_code == 401
    assert client.get("/healthz").status_code == 200
    allowed = client.post("/jobs", json=body, headers={"Authorization": "Bearer s3cret"})
    assert allowed.status_code == 202
    runner.cancel(allowed.json()["call_id"])


def test_no_token_configured_means_open(runner, monkeypatch):
    monkeypatch.delenv("OVERLAY_TOKEN", raising=False)
    client = TestClient(create_app(runner))
    assert client.get("/jobs/fc-x").status_code == 404


def test_a_fetch_that_fails_because_of_the_cancel_reports_cancelled(tmp_path):
    started = threading.Event()
    release = threading.Event()

    def fetch(url, path):
        started.set()
        assert release.wait(10)
        raise OSError("input download failed: HTTP 404")  # the client removed its upload

    jobs = LocalJobRunner(work_dir=str(tmp_path / "jobs"), fetch=fetch)
    try:
        client = TestClient(create_app(jobs, token=""))
        call_id = client.post("/jobs", json={"input_url": "https://x/y.mp4", "shape": "circle", "mode": "matte"}).json()["call_id"]
        assert started.wait(5)
        assert client.delete(f"/jobs/{call_id}").status_code == 202
        release.set()
        assert wait_for(client, call_id).json() == {"status": "failed", "error": "cancelled"}
    finally:
        release.set()
        jobs.close()
