"""Links that open the ask form pre-filled: from a collection, a document, a selection, a
follow-up or a re-run. A link only fills the form; nothing starts until its Start is pressed.

    /reflections/new/?collection=<id>&documents=<id>&documents=<id>&question=...
        &preset=<slug>&effort=<level>&parent=<reflection id>&compare=<reflection id>

`parent` makes a follow-up (its documents, its effort); `compare` a re-run of that
reflection (its question, effort and collection or documents), the new result compared
with it. Explicit parameters win over what those bring. An id that is not the person's is
named as refused on the form and fills nothing: never someone else's data.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from .forms import (
    NOT_YOUR_COLLECTION,
    NOT_YOUR_DOCUMENT,
    NOT_YOUR_REFLECTION,
    _presets,
    _ready_documents,
)
from .models import Collection, Reflection, User


class AskLinkForm(forms.Form):
    question = forms.CharField(required=False, max_length=2000)
    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_YOUR_COLLECTION},
    )
    # Checked by clean_documents: the ready ones are kept, the rest left out and named.
    documents = forms.Field(required=False)
    preset = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no preset question %(value)s."},
    )
    effort = forms.ChoiceField(required=False, choices=Reflection.Effort.choices)
    parent = forms.ModelChoiceField(
        queryset=Reflection.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_YOUR_REFLECTION},
    )
    compare = forms.ModelChoiceField(
        queryset=Reflection.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_YOUR_REFLECTION},
    )

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=owner)
        self.ready = {pk for pk, _ in _ready_documents(owner)}
        self.left_out: list[str] = []
        self.fields["preset"].choices = list(_presets().items())
        for name in ("parent", "compare"):
            self.fields[name].queryset = Reflection.objects.filter(owner=owner)

    def clean_documents(self) -> list[int]:
        kept = []
        for value in self.data.getlist("documents"):
            if value.isdecimal() and len(value) < 19 and int(value) in self.ready:
                kept.append(int(value))
            else:
                self.left_out.append(NOT_YOUR_DOCUMENT % {"value": value[:40]})
        return kept

    def prefill(self) -> dict:
        """The ask form's initial values from the parameters that are valid."""
        link = {name: self.cleaned_data.get(name) or None for name in self.fields}
        initial: dict = {}
        if earlier := link["compare"]:
            initial |= _scope_of(earlier, self.ready, keep_collection=True)
            initial |= {"question": earlier.question, "preset": earlier.preset}
            initial |= {"effort": earlier.effort, "compare": earlier.pk}
        if parent := link["parent"]:
            # A follow-up reads what its parent read, not the collection as it is now.
            initial |= _scope_of(parent, self.ready, keep_collection=False)
            initial |= {"effort": parent.effort, "parent": parent.pk}
        if link["collection"] or link["documents"]:
            initial.pop("collection", None)
            initial.pop("documents", None)
        given = {k: v for k, v in link.items() if v and k not in ("parent", "compare")}
        initial |= {k: getattr(v, "pk", v) for k, v in given.items()}
        # A question or a preset given alone replaces both of the reflection's.
        if link["question"] and not link["preset"]:
            initial.pop("preset", None)
        if link["preset"] and not link["question"]:
            initial.pop("question", None)
        return initial

    def problems(self) -> list[str]:
        refused = [message for errors in self.errors.values() for message in errors]
        return refused + self.left_out


def _scope_of(reflection: Reflection, ready: set[int], *, keep_collection: bool):
    if keep_collection and reflection.collection_id:
        return {"collection": reflection.collection_id}
    return {"documents": [pk for pk in reflection.document_ids if pk in ready]}


def as_form_data(form: forms.Form) -> QueryDict:
    """An unbound form's initial values as it would submit them, to estimate what a link
    filled in before anything is pressed."""
    data = QueryDict(mutable=True)
    for field in form:
        value = field.initial
        if value is None or value is False or value == "" or value == []:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        data.setlist(field.name, [str(getattr(v, "pk", v)) for v in values])
    return data


def read_link(query: QueryDict, *, owner: User) -> tuple[dict, list[str]]:
    """(initial values, problems) of an ask link: what is valid fills the form, each
    refused id is named as given (never with anything of someone else's)."""
    link = AskLinkForm(query, owner=owner)
    link.is_valid()
    return link.prefill(), link.problems()
