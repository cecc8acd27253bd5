from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import ask_links, history, idempotency, liveness, manifests, results
from .. import notifications as notification_service
from ..forms import FollowUpForm, HistoryFilterForm, ReflectionForm
from ..models import Reflection
from ..reflections import asking, estimate_text, lifecycle


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
    """The ask form: a link fills it (ask_links), Start with the estimate it showed starts."""
    if request.method != "POST":
        initial, problems = ask_links.read_link(request.GET, owner=request.user)
        form = ReflectionForm(initial=initial, owner=request.user)
        estimated = ReflectionForm(ask_links.as_form_data(form), owner=request.user)
        context = _estimate_context(request, estimated) if initial else {}
        return _ask_page(request, form, problems=problems, **context)
    form = ReflectionForm(request.POST, owner=request.user)
    context = _estimate_context(request, form)
    if (
        "estimate" not in context  # the form is not valid, or cannot be estimated
        or "estimate" in request.POST  # the no-JavaScript "Update estimate"
        or not _confirmed(request, context)
    ):
        return _ask_page(request, form, **context)
    try:
        created = idempotency.create_once(
            owner=request.user,
            scope="form:ask",
            key=form.cleaned_data["submission"],
            body=form.fingerprint(),
            create=lambda: (
                asking.create_reflection(
                    owner=request.user, **form.reflection_kwargs()
                ).pk,
                302,
            ),
        )
    except (asking.ReflectionError, idempotency.KeyReused) as error:
        form.add_error(None, str(error))
        return _ask_page(request, form, **context)
    compare = form.cleaned_data["compare"]
    return redirect(
        reverse("reflection", args=[created.object_id])
        + (f"?compare={compare.pk}" if compare else "")
    )


def _confirmed(request: HttpRequest, context: dict) -> bool:
    """Whether Start was pressed on the estimate for these inputs (a free offline run
    needs no estimate); a Start that showed other inputs' estimate is refused, saying so."""
    if context["estimate"]["mode"] == "offline":
        return True
    if request.POST.get("start") == context["estimate_key"]:
        return True
    if "start" in request.POST:
        messages.warning(
            request, "The estimate changed: check it and press Start again."
        )
    return False


def ask_estimate(request: HttpRequest) -> HttpResponse:
    """The estimate and Start button for the form's current inputs (htmx, on each change)."""
    form = ReflectionForm(request.GET, owner=request.user)
    return render(
        request,
        "reflections/ask.html#estimate",
        {"form": form, **_estimate_context(request, form)},
    )


def _estimate_context(request: HttpRequest, form: ReflectionForm) -> dict:
    """{"estimate", "estimate_rows", "start_label", "estimate_key"} for a valid form, else
    {"estimate_problem"}: what is missing or wrong."""
    if not form.is_valid():
        problems = [m for errors in form.errors.values() for m in errors]
        return {"estimate_problem": " ".join(problems)}
    try:
        estimate = asking.estimate_reflection(
            owner=request.user, **form.reflection_kwargs()
        )
    except asking.ReflectionError as error:
        return {"estimate_problem": str(error)}
    return {
        "estimate": estimate,
        "estimate_rows": estimate_text.rows(estimate),
        "start_label": estimate_text.start_label(estimate),
        "estimate_key": form.estimate_key(),
    }


def _ask_page(
    request: HttpRequest, form: ReflectionForm, *, problems=(), **context
) -> HttpResponse:
    parent = form["parent"].value() and _owned(request, form["parent"].value())
    return render(
        request,
        "reflections/ask.html",
        {"form": form, "problems": problems, "parent": parent, **context},
    )


def _owned(request: HttpRequest, pk) -> Reflection | None:
    if not str(pk).isdecimal() or len(str(pk)) > 18:
        return None
    return Reflection.objects.filter(pk=int(pk), owner=request.user).first()


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
        **_result_context(request, reflection),
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


def _result_context(request: HttpRequest, reflection: Reflection) -> dict:
    """Findings in rank order (of one kind with ?kind=) and, once finished, what went in."""
    kinds = results.finding_kinds(reflection.result)
    wanted = request.GET.get("kind", "")
    kind = wanted if wanted in {k["kind"] for k in kinds} else ""
    return {
        "findings": results.ranked_findings(reflection.result, kind=kind),
        "kinds": kinds,
        "kind": kind,
        "went_in": manifests.went_in(reflection) if reflection.is_finished else None,
    }


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


@require_http_methods(["GET", "POST"])
def reflection_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the ask form as a follow-up (pre-filled, with its estimate); nothing starts here."""
    parent = get_object_or_404(Reflection, pk=pk, owner=request.user)
    query = QueryDict(mutable=True)
    query["parent"] = str(parent.pk)
    if question := request.POST.get("question", "").strip()[:2000]:
        query["question"] = question
    return redirect(f"{reverse('ask')}?{query.urlencode()}")


@require_http_methods(["GET", "POST"])
def reflection_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the ask form as a re-run of this reflection on its current documents."""
    earlier = get_object_or_404(Reflection, pk=pk, owner=request.user)
    return redirect(f"{reverse('ask')}?compare={earlier.pk}")


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
