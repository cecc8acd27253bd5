from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and compose: answers without the database or Redis, so a
    slow dependency never gets healthy web processes restarted. Also the load bench's bare view."""
    return HttpResponse("ok", content_type="text/plain")
