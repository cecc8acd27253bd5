from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import history, idempotency, liveness, results
from .. import notifications as notification_service
from ..forms import AskForm, FollowUpForm, HistoryFilterForm
from ..models import Reflection
from ..reflections import asking, lifecycle


def reflection_list(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET or None, owner=request.user)
    reflections = history.search(
        owner=request.user, filters=form.cleaned_data if form.is_valid() else {}
    )
    page = Paginator(reflections, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reflections/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or request.GET or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if "estimate" in request.POST:
                estimate = asking.estimate_reflection(
                    owner=request.user, **form.scope(), **form.question_kwargs()
                )
                template = (
                    "reflections/ask.html#estimate"
                    if request.htmx
                    else "reflections/ask.html"
                )
                return render(request, template, {"estimate": estimate, "form": form})
            created = idempotency.create_once(
                owner=request.user,
                scope="form:ask",
                key=form.cleaned_data["submission"],
                body=form.fingerprint(),
                create=lambda: (
                    asking.create_reflection(
                        owner=request.user, **form.scope(), **form.question_kwargs()
                    ).pk,
                    302,
                ),
            )
        except (asking.ReflectionError, idempotency.KeyReused) as error:
            form.add_error(None, str(error))
        else:
            return redirect("reflection", created.object_id)
    elif request.method == "GET" and not request.GET:
        form = AskForm(owner=request.user)
    return render(request, "reflections/ask.html", {"form": form})


def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(
        Reflection.objects.select_related("collection", "parent"),
        pk=pk,
        owner=request.user,
    )
    if reflection.is_finished and not request.htmx:
        # Read when the person opens the page; a result arriving while they watch still
        # counts on the bell until they come back to it.
        notification_service.mark_reflection_read(
            user=request.user, reflection_id=reflection.pk
        )
    context = {
        "reflection": reflection,
        "groups": results.grouped_findings(reflection.result),
        "workers_alive": liveness.workers_alive()
        if not reflection.is_finished
        else True,
        "follow_up_form": FollowUpForm(),
        "compare_with": _earlier_run(request, reflection),
    }
    if request.htmx:
        response = render(request, "reflections/detail.html#reflection-body", context)
        if reflection.is_finished:
            # The result is in: stop polling (htmx swaps this response, then stops).
            response.status_code = 286
        return response
    return render(request, "reflections/detail.html", context)


def _earlier_run(request: HttpRequest, reflection: Reflection) -> int | None:
    """The owner's reflection named by ?compare=, if it is one (anything else is ignored)."""
    wanted = request.GET.get("compare", "")
    if not wanted.isdecimal() or len(wanted) > 18:
        return None
    earlier = Reflection.objects.filter(pk=int(wanted), owner=request.user)
    return earlier.values_list("pk", flat=True).first()


@require_POST
def reflection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection, pk=pk, owner=request.user)
    if not lifecycle.cancel_reflection(reflection=reflection):
        messages.error(request, "Only a queued or running reflection can be cancelled.")
    return redirect(reflection)


@require_POST
def reflection_retry(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection, pk=pk, owner=request.user)
    try:
        lifecycle.retry_reflection(reflection=reflection)
    except asking.ReflectionError as error:
        messages.error(request, str(error))
    return redirect(reflection)


@require_POST
def reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection, pk=pk, owner=request.user)
    lifecycle.delete_reflection(reflection=reflection)
    messages.success(request, "Reflection deleted.")
    return redirect("reflections")


@require_POST
def reflection_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(Reflection, pk=pk, owner=request.user)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a question to ask.")
        return redirect(parent)
    try:
        reflection = asking.create_reflection(
            owner=request.user,
            parent=parent,
            effort=parent.effort,
            question=form.cleaned_data["question"],
        )
    except asking.ReflectionError as error:
        messages.error(request, str(error))
        return redirect(parent)
    return redirect(reflection)


@require_POST
def reflection_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    earlier = get_object_or_404(Reflection, pk=pk, owner=request.user)
    scope = (
        {"collection": earlier.collection}
        if earlier.collection
        else {"document_ids": earlier.document_ids}
    )
    try:
        reflection = asking.create_reflection(
            owner=request.user,
            question=earlier.question,
            preset=earlier.preset,
            effort=earlier.effort,
            provider=earlier.provider,
            **scope,
        )
    except asking.ReflectionError as error:
        messages.error(request, str(error))
        return redirect(earlier)
    return redirect(f"{reflection.get_absolute_url()}?compare={earlier.pk}")


def reflection_compare(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection, pk=pk, owner=request.user)
    earlier = get_object_or_404(Reflection, pk=other, owner=request.user)
    comparison = history.compare(earlier=earlier, later=reflection)
    return render(
        request,
        "reflections/compare.html",
        {"reflection": reflection, "earlier": earlier, "comparison": comparison},
    )


def reflection_export(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection, pk=pk, owner=request.user)
    response = HttpResponse(
        results.as_markdown(reflection=reflection),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="reflection-{reflection.pk}.md"'
    )
    return response
