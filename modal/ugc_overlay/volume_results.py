"""Results on a Modal Volume, read by the web container while other requests stream them.

`Volume.reload()` refuses to run while any file of the volume is open in this container ("there
are open files", a RuntimeError), and the web function serves up to 50 requests at once, some of
them streaming a result from the same volume. So: a result already visible is served without a
reload (a result file is written once, by its own call, and never changed); otherwise the reload is
retried briefly, one at a time, and a volume that stays busy is reported as such (the route answers
503 and the client retries) instead of as a missing result.
"""
from __future__ import annotations

import os
import re
import threading
import time
from typing import Callable, Optional, Protocol

_CALL_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


class ReloadableVolume(Protocol):
    def reload(self) -> None: ...


class ResultsBusy(Exception):
    """The volume could not be refreshed because files on it are open; a retry soon will do."""


class VolumeResults:
    def __init__(
        self,
        volume: ReloadableVolume,
        directory: str,
        attempts: int = 5,
        pause_s: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._volume = volume
        self._directory = directory
        self._attempts = attempts
        self._pause_s = pause_s
        self._sleep = sleep
        self._lock = threading.Lock()

    def path_for(self, call_id: str) -> Optional[str]:
        """The result's path, or None when the volume has no such result even after a reload."""
        if not _CALL_ID.fullmatch(call_id):
            return None
        path = os.path.join(self._directory, f"{call_id}.mp4")
        if os.path.exists(path):
            return path
        with self._lock:
            # Another request may have reloaded while this one waited for the lock.
            if not os.path.exists(path):
                self._reload()
        return path if os.path.exists(path) else None

    def _reload(self) -> None:
        for attempt in range(1, self._attempts + 1):
            try:
                self._volume.reload()
                return
            except RuntimeError as error:
                if attempt == self._attempts:
                    raise ResultsBusy(str(error)) from error
                self._sleep(self._pause_s * attempt)
