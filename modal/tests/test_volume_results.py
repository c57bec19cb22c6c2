import threading

from fastapi.testclient import TestClient

from ugc_overlay.jobs import JobStatus
from ugc_overlay.volume_results import ResultsBusy, VolumeResults
from ugc_overlay.web import create_app


class FlakyVolume:
    """Modal's Volume.reload(): a RuntimeError while files on the volume are open."""

    def __init__(self, directory, refusals=0, writes=None):
        self.directory = directory
        self.refusals = refusals
        self.writes = writes or []
        self.reloads = 0

    def reload(self):
        self.reloads += 1
        if self.refusals > 0:
            self.refusals -= 1
            raise RuntimeError("there are open files preventing the operation")
        # A reload makes files committed by other containers visible.
        for name in self.writes:
            (self.directory / name).write_bytes(b"mp4")
        self.writes = []


def test_a_result_already_visible_is_served_without_a_reload(tmp_path):
    (tmp_path / "fc-1.mp4").write_bytes(b"mp4")
    volume = FlakyVolume(tmp_path, refusals=99)
    assert VolumeResults(volume, str(tmp_path)).path_for("fc-1") == str(tmp_path / "fc-1.mp4")
    assert volume.reloads == 0


def test_a_reload_refused_for_open_files_is_retried_and_finds_the_result(tmp_path):
    volume = FlakyVolume(tmp_path, refusals=3, writes=["fc-2.mp4"])
    pauses = []
    results = VolumeResults(volume, str(tmp_path), attempts=5, pause_s=0.01, sleep=pauses.append)
    assert results.path_for("fc-2") == str(tmp_path / "fc-2.mp4")
    assert volume.reloads == 4
    assert pauses == [0.01, 0.02, 0.03]


def test_a_volume_that_stays_busy_is_reported_busy_not_missing(tmp_path):
    volume = FlakyVolume(tmp_path, refusals=99, writes=["fc-3.mp4"])
    results = VolumeResults(volume, str(tmp_path), attempts=3, pause_s=0, sleep=lambda _: None)
    try:
        results.path_for("fc-3")
    except ResultsBusy as busy:
        assert "open files" in str(busy)
    else:
        raise AssertionError("expected ResultsBusy")
    assert volume.reloads == 3


def test_no_result_after_a_good_reload_is_none(tmp_path):
    volume = FlakyVolume(tmp_path)
    assert VolumeResults(volume, str(tmp_path)).path_for("fc-4") is None
    assert volume.reloads == 1


def test_a_call_id_that_is_not_one_never_reaches_the_file_system(tmp_path):
    (tmp_path / "secret.mp4").write_bytes(b"x")
    volume = FlakyVolume(tmp_path)
    results = VolumeResults(volume, str(tmp_path))
    assert results.path_for("../secret") is None
    assert results.path_for("a/b") is None
    assert volume.reloads == 0


def test_concurrent_downloads_reload_one_at_a_time(tmp_path):
    class CountingVolume(FlakyVolume):
        def __init__(self, directory):
            super().__init__(directory)
            self.inside = 0
            self.most_inside = 0
            self.gate = threading.Lock()

        def reload(self):
            with self.gate:
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
            threading.Event().wait(0.01)
            with self.gate:
                self.inside -= 1
            super().reload()

    volume = CountingVolume(tmp_path)
    results = VolumeResults(volume, str(tmp_path))
    threads = [threading.Thread(target=results.path_for, args=(f"fc-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert volume.most_inside == 1


class BusyBackend:
    """A backend whose result volume stays busy, as ModalJobBackend's does under load."""

    def submit(self, request):
        return "fc-busy"

    def status(self, call_id):
        return JobStatus("done", result={"frames": 1})

    def result_path(self, call_id):
        raise ResultsBusy("there are open files preventing the operation")

    def cancel(self, call_id):
        return True


def test_the_result_route_answers_503_with_retry_after_while_the_volume_is_busy():
    client = TestClient(create_app(BusyBackend(), token=""))
    response = client.get("/jobs/fc-busy/result")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["status"] == "busy"
