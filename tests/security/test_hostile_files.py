"""Broken and hostile files uploaded together through the upload view, processed by a real worker:
each gets a specific error (at upload or from extraction), the good files of the same upload
become ready, the worker stays within memory, survives, and still processes the next upload.

The extraction tests (tests/extraction/) prove each parser's behaviour in-process; this proves the
security property end to end, through the view, the queue and a worker process.
"""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reflect.models import Document

from ..conftest import SHARED_CORPUS
from ..extraction.hostile_files import paragraph_bomb, shared_stream_pdf
from ..factories import make_user
from ..workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

MB = 1024 * 1024

# Every corpus file the extractors refuse (see SOURCES.md "Parser raises", "Password needed", the
# empty and unsupported files), by path under the corpus.
BROKEN_CORPUS = [
    "docx/mammoth/external-picture.docx",
    "docx/mammoth/strict-format.docx",
    "docx/python-docx/doc-no-coreprops.docx",
    "docx/python-docx/having-images.docx",
    "docx/python-docx/set-no-settings-part.docx",
    "docx/python-docx/shp-inline-shape-access.docx",
    "docx/python-docx/sty-having-no-styles-part.docx",
    "meetings/qmsum/ami-ES2004/ES2004a.json",
    "meetings/qmsum/ami-ES2004/queries.jsonl",
    "pdf/pdfjs/PDFBOX-3148-2-fuzzed.pdf",
    "pdf/pdfjs/Pages-tree-refs.pdf",
    "pdf/pdfjs/REDHAT-1531897-0.pdf",
    "pdf/pdfjs/auth-event-ef-open.pdf",
    "pdf/pdfjs/bug1020226.pdf",
    "pdf/pdfjs/bug1250079.pdf",
    "pdf/pdfjs/empty_protected.pdf",
    "pdf/pdfjs/issue15590.pdf",
    "pdf/pdfjs/issue19484_1.pdf",
    "pdf/pdfjs/issue19484_2.pdf",
    "pdf/pdfjs/issue19800.pdf",
    "pdf/pdfjs/issue1985.pdf",
    "pdf/pdfjs/issue21579.pdf",
    "pdf/pdfjs/issue6010_2.pdf",
    "pdf/pdfjs/operator-in-TJ-array.pdf",
    "pdf/pdfjs/poppler-937-0-fuzzed.pdf",
    "pdf/pdfjs/pr6531_1.pdf",
    "pdf/pdfjs/print_protection.pdf",
    "pdf/pdfjs/saslprep-r6.pdf",
    "pdf/pypdf/crazyones-encrypted-256.pdf",
    "pdf/pypdf/encrypted_doc_no_id.pdf",
    "pdf/pypdf/encryption-r2-user-password.pdf",
    "pdf/pypdf/encryption-r4-aes-user-password.pdf",
    "pdf/pypdf/encryption-r6-both-passwords.pdf",
    "pdf/pypdf/git.pdf",
    "pdf/pypdf/imagemagick-CCITTFaxDecode.pdf",
    "pdf/pypdf/libreoffice-writer-password.pdf",
    "transcripts/srt/webvtt-py/invalid_format1.srt",
    "transcripts/srt/webvtt-py/invalid_format4.srt",
    "transcripts/vtt/go-astisub/broken-1-in.vtt",
    "transcripts/vtt/vtt.js/cue-times__max-spots-over-sixty.vtt",
    "transcripts/vtt/vtt.js/file-layout__bad-double-webvtt.vtt",
    "transcripts/vtt/vtt.js/file-layout__blank-file-with-bom.vtt",
    "transcripts/vtt/vtt.js/file-layout__garbage-signature.vtt",
    "transcripts/vtt/webvtt-py/empty.vtt",
    "transcripts/vtt/webvtt-py/no_captions.vtt",
]
# What a person may be told: each names the problem; none is the catch-all internal error.
SPECIFIC = re.compile(
    r"^(damaged file: .+|encrypted PDF: a password is needed|empty file.*|no text layer: .+"
    r"|this file is named \.\w+ but .+|unsupported file type: .+|Strict Open XML .+"
    r"|file too large.+|too many pages: \d+ \(the limit is \d+\)"
    r"|the text is longer than [\d,]+ characters .+|more than [\d,]+ \w+: split the file)$"
)
GOOD_TRANSCRIPT = (
    b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We ship on Friday.</v>\n"
)


