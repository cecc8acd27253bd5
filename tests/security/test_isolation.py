"""Nobody reaches another person's objects: every route of the URL resolver that takes an id is
tried by a stranger, with every method, and answers 404 (or 405) while nothing of the owner's
changes; list and search pages never show the owner's data; every POST needs a CSRF token.

The routes come from Django's resolver, not from a hand-written list, so a route added later is
tried too. A route with a parameter that ROUTES does not know how to fill fails the test: add it
there, naming which of the owner's objects fills each parameter.
"""

import json
import re
import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from reflect.models import (
    ApiToken,
    Collection,
    Document,
    InboxFailure,
    Notification,
    Reflection,
    Schedule,
)

from ..factories import make_document, make_reflection, make_user, verified_result

pytestmark = pytest.mark.django_db

MARKER = "zebra-merger-7731"
SEARCH = "merger-7731"

# Which of the owner's objects fills each parameter of a route, keyed by the route as the
# resolver spells it. A route missing here fails test_every_route_with_parameters_is_known.
ROUTES = {
    "documents/<int:pk>/": {"pk": "document"},
    "documents/<int:pk>/original/": {"pk": "document"},
    "documents/<int:pk>/delete/": {"pk": "document"},
    "collections/<int:pk>/": {"pk": "collection"},
    "collections/<int:pk>/rename/": {"pk": "collection"},
    "collections/<int:pk>/delete/": {"pk": "collection"},
    "collections/<int:pk>/add/": {"pk": "collection"},
    "collections/<int:pk>/remove/": {"pk": "collection"},
    "reflections/<int:pk>/": {"pk": "reflection"},
    "reflections/<int:pk>/cancel/": {"pk": "reflection"},
    "reflections/<int:pk>/retry/": {"pk": "reflection"},
    "reflections/<int:pk>/delete/": {"pk": "reflection"},
    "reflections/<int:pk>/follow-up/": {"pk": "reflection"},
    "reflections/<int:pk>/rerun/": {"pk": "reflection"},
    "reflections/<int:pk>/compare/<int:other>/": {
        "pk": "reflection",
        "other": "earlier",
    },
    "reflections/<int:pk>/export.md": {"pk": "reflection"},
    "notifications/<int:pk>/read/": {"pk": "notification"},
    "accounts/settings/tokens/<int:pk>/revoke/": {"pk": "api_token"},
    "inbox/failures/<int:pk>/retry/": {"pk": "inbox_failure"},
    "api/documents/<int:document_id>/": {"document_id": "document"},
    "api/collections/<int:collection_id>/": {"collection_id": "collection"},
    "api/collections/<int:collection_id>/documents/": {"collection_id": "collection"},
    "api/collections/<int:collection_id>/documents/<int:document_id>/": {
        "collection_id": "collection",
        "document_id": "document",
    },
    "api/reflections/<int:reflection_id>/": {"reflection_id": "reflection"},
    "api/reflections/<int:reflection_id>/cancel/": {"reflection_id": "reflection"},
    "api/reflections/<int:reflection_id>/retry/": {"reflection_id": "reflection"},
    "api/notifications/<int:notification_id>/read/": {
        "notification_id": "notification"
    },
    "collections/<int:pk>/schedules/new/": {"pk": "collection"},
    "collections/<int:pk>/upload-url/": {"pk": "collection"},
    "schedules/<int:pk>/": {"pk": "schedule"},
    "schedules/<int:pk>/edit/": {"pk": "schedule"},
    "schedules/<int:pk>/pause/": {"pk": "schedule"},
    "schedules/<int:pk>/delete/": {"pk": "schedule"},
    # The secret is the credential: a stranger may know the id, not the secret.
    "collections/<int:pk>/drop/<str:secret>/": {
        "pk": "collection",
        "secret": "upload_secret",
    },
}
# Routes that take no session cookie, so CSRF cannot apply: the upload URL's secret is its
# authorisation (tests/inbox/test_upload_url.py). Without the secret they answer 404.
CSRF_EXEMPT = {"collections/<int:pk>/drop/<str:secret>/"}
# Routes with a parameter that names no object. The password-reset link's parameters are a
# signed user id and token, which Django's own view checks (tests/accounts/test_passwords.py).
NO_OBJECT = {"api/^(?P<rest>.*)$", "accounts/password/reset/<uidb64>/<token>/"}


