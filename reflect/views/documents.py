from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import documents as service
from .. import inbox, uploads
from ..collections import add_to_collection
from ..document_filters import DocumentFilterForm, documents_page
from ..extraction import locators
from ..forms import DocumentSelectionForm
from ..models import Collection, Document, InboxFailure, User


def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None, owner=request.user)
    page = documents_page(
        owner=request.user,
        filters=form.cleaned_data if form.is_valid() else {},
        number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "live": any(not d.is_finished for d in page),
        "collections": form.fields["collection"].queryset,
        # The newest few: a folder of hundreds of failures is not a list to read here.
        "inbox_failures": request.user.inbox_failures.all()[:INBOX_FAILURES_SHOWN],
        "max_upload_mb": settings.REFLECT_MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_files": settings.REFLECT_MAX_FILES_PER_UPLOAD,
    }
    template = (
        "documents/list.html#document-table" if request.htmx else "documents/list.html"
    )
    return render(request, template, context)


INBOX_FAILURES_SHOWN = 20


@require_POST
def inbox_failure_retry(request: HttpRequest, pk: int) -> HttpResponse:
    failure = get_object_or_404(InboxFailure, pk=pk, owner=request.user)
    if inbox.retry_failure(failure=failure):
        messages.success(request, f"{failure.name} is being read again.")
    else:
        messages.info(
            request, f"{failure.name} will be retried at the next inbox scan."
        )
    return redirect("documents")


def is_id(raw: str) -> bool:
    """ASCII digits that fit a database integer: str.isdigit() also takes "²", which int()
    refuses, and a 20-digit number overflows SQLite's integer in a pk__in lookup."""
    return raw.isascii() and raw.isdecimal() and len(raw) <= 18


# The most documents one status request reports on: an upload's files at most.
MAX_STATUS_IDS = 100


def document_status(request: HttpRequest) -> JsonResponse:
    """Status and error of the person's documents `?id=1&id=2`: the upload list polls it
    to follow each file it sent to ready or failed."""
    ids = [int(i) for i in request.GET.getlist("id") if is_id(i)][:MAX_STATUS_IDS]
    docs = Document.objects.filter(owner=request.user, pk__in=ids).only(
        "pk", "status", "error"
    )
    return JsonResponse(
        {
            "documents": [
                {
                    "id": d.pk,
                    "status": d.status,
                    "label": d.get_status_display(),
                    "finished": d.is_finished,
                    "error": d.error if d.status == Document.Status.FAILED else "",
                }
                for d in docs
            ]
        }
    )


@require_POST
def add_selected_to_collection(request: HttpRequest) -> HttpResponse:
    """The documents ticked on the list, added to the collection chosen beside them."""
    collection = get_object_or_404(
        Collection, pk=_int(request.POST.get("to_collection")), owner=request.user
    )
    form = DocumentSelectionForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, "Tick at least one of your documents first.")
        return _to(request, reverse("documents"))
    added = add_to_collection(
        collection=collection, document_ids=form.cleaned_data["documents"]
    )
    messages.success(request, f"Added {added} document(s) to {collection.name}.")
    return _to(request, collection.get_absolute_url())


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and is_id(raw) else None


def _to(request: HttpRequest, url: str) -> HttpResponse:
    # htmx follows a plain redirect inside the page; this one must load the whole page.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    files = request.FILES.getlist("files")
    # Files dropped while streaming in for being over the size limit (reflect/uploads.py).
    too_large = [
        service.refused_while_streaming(name).as_json(url=Document.get_absolute_url)
        for name in uploads.refused_uploads(request)
    ]
    if not files and not too_large:
        return _upload_response(request, [], error="Choose at least one file.")
    if len(files) > settings.REFLECT_MAX_FILES_PER_UPLOAD:
        return _upload_response(
            request,
            [],
            error=f"Too many files: at most {settings.REFLECT_MAX_FILES_PER_UPLOAD} at once.",
        )
    results = too_large + [_upload_one(request.user, f) for f in files]
    return _upload_response(request, results)


def _upload_one(owner: User, uploaded: UploadedFile) -> dict:
    outcome = service.upload_file(owner=owner, uploaded=uploaded)
    return outcome.as_json(url=Document.get_absolute_url)


