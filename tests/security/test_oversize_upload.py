"""A 200 MB file in an upload is dropped while it streams in: it never fills memory or the temporary
folder, the person is told which file was too big, and the other files of the same request are
still stored."""

import io
import secrets
import tracemalloc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from reflect.models import Document

from ..factories import make_user

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BIG = 200 * MB
LIMIT = 10 * MB
BOUNDARY = "----reflect-test-boundary-" + secrets.token_hex(8)
TXT = b"Alice: Who owns the vendor contract?\nBob: I will check.\n"
VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Bo>Budget review on Monday.</v>\n"


def part_head(name: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


class StreamedBody(io.RawIOBase):
    """A multipart body produced as it is read (the 200 MB are never in the test's memory), noting
    the largest size the temporary upload folder reached while the server read it."""

    def __init__(self, spool):
        self.spool = spool
        self.pieces = [
            part_head("notes.txt"),
            TXT,
            b"\r\n",
            part_head("huge.pdf"),
            b"%PDF-1.4\n",
        ]
        self.pieces += [
            ("huge", BIG - 9),
            b"\r\n",
            part_head("after.vtt"),
            VTT,
            b"\r\n",
            f"--{BOUNDARY}--\r\n".encode(),
        ]
        self.length = sum(p[1] if isinstance(p, tuple) else len(p) for p in self.pieces)
        self.chunk = b"\0" * MB
        self.since_look = 0
        self.largest_spool = 0

    def readable(self):
        return True

    def readinto(self, buffer) -> int:
        while self.pieces:
            piece = self.pieces[0]
            if isinstance(piece, tuple):
                if piece[1] == 0:
                    self.pieces.pop(0)
                    continue
                n = min(len(buffer), piece[1], MB)
                buffer[:n] = self.chunk[:n]
                self.pieces[0] = (piece[0], piece[1] - n)
                self._look(n)
                return n
            n = min(len(buffer), len(piece))
            buffer[:n] = piece[:n]
            self.pieces[0] = piece[n:]
            if not self.pieces[0]:
                self.pieces.pop(0)
            return n
        return 0

    def _look(self, n: int) -> None:
        self.since_look += n
        if self.since_look >= 4 * MB:
            self.since_look = 0
            self.largest_spool = max(
                self.largest_spool, sum(f.stat().st_size for f in self.spool.iterdir())
            )


def test_a_200_mb_file_is_dropped_while_streaming_and_its_neighbours_are_stored(
    client, settings, tmp_path
):
    settings.REFLECT_MAX_UPLOAD_BYTES = LIMIT
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    client.force_login(make_user())
    client.get("/")  # imports and URL patterns loaded before memory is traced
    csrf = secrets.token_hex(16)
    body = StreamedBody(spool)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/documents/upload/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_ACCEPT": "application/json",
        "HTTP_X_CSRFTOKEN": csrf,
        "HTTP_COOKIE": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "wsgi.errors": io.StringIO(),
        "REMOTE_ADDR": "127.0.0.1",
    }
    statuses = []

    # As Django's test client does: the test's database connection must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    tracemalloc.start()
    try:
        response = WSGIHandler()(
            environ, lambda status, headers: statuses.append(status)
        )
        payload = b"".join(response)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert statuses == ["200 OK"], payload[:2000]
    import json

    results = {r["name"]: r for r in json.loads(payload)["results"]}
    assert results["huge.pdf"] == {
        "name": "huge.pdf",
        "outcome": "rejected",
        "ok": False,
        "error": "file too large: more than 10 MB (the limit is 10 MB)",
        "document_id": None,
        "status": None,
        "url": None,
    }
    assert results["notes.txt"]["ok"] and results["after.vtt"]["ok"]
    assert sorted(Document.objects.values_list("original_name", flat=True)) == [
        "after.vtt",
        "notes.txt",
    ]
    assert body.pieces == [], (
        "the whole body was read (the protocol needs it for the next file)"
    )
    # Limits, not speed: nothing near the 200 MB was held in memory or written to disk.
    assert peak < 2 * LIMIT, f"peak Python memory {peak / MB:.0f} MB"
    assert body.largest_spool <= LIMIT + MB, (
        f"temporary upload folder reached {body.largest_spool / MB:.0f} MB"
    )
    print(
        f"200 MB upload: peak traced memory {peak / MB:.1f} MB, temporary folder at most "
        f"{body.largest_spool / MB:.1f} MB"
    )


def peak_rss(pid: int) -> int:
    status = open(f"/proc/{pid}/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


@pytest.mark.django_db(transaction=True)
def test_under_uvicorn_a_200_mb_upload_keeps_the_server_memory_flat(
    client, tmp_path, session_media_root
):
    """Production runs the ASGI app: Django's ASGI handler spools the body to a temporary file
    past FILE_UPLOAD_MAX_MEMORY_SIZE, so the server's memory stays flat; the size handler then
    drops the file and names it."""
    import http.client

    from ..conftest import TEST_QUEUE
    from ..workers import WebServer

    client.force_login(make_user())
    web = WebServer(
        media_root=session_media_root,
        log_path=tmp_path / "web.log",
        queue=TEST_QUEUE,
        env={"REFLECT_MAX_UPLOAD_BYTES": str(LIMIT)},
    ).start()
    try:
        csrf = secrets.token_hex(16)
        headers = {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Accept": "application/json",
        }
        connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=120)
        connection.request("GET", "/", headers=headers)
        connection.getresponse().read()
        before = peak_rss(web.process.pid)
        body = StreamedBody(tmp_path)
        connection.putrequest("POST", "/documents/upload/")
        for name, value in {
            **headers,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(body.length),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        buffer = bytearray(MB)
        while n := body.readinto(buffer):
            connection.send(bytes(buffer[:n]))
        response = connection.getresponse()
        payload = response.read()
        growth = peak_rss(web.process.pid) - before
    finally:
        web.stop()

    assert response.status == 200, payload[:2000]
    import json

    results = {r["name"]: r for r in json.loads(payload)["results"]}
    assert (
        results["huge.pdf"]["error"]
        == "file too large: more than 10 MB (the limit is 10 MB)"
    )
    assert results["notes.txt"]["ok"] and results["after.vtt"]["ok"]
    assert growth < 2 * LIMIT, (
        f"the web server's peak memory grew by {growth / MB:.0f} MB"
    )
    print(f"uvicorn, 200 MB upload: server peak RSS grew by {growth / MB:.1f} MB")
