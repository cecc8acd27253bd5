from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import collections as service
from ..forms import CollectionForm, DocumentSelectionForm
from ..models import Collection


def collection_list(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = service.create_collection(
                owner=request.user, name=form.cleaned_data["name"]
            )
        except service.CollectionNameError as error:
            form.add_error("name", error.message)
        else:
            return redirect(collection)
    collections = Collection.objects.filter(owner=request.user).prefetch_related(
        "documents"
    )
    return render(
        request, "collections/list.html", {"collections": collections, "form": form}
    )


def collection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    members = collection.documents.defer("text", "segments")
    others = request.user.documents.exclude(pk__in=members.values("pk")).defer(
        "text", "segments"
    )
    return render(
        request,
        "collections/detail.html",
        {
            "collection": collection,
            "members": members,
            "others": others,
            "rename_form": CollectionForm(initial={"name": collection.name}),
        },
    )


@require_POST
def collection_rename(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = CollectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect(collection)
    try:
        service.rename_collection(collection=collection, name=form.cleaned_data["name"])
    except service.CollectionNameError as error:
        messages.error(request, error.message)
    return redirect(collection)


@require_POST
def collection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    service.delete_collection(collection=collection)
    messages.success(
        request, f"Deleted collection {collection.name}; its documents are kept."
    )
    return redirect("collections")


@require_POST
def collection_add(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = DocumentSelectionForm(request.POST, owner=request.user)
    if form.is_valid():
        service.add_to_collection(
            collection=collection, document_ids=form.cleaned_data["documents"]
        )
    return redirect(collection)


@require_POST
def collection_remove(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = DocumentSelectionForm(request.POST, owner=request.user)
    if form.is_valid():
        service.remove_from_collection(
            collection=collection, document_ids=form.cleaned_data["documents"]
        )
    return redirect(collection)