def _upload_response(
    request: HttpRequest, results: list[dict], error: str = ""
) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse(
            {"results": results, "error": error}, status=400 if error else 200
        )
    for result in results:
        if not result["ok"]:
            messages.error(request, f"{result['name']}: {result['error']}")
        elif result["outcome"] == "duplicate":
            messages.info(request, f"{result['name']} was already uploaded.")
    if error:
        messages.error(request, error)
    return redirect("documents")


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.htmx:  # the status poll: the text is neither loaded nor rendered
        document = get_object_or_404(
            Document.objects.defer("text", "segments"), pk=pk, owner=request.user
        )
        return render(
            request,
            "documents/detail.html#document-status",
            {"document": document, "collections": document.collections.all()},
        )
    document = get_object_or_404(Document, pk=pk, owner=request.user)
    text_page = page_of_text(
        document,
        number=request.GET.get("page", ""),
        highlight=parse_range(request.GET.get("hl", "")),
    )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "text_page": text_page,
            "blocks": text_page.blocks,
            "collections": document.collections.all(),
        },
    )


def parse_range(raw: str) -> tuple[int, int] | None:
    start, _, end = raw.partition("-")
    if is_id(start) and is_id(end) and int(start) < int(end):
        return int(start), int(end)
    return None


# One page of a document's text holds at most this many blocks and characters (a longer
# block is cut), so no page is slow to render or heavy to load whatever the file (#14).
PAGE_BLOCKS = 500
PAGE_CHARS = 100_000


@dataclass(frozen=True)
class TextPage:
    number: int
    count: int
    blocks: list[dict]
    previous_url: str = ""
    next_url: str = ""


def page_of_text(
    document: Document, *, number: str, highlight: tuple[int, int] | None
) -> TextPage:
    """The page `number` of the text, else the one holding `highlight`, else the first.

    A page number past the end gives the last page.
    """
    wanted = int(number) if is_id(number) and int(number) > 0 else None
    chosen = first = last = None
    count = 0
    for count, pieces in enumerate(_pages(document.segments), start=1):
        last = (count, pieces)
        first = first or last
        if chosen is None and (
            count == wanted
            or (wanted is None and highlight and pieces[-1][2] > highlight[0])
        ):
            chosen = last
    chosen = chosen or (last if wanted else first)
    if chosen is None:
        return TextPage(number=1, count=0, blocks=[])
    current, pieces = chosen
    keep = f"&hl={highlight[0]}-{highlight[1]}" if highlight else ""
    return TextPage(
        number=current,
        count=count,
        blocks=document_blocks(document, pieces=pieces, highlight=highlight),
        previous_url=f"?page={current - 1}{keep}#extracted-text" if current > 1 else "",
        next_url=f"?page={current + 1}{keep}#extracted-text" if current < count else "",
    )


def _pages(segments: list[dict]):
    """Yield each page as a list of (segment, start, end) pieces."""
    page: list[tuple[dict, int, int]] = []
    size = 0
    for segment in segments:
        start, end = segment["start"], segment["end"]
        for lo in range(start, max(end, start + 1), PAGE_CHARS):
            hi = min(end, lo + PAGE_CHARS)
            if page and (len(page) == PAGE_BLOCKS or size + hi - lo > PAGE_CHARS):
                yield page
                page, size = [], 0
            page.append((segment, lo, hi))
            size += hi - lo
    if page:
        yield page


def document_blocks(
    document: Document,
    *,
    pieces: list[tuple[dict, int, int]],
    highlight: tuple[int, int] | None = None,
) -> list[dict]:
    """The pieces of the extracted text, each with its segment's locator, for display.

    Blocks overlapping `highlight` (a quoted passage) carry it as before / marked / after.
    """
    text = document.text
    blocks = []
    for segment, start, end in pieces:
        block = {
            "text": text[start:end],
            "start": start,
            "end": end,
            "where": locators.label(locators.of_segment(segment)),
        }
        if highlight and highlight[0] < end and highlight[1] > start:
            lo, hi = max(highlight[0], start), min(highlight[1], end)
            block.update(
                before=text[start:lo],
                marked=text[lo:hi],
                after=text[hi:end],
                first_mark=not any("marked" in b for b in blocks),
            )
        blocks.append(block)
    return blocks


def document_original(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document, pk=pk, owner=request.user)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk, owner=request.user)
    service.delete_document(document=document)
    messages.success(request, f"Deleted {document.title}.")
    return redirect("documents")
