"""The API's schema lists each status, effort and error kind exactly as the model defines them."""

from reflect.api import api
from reflect.models import Document, Reflection


def _schema() -> dict:
    return api.get_openapi_schema()


def _enum(schema: dict) -> list[str]:
    """The values of a property or parameter schema, nullable or not."""
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            return option["enum"]
    raise AssertionError(f"no enum in {schema}")


def _query(schema: dict, path: str, name: str) -> dict:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


def _property(schema: dict, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


def test_each_status_filter_lists_its_own_models_statuses():
    schema = _schema()

    assert _enum(_query(schema, "/api/documents/", "status")) == Document.Status.values
    assert (
        _enum(_query(schema, "/api/reflections/", "status")) == Reflection.Status.values
    )


def test_answers_list_the_models_statuses_efforts_and_error_kinds():
    schema = _schema()

    assert _enum(_property(schema, "DocumentOut", "status")) == Document.Status.values
    assert (
        _enum(_property(schema, "ReflectionOut", "status")) == Reflection.Status.values
    )
    assert (
        _enum(_property(schema, "ReflectionOut", "effort")) == Reflection.Effort.values
    )
    assert _enum(_property(schema, "ReflectionOut", "error_kind")) == [
        "",
        *Reflection.ErrorKind.values,
    ]
    assert (
        _enum(_property(schema, "NotificationOut", "status"))
        == Reflection.Status.values
    )


def test_a_reflection_is_asked_with_one_of_the_models_efforts():
    assert (
        _enum(_property(_schema(), "ReflectionIn", "effort"))
        == Reflection.Effort.values
    )