def docx_with_body(xml: bytes) -> bytes:
    """A minimal Word document whose word/document.xml is `xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"
            ),
        )
        archive.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument" Target="word/document.xml"/></Relationships>'
            ),
        )
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def word_xml(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>'
    ).encode()


def zip_bomb(tmp_path: Path, size: int, *, forged_size: int | None = None) -> bytes:
    """A .docx whose document.xml inflates to `size` bytes; with `forged_size` its zip headers
    claim that smaller size instead (a bomb that lies to a directory check)."""
    path = tmp_path / f"bomb-{size}-{forged_size}.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"<w:t>" + b"A" * (MB - 11) + b"</w:t>"
            for _ in range(size // MB):
                member.write(chunk)
    data = bytearray(path.read_bytes())
    if forged_size is not None:
        name = b"word/document.xml"
        local, central = data.index(name) - 30, data.rindex(name) - 46
        assert (
            data[local : local + 4] == b"PK\x03\x04"
            and data[central : central + 4] == b"PK\x01\x02"
        )
        data[local + 22 : local + 26] = forged_size.to_bytes(4, "little")
        data[central + 24 : central + 28] = forged_size.to_bytes(4, "little")
    return bytes(data)


def many_blank_pages(count: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def hostile_files(tmp_path) -> list[tuple[str, bytes, str]]:
    """(name, bytes, what must happen): "ready", "error" (a specific one) or "error:<how it starts>"."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    files = [
        (
            "bomb.docx",
            zip_bomb(tmp_path, 300 * MB),
            "error:file too large when uncompressed: 300 MB",
        ),
        (
            "lying-bomb.docx",
            zip_bomb(tmp_path, 300 * MB, forged_size=4096),
            "error:damaged file",
        ),
        (
            "laughs.docx",
            docx_with_body(
                word_xml(f'<!DOCTYPE d [<!ENTITY l0 "ha">{laughs}]>', "&l9;")
            ),
            "error:damaged file",
        ),
        (
            "thousands-of-pages.pdf",
            many_blank_pages(5000),
            "error:too many pages: 5000",
        ),
        (
            "paragraph-bomb.docx",
            paragraph_bomb(),
            "error:more than 100,000 paragraphs: split the file",
        ),
        (
            "shared-stream.pdf",
            shared_stream_pdf(),
            "error:the text is longer than 2,000,000 characters",
        ),
        ("nothing.pdf", b"", "error:empty file"),
        (
            "setup.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
            + b"\x00" * 4000
            + b"This program cannot be run",
            "error:this file is named .pdf but its content is not a PDF (it looks like a Windows program)",
        ),
        (
            "../../../etc/cron.d/evil.txt",
            b"Alice: the path-traversal file is just text.\n",
            "ready",
        ),
        (
            "C:\\Windows\\system32\\evil.txt",
            b"Bob: so is the backslash one.\n",
            "ready",
        ),
        (
            "con\x7ftrol\x07\x1b[31m\tchars.txt",
            b"Carol: control characters in the name.\n",
            "ready",
        ),
        (
            '<img src=x onerror="window.__pwned=1">.txt',
            b"Dan: HTML in the name.\n",
            "ready",
        ),
        (
            "xxe.docx",
            docx_with_body(
                word_xml(
                    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                    "External: &x; end.",
                )
            ),
            "error-or-ready",
        ),
    ]
    files += [
        (Path(path).name, (SHARED_CORPUS / path).read_bytes(), "error")
        for path in BROKEN_CORPUS
    ]
    files.append(("standup.vtt", GOOD_TRANSCRIPT, "ready"))
    return files


def worker_peak_rss(worker) -> int:
    """Peak resident memory (bytes) of the worker's pool processes, from /proc."""
    pid = worker.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    peaks = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024)
    return max(peaks)


def test_hostile_files_fail_specifically_and_the_worker_survives_to_process_the_next(
    client, live_worker, tmp_path
):
    client.force_login(make_user())
    files = hostile_files(tmp_path)

    response = client.post(
        "/documents/upload/",
        {"files": [SimpleUploadedFile(n, d) for n, d, _ in files]},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200, response.content[:2000]
    results = response.json()["results"]
    assert len(results) == len(files)
    ids = [r["document_id"] for r in results if r["ok"]]
    wait_for(
        lambda: (
            not Document.objects.filter(
                pk__in=ids, status__in=["pending", "extracting"]
            ).exists()
        ),
        timeout=120,
        message=f"extraction of {len(ids)} files in the worker",
    )
    refused_at_upload = failed = ready = 0
    for (name, _, expected), result in zip(files, results, strict=False):
        if not result["ok"]:
            assert expected.startswith("error"), (name, result)
            assert SPECIFIC.match(result["error"]), (name, result["error"])
            assert result["error"].startswith(expected.partition(":")[2]), (
                name,
                result["error"],
            )
            refused_at_upload += 1
            continue
        document = Document.objects.get(pk=result["document_id"])
        assert not re.search(r"[/\\\x00-\x1f\x7f]", document.original_name), (
            document.original_name
        )
        if document.status == "failed":
            assert expected.startswith("error"), (name, document.error)
            assert SPECIFIC.match(document.error), (name, document.error)
            assert document.error.startswith(expected.partition(":")[2]), (
                name,
                document.error,
            )
            failed += 1
        else:
            assert document.status == "ready" and expected.endswith("ready"), (
                name,
                document.status,
            )
            assert "root:" not in document.text, "an external entity was resolved"
            ready += 1
    # Names are kept as people wrote them (HTML included) and escaped wherever they are shown.
    for page in (
        client.get("/").content,
        *(client.get(f"/documents/{pk}/").content for pk in ids),
    ):
        assert b"<img src=x" not in page
    assert live_worker.process.poll() is None, live_worker.log()
    peak = worker_peak_rss(live_worker)
    assert peak < 1024 * MB, f"worker pool process peaked at {peak / MB:.0f} MB"

    next_file = SimpleUploadedFile("after.vtt", GOOD_TRANSCRIPT + b"\n")
    after = client.post(
        "/documents/upload/", {"files": [next_file]}, HTTP_ACCEPT="application/json"
    ).json()["results"][0]
    document = wait_for(
        lambda: Document.objects.filter(
            pk=after["document_id"], status="ready"
        ).first(),
        timeout=30,
        message="the next upload after the hostile batch",
    )
    assert "We ship on Friday." in document.text
    print(
        f"{len(files)} files: {refused_at_upload} refused at upload, {failed} failed extraction with a "
        f"specific error, {ready} ready; worker pool peak RSS {peak / MB:.0f} MB"
    )