def walk(patterns=None, prefix=""):
    """(route, namespace) of every non-admin URL pattern, as the resolver spells the route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            for route, namespace in walk(
                pattern.url_patterns, prefix + str(pattern.pattern)
            ):
                yield route, namespace or pattern.namespace
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), None


def parameters(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(
        re.findall(r"\(\?P<(\w+)>", route)
    )


ALL_ROUTES = sorted(set(walk()))
OBJECT_ROUTES = sorted(
    route for route, _ in ALL_ROUTES if parameters(route) and route not in NO_OBJECT
)
PLAIN_ROUTES = sorted(route for route, _ in ALL_ROUTES if not parameters(route))


def is_api(route: str) -> bool:
    return route.startswith("api/")


@pytest.fixture
def world():
    owner = make_user("owner")
    document = make_document(
        owner, title=f"Board minutes {MARKER}", text=f"Zed: the {MARKER} closes Friday."
    )
    collection = Collection.objects.create(owner=owner, name=f"Board {MARKER}")
    collection.documents.add(document)
    earlier = make_reflection(
        owner,
        question=f"Earlier {MARKER}?",
        documents=[document],
        result=verified_result(document, f"the {MARKER} closes Friday", title=MARKER),
    )
    reflection = make_reflection(
        owner,
        question=f"Who owns {MARKER}?",
        status="failed",
        error="x",
        documents=[document],
        parent=earlier,
    )
    notification = Notification.objects.create(
        user=owner, reflection=reflection, status="failed", message=f"Failed: {MARKER}"
    )
    schedule = Schedule.objects.create(
        owner=owner,
        collection=collection,
        question=f"Weekly {MARKER}?",
        next_run_at=timezone.now() + timedelta(days=1),
    )
    inbox_failure = InboxFailure.objects.create(
        owner=owner, name=f"{MARKER}.pdf", reason="encrypted PDF"
    )
    collection.upload_secret = secrets.token_urlsafe(32)
    collection.save(update_fields=["upload_secret"])
    from reflect.api_tokens import create_token

    owner_token = create_token(user=owner, name=f"ci {MARKER}")
    stranger = make_user("stranger")
    stranger_token = create_token(user=stranger, name="mine")
    objects = {
        "document": document,
        "collection": collection,
        "reflection": reflection,
        "earlier": earlier,
        "notification": notification,
        "api_token": owner_token.token,
        "schedule": schedule,
        "inbox_failure": inbox_failure,
        "upload_secret": collection.upload_secret,
    }
    return {
        "owner": owner,
        "objects": objects,
        "owner_token": owner_token.raw,
        "stranger": stranger,
        "stranger_token": stranger_token.raw,
    }


def url_for(route: str, objects: dict, *, stranger: bool = True) -> str:
    if route not in ROUTES:
        pytest.fail(
            f"route {route!r} takes {sorted(parameters(route))} but tests/security/test_isolation.py "
            f"ROUTES does not say which of the owner's objects fills them: add it there"
        )
    url = route
    for name, kind in ROUTES[route].items():
        value = objects[kind].pk if hasattr(objects[kind], "pk") else objects[kind]
        if kind == "upload_secret" and stranger:
            value = secrets.token_urlsafe(32)  # a guess
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
    assert not parameters(url), f"{route}: parameters left unfilled in {url}"
    return "/" + url


def snapshot(owner) -> dict:
    """Everything of the owner's that a stranger might change."""
    return {
        "documents": list(Document.objects.filter(owner=owner).order_by("pk").values()),
        "collections": list(
            Collection.objects.filter(owner=owner).order_by("pk").values()
        ),
        "members": sorted(
            Collection.documents.through.objects.filter(
                collection__owner=owner
            ).values_list("collection_id", "document_id")
        ),
        "reflections": list(
            Reflection.objects.filter(owner=owner).order_by("pk").values()
        ),
        "notifications": list(
            Notification.objects.filter(user=owner).order_by("pk").values()
        ),
        "schedules": list(Schedule.objects.filter(owner=owner).order_by("pk").values()),
        "inbox failures": list(
            InboxFailure.objects.filter(owner=owner).order_by("pk").values()
        ),
        "tokens": list(
            ApiToken.objects.filter(user=owner)
            .order_by("pk")
            .values("pk", "name", "revoked_at")
        ),
    }


def stranger_client(world) -> Client:
    client = Client()
    client.force_login(world["stranger"])
    return client


def requests_of(route: str, url: str, world):
    """(label, response) for every method a stranger might use on this URL."""
    client = stranger_client(world)
    document = world["objects"]["document"]
    if is_api(route):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {world['stranger_token']}"}
        body = json.dumps(
            {"name": "mine", "question": "mine?", "document_ids": [document.pk]}
        )
        yield "GET", client.get(url, **auth)
        for method in ("post", "put", "patch", "delete"):
            yield (
                method.upper(),
                getattr(client, method)(
                    url, body, content_type="application/json", **auth
                ),
            )
        return
    form = {
        "name": "mine",
        "documents": [document.pk],
        "question": "mine?",
        "preset": "risks",
        "effort": "low",
        "start": "1",
    }
    yield "GET", client.get(url)
    yield "GET htmx", client.get(url, HTTP_HX_REQUEST="true")
    yield "POST", client.post(url, form)
    yield "POST htmx", client.post(url, form, HTTP_HX_REQUEST="true")


