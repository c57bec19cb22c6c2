"""The job backend behind the web routes, and the local runner that plays Modal's `spawn` here.

The routes only see `JobBackend`: `LocalJobRunner` (a thread pool; OpenCV and numpy release the
GIL, so the server keeps answering while a job runs) locally, `ModalJobBackend` in `app.py`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Optional, Protocol

from .core import Cancelled, make_overlay
from .segmentation import GrabCutSegmenter, PersonSegmenter


@dataclass(frozen=True)
class JobStatus:
    state: str  # 'pending' | 'done' | 'failed' | 'expired'
    result: Optional[dict] = None
    error: Optional[str] = None


class JobBackend(Protocol):
    def submit(self, request: dict) -> str: ...
    def status(self, call_id: str) -> JobStatus: ...
    def result_path(self, call_id: str) -> Optional[str]: ...
    def cancel(self, call_id: str) -> bool: ...


class InputError(Exception):
    """The input URL could not be fetched."""


def download_input(url: str, path: str, max_bytes: int = 512 * 1024 * 1024, timeout: float = 60.0) -> int:
    """Streams the input to `path`; refuses anything but http(s) and anything over `max_bytes`."""
    if not url.startswith(("http://", "https://")):
        raise InputError("input_url must be an http(s) URL")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(path, "wb") as out:
            total = 0
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise InputError(f"input is larger than {max_bytes} bytes")
                out.write(chunk)
    except urllib.error.HTTPError as error:
        raise InputError(f"input download failed: HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise InputError(f"input download failed: {getattr(error, 'reason', error)}") from error
    if total == 0:
        raise InputError("input download failed: empty body")
    return total


@dataclass
class _Job:
    call_id: str
    folder: Path
    future: Optional[Future] = None
    cancel: threading.Event = field(default_factory=threading.Event)
    finished_at: Optional[float] = None


class LocalJobRunner:
    def __init__(
        self,
        work_dir: Optional[str] = None,
        workers: int = 1,
        ttl_seconds: float = 24 * 3600,
        segmenter_factory: Callable[[], PersonSegmenter] = GrabCutSegmenter,
        fetch: Callable[[str, str], int] = download_input,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="ugc-overlay-"))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.ttl_seconds = ttl_seconds
        self._segmenter_factory = segmenter_factory
        self._fetch = fetch
        self._clock = clock
        self._jobs: Dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="overlay-job")

    def submit(self, request: dict) -> str:
        self._expire()
        call_id = f"fc-{uuid.uuid4().hex}"
        job = _Job(call_id, self.work_dir / call_id)
        job.folder.mkdir(parents=True)
        with self._lock:
            self._jobs[call_id] = job
        job.future = self._pool.submit(self._run, job, dict(request))
        job.future.add_done_callback(lambda _f: setattr(job, "finished_at", self._clock()))
        return call_id

    def status(self, call_id: str) -> JobStatus:
        self._expire()
        job = self._jobs.get(call_id)
        if job is None or job.future is None:
            return JobStatus("expired")
        if not job.future.done():
            return JobStatus("pending")
        if job.future.cancelled():
            return JobStatus("failed", error="cancelled")
        error = job.future.exception()
        if error is not None:
            return JobStatus("failed", error="cancelled" if isinstance(error, Cancelled) else f"{type(error).__name__}: {error}")
        return JobStatus("done", result=job.future.result())

    def result_path(self, call_id: str) -> Optional[str]:
        status = self.status(call_id)
        if status.state != "done":
            return None
        path = self._jobs[call_id].folder / "output.mp4"
        return str(path) if path.exists() else None

    def cancel(self, call_id: str) -> bool:
        job = self._jobs.get(call_id)
        if job is None or job.future is None:
            return False
        job.cancel.set()
        job.future.cancel()  # a job still queued never starts; a running one stops at the next frame
        return True

    def close(self) -> None:
        for job in list(self._jobs.values()):
            job.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def _run(self, job: _Job, request: dict) -> dict:
        if job.cancel.is_set():
            raise Cancelled("cancelled")
        input_path = str(job.folder / "input.mp4")
        try:
            self._fetch(request["input_url"], input_path)
        except Exception:
            # A client that cancels also deletes its upload: the failed fetch is the cancel's doing.
            if job.cancel.is_set():
                raise Cancelled("cancelled") from None
            raise
        try:
            return make_overlay(
                input_path, str(job.folder / "output.mp4"), request["shape"], request["mode"],
                segmenter=self._segmenter_factory(), should_stop=job.cancel.is_set,
            )
        finally:
            os.remove(input_path)

    def _expire(self) -> None:
        """Results live `ttl_seconds` after they finish (Modal keeps outputs 7 days)."""
        now = self._clock()
        with self._lock:
            stale = [j for j in self._jobs.values() if j.finished_at is not None and now - j.finished_at > self.ttl_seconds]
            for job in stale:
                del self._jobs[job.call_id]
        for job in stale:
            shutil.rmtree(job.folder, ignore_errors=True)
