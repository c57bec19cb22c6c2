"""The job API, the same locally and on Modal:

POST   /jobs {input_url, shape, mode}  → 202 {call_id}            (never waits for the work)
GET    /jobs/{call_id}                 → 202 {status:'pending'} | 200 {status:'done', result}
                                         | 500 {status:'failed', error} | 404 {status:'expired'}
GET    /jobs/{call_id}/result          → the MP4, streamed (404 expired, 409 pending, 500 failed,
                                         503 results volume busy: retry)
DELETE /jobs/{call_id}                 → 202 {status:'cancelling'} | 404 {status:'expired'}

`Authorization: Bearer <OVERLAY_TOKEN>` is required when OVERLAY_TOKEN is set.
"""
from __future__ import annotations

import hmac
import os
from typing import Literal, Optional

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import FileResponse, JSONResponse
# `validator` works on pydantic 1 (Debian's python3-pydantic) and, deprecated, on 2 (the Modal image).
from pydantic import BaseModel, validator

from .jobs import JobBackend, LocalJobRunner
from .volume_results import ResultsBusy


class JobRequest(BaseModel):
    input_url: str
    shape: Literal["circle", "rounded_rect", "cutout"]
    mode: Literal["greenscreen", "matte"]

    @validator("input_url")
    def _http_only(cls, value: str) -> str:  # noqa: N805 - pydantic's signature
        if not value.startswith(("http://", "https://")) or len(value) > 4096:
            raise ValueError("input_url must be an http(s) URL")
        return value


def create_app(backend: Optional[JobBackend] = None, token: Optional[str] = None) -> FastAPI:
    """`uvicorn ugc_overlay.web:create_app --factory` calls this with no arguments: the local
    runner, configured from OVERLAY_WORK_DIR / OVERLAY_WORKERS / OVERLAY_RESULT_TTL_S."""
    owned = backend is None
    if backend is None:
        backend = LocalJobRunner(
            work_dir=os.environ.get("OVERLAY_WORK_DIR") or None,
            workers=int(os.environ.get("OVERLAY_WORKERS", "1")),
            ttl_seconds=float(os.environ.get("OVERLAY_RESULT_TTL_S", str(24 * 3600))),
        )
    # An empty token means no auth, as an unset OVERLAY_TOKEN does.
    secret = (token if token is not None else os.environ.get("OVERLAY_TOKEN")) or None
    jobs: JobBackend = backend

    def authorize(authorization: Optional[str] = Header(default=None)) -> None:
        if secret is None:
            return
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), secret.encode()):
            raise HTTPException(status_code=401, detail="unauthorized", headers={"WWW-Authenticate": "Bearer"})

    app = FastAPI(title="ugc-overlay", docs_url=None, redoc_url=None, openapi_url=None)
    guarded = [Depends(authorize)]

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    @app.post("/jobs", status_code=202, dependencies=guarded)
    def submit(job: JobRequest) -> dict:
        return {"call_id": jobs.submit({"input_url": job.input_url, "shape": job.shape, "mode": job.mode})}

    @app.get("/jobs/{call_id}", dependencies=guarded)
    def poll(call_id: str):
        status = jobs.status(call_id)
        if status.state == "pending":
            return JSONResponse({"status": "pending"}, status_code=202)
        if status.state == "done":
            return {"status": "done", "result": status.result}
        if status.state == "failed":
            return JSONResponse({"status": "failed", "error": status.error}, status_code=500)
        return JSONResponse({"status": "expired"}, status_code=404)

    @app.get("/jobs/{call_id}/result", dependencies=guarded)
    def result(call_id: str):
        status = jobs.status(call_id)
        if status.state == "pending":
            return JSONResponse({"status": "pending"}, status_code=409)
        if status.state == "failed":
            return JSONResponse({"status": "failed", "error": status.error}, status_code=500)
        try:
            path = jobs.result_path(call_id) if status.state == "done" else None
        except ResultsBusy as busy:
            return JSONResponse({"status": "busy", "error": str(busy)[:300]}, status_code=503, headers={"Retry-After": "1"})
        if path is None:
            return JSONResponse({"status": "expired"}, status_code=404)
        return FileResponse(path, media_type="video/mp4", filename="overlay.mp4")

    @app.delete("/jobs/{call_id}", status_code=202, dependencies=guarded)
    def cancel(call_id: str):
        if not jobs.cancel(call_id):
            return JSONResponse({"status": "expired"}, status_code=404)
        return {"status": "cancelling"}

    if owned:
        # The runner this factory made is this app's to stop: running jobs end, files go.
        app.add_event_handler("shutdown", getattr(jobs, "close"))
    return app
