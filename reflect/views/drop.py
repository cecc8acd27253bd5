"""The upload URL of a collection: tools POST files to it without a login or CSRF token."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import documents as service
from .. import inbox, uploads
from ..models import Collection, Document


@csrf_exempt
@login_not_required
@require_POST
def drop(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    collection = inbox.collection_for_secret(pk=pk, secret=secret)
    if collection is None:
        raise Http404
    files = request.FILES.getlist("files") or request.FILES.getlist("file")
    results = [
        service.refused_while_streaming(name).as_json(url=Document.get_absolute_url)
        for name in uploads.refused_uploads(request)
    ]
    if not files and not results:
        return JsonResponse(
            {"results": [], "error": "Send at least one file (field “files”)."},
            status=400,
        )
    if len(files) > settings.REFLECT_MAX_FILES_PER_UPLOAD:
        error = (
            f"Too many files: at most {settings.REFLECT_MAX_FILES_PER_UPLOAD} at once."
        )
        return JsonResponse({"results": [], "error": error}, status=400)
    results += [_drop_one(collection, uploaded) for uploaded in files]
    return JsonResponse({"results": results, "error": ""})


def _drop_one(collection: Collection, uploaded: UploadedFile) -> dict:
    outcome = service.upload_file(
        owner=collection.owner, uploaded=uploaded, collection=collection
    )
    return outcome.as_json(url=Document.get_absolute_url)


@require_POST
def drop_secret(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    if request.POST.get("action") == "revoke":
        inbox.revoke_upload_secret(collection=collection)
    else:
        inbox.new_upload_secret(collection=collection)
    return redirect(f"{collection.get_absolute_url()}#upload-url")