def test_every_route_with_parameters_is_known():
    unknown = [route for route in OBJECT_ROUTES if route not in ROUTES]
    assert not unknown, (
        f"routes taking an id that the isolation test cannot fill yet: {unknown}; add each "
        f"to ROUTES in tests/security/test_isolation.py"
    )


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_a_stranger_gets_404_on_every_route_that_takes_an_id_and_nothing_changes(
    world, route
):
    url = url_for(route, world["objects"])
    before = snapshot(world["owner"])

    answers = {
        label: response.status_code
        for label, response in requests_of(route, url, world)
    }

    assert set(answers.values()) <= {404, 405}, f"{url}: {answers}"
    assert 404 in answers.values(), f"{url}: never looked up ({answers})"
    assert snapshot(world["owner"]) == before, (
        f"{url}: a stranger changed the owner's data"
    )
    # The same URL is real for its owner: the 404 above is isolation, not a wrong id.
    owner = Client()
    owner.force_login(world["owner"])
    auth = (
        {"HTTP_AUTHORIZATION": f"Bearer {world['owner_token']}"}
        if is_api(route)
        else {}
    )
    if answers["GET"] == 404:
        own_url = url_for(route, world["objects"], stranger=False)
        assert owner.get(own_url, **auth).status_code != 404, (
            f"{own_url}: the owner gets 404 too"
        )


def test_the_isolation_walk_covers_the_api_and_every_object_kind():
    kinds = {
        kind
        for route in OBJECT_ROUTES
        if route in ROUTES
        for kind in ROUTES[route].values()
    }
    assert {"document", "collection", "reflection", "notification"} <= kinds
    print(
        f"{len(ALL_ROUTES)} routes walked, {len(OBJECT_ROUTES)} take an object id "
        f"({sum(is_api(r) for r in OBJECT_ROUTES)} in the API)"
    )


def test_lists_search_and_api_lists_never_show_another_persons_data(world):
    client = stranger_client(world)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world['stranger_token']}"}
    checked = []
    for route in PLAIN_ROUTES:
        if route in {"accounts/logout/", "events/"} or route.startswith("api/docs"):
            continue  # logging out, or an endless event stream
        # The search term matches the owner's data but is only part of MARKER: a page echoing
        # the term back is fine, one showing the owner's data is not.
        for query in ("", f"?q={SEARCH}", f"?search={SEARCH}"):
            response = client.get(f"/{route}{query}", **(auth if is_api(route) else {}))
            if response.status_code == 200 and not response.streaming:
                assert MARKER not in response.content.decode(errors="replace"), (
                    f"/{route}{query}"
                )
                checked.append(route)
    assert {"", "collections/", "reflections/", "notifications/"} <= set(checked)
    print(f"{len(set(checked))} list and search pages checked")


def test_every_post_without_a_csrf_token_is_refused(world):
    """A logged-in person's browser cannot be made to POST anywhere by another site."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    before = snapshot(world["owner"])
    refused = []
    for route, _ in ALL_ROUTES:
        if is_api(route) or route in NO_OBJECT:
            continue
        url = url_for(route, world["objects"]) if parameters(route) else f"/{route}"
        form = {
            "name": "x",
            "question": "x?",
            "documents": [world["objects"]["document"].pk],
        }
        response = client.post(url, form)
        expected = 404 if route in CSRF_EXEMPT else 403
        assert response.status_code == expected, (
            f"POST {url} without a CSRF token: {response.status_code}"
        )
        refused.append(url)
    assert snapshot(world["owner"]) == before
    print(f"{len(refused)} POST routes refuse a missing CSRF token")


def test_the_api_does_not_take_the_session_cookie_so_csrf_cannot_apply(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    before = snapshot(world["owner"])
    for route in OBJECT_ROUTES:
        if is_api(route):
            url = url_for(route, world["objects"])
            for method in ("post", "patch", "delete"):
                response = getattr(client, method)(
                    url, "{}", content_type="application/json"
                )
                assert response.status_code in {401, 405}, (
                    f"{method.upper()} {url}: {response.status_code}"
                )
    assert snapshot(world["owner"]) == before


def test_every_form_on_every_page_carries_a_csrf_token(world):
    client = Client()
    client.force_login(world["owner"])
    forms = 0
    for route, _ in ALL_ROUTES:
        if (
            is_api(route)
            or route in NO_OBJECT
            or route in {"events/", "accounts/logout/"}
        ):
            continue
        url = url_for(route, world["objects"]) if parameters(route) else f"/{route}"
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        for form in re.findall(
            r"<form\b.*?</form>", response.content.decode(), flags=re.S | re.I
        ):
            if re.search(r"method=[\"']?post", form, flags=re.I):
                forms += 1
                assert "csrfmiddlewaretoken" in form, (
                    f"{url}: a POST form without a CSRF token:\n{form[:300]}"
                )
    assert forms >= 5
    print(f"{forms} POST forms carry a CSRF token")


def test_admin_object_pages_are_closed_to_people_who_are_not_staff(world):
    client = stranger_client(world)
    response = client.get(
        f"/admin/reflect/document/{world['objects']['document'].pk}/change/"
    )

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
