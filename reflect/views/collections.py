from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import documents as service
from ..forms import CollectionForm, DocumentSelectionForm
from ..models import Collection


def collection_list(request):
    form = CollectionForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        collection = service.create_collection(
            owner=request.user, name=form.cleaned_data["name"]
        )
        return redirect(collection)
    collections = Collection.objects.filter(owner=request.user).prefetch_related(
        "documents"
    )
    return render(
        request, "collections/list.html", {"collections": collections, "form": form}
    )


def collection_detail(request, pk: int):
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
            "rename_form": CollectionForm(instance=collection, owner=request.user),
        },
    )


@require_POST
def collection_rename(request, pk: int):
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = CollectionForm(request.POST, instance=collection, owner=request.user)
    if form.is_valid():
        service.rename_collection(collection=collection, name=form.cleaned_data["name"])
    else:
        messages.error(request, " ".join(form.errors.get("name", ["Invalid name."])))
    return redirect(collection)


@require_POST
def collection_delete(request, pk: int):
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    collection.delete()
    messages.success(
        request, f"Deleted collection {collection.name}; its documents are kept."
    )
    return redirect("collections")


@require_POST
def collection_add(request, pk: int):
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = DocumentSelectionForm(request.POST, owner=request.user)
    if form.is_valid():
        service.add_to_collection(
            collection=collection, document_ids=form.cleaned_data["documents"]
        )
    return redirect(collection)


@require_POST
def collection_remove(request, pk: int):
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = DocumentSelectionForm(request.POST, owner=request.user)
    if form.is_valid():
        service.remove_from_collection(
            collection=collection, document_ids=form.cleaned_data["documents"]
        )
    return redirect(collection)
