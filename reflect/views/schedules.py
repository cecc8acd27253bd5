from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import schedules as service
from ..models import Collection, Schedule
from ..schedule_forms import ScheduleForm


def schedule_create(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    form = ScheduleForm(
        request.POST or None,
        instance=Schedule(owner=request.user, collection=collection),
    )
    if request.method == "POST" and form.is_valid():
        schedule = service.save_schedule(schedule=form.instance)
        return redirect("schedule", pk=schedule.pk)
    return render(
        request, "schedules/form.html", {"form": form, "collection": collection}
    )


def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(
        Schedule.objects.select_related("collection"), pk=pk, owner=request.user
    )
    runs = list(
        schedule.runs.order_by("-created_at", "-id").defer(
            "manifest", "snapshot", "estimate"
        )[:50]
    )
    # Each run beside the one before it, so consecutive runs can be compared.
    pairs = list(zip(runs, runs[1:] + [None], strict=False))
    return render(
        request,
        "schedules/detail.html",
        {
            "schedule": schedule,
            "pairs": pairs,
            "weekday": service.WEEKDAY_NAMES[schedule.weekday % 7],
        },
    )


def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(
        Schedule.objects.select_related("collection"), pk=pk, owner=request.user
    )
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        service.save_schedule(schedule=form.instance)
        return redirect("schedule", pk=schedule.pk)
    return render(
        request,
        "schedules/form.html",
        {"form": form, "collection": schedule.collection},
    )


@require_POST
def schedule_pause(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk, owner=request.user)
    service.set_enabled(schedule=schedule, enabled=not schedule.enabled)
    messages.success(
        request, "Schedule resumed." if schedule.enabled else "Schedule paused."
    )
    return redirect("schedule", pk=schedule.pk)


@require_POST
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk, owner=request.user)
    service.delete_schedule(schedule=schedule)
    messages.success(request, "Schedule deleted; its past runs are kept.")
    return redirect(schedule.collection)
