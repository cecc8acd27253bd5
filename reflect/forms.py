import uuid

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .collections import MAX_NAME_CHARS
from .models import Collection, Document, Reflection, User


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "email"]

    def __init__(self, *args, invited_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited_email:
            # An invitation names its person: the account gets the address it was sent to.
            self.fields["email"].initial = invited_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = "The address this invitation was made for."


class CollectionForm(forms.Form):
    """A collection's name; the name rule is the service's (reflect/collections.py)."""

    name = forms.CharField(max_length=MAX_NAME_CHARS, strip=True)


class DocumentSelectionForm(forms.Form):
    documents = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [
            (pk, title) for pk, title in owner.documents.values_list("pk", "title")
        ]


class NotificationSettingsForm(forms.ModelForm):
    webhook_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Webhook URL (a signed JSON POST when a reflection finishes)",
    )

    class Meta:
        model = User
        fields = ["email", "notify_by_email", "webhook_url"]
        labels = {
            "notify_by_email": "Email me when a reflection finishes",
            "webhook_url": "Webhook URL (a signed JSON POST when a reflection finishes)",
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by_email") and not cleaned.get("email"):
            self.add_error("email", "An email address is needed to send you email.")
        return cleaned

    # Settings that stand alone: a refusal in one part does not throw away the other.
    PARTS = {
        "email settings": ("email", "notify_by_email"),
        "webhook URL": ("webhook_url",),
    }

    def parts_to_keep(self) -> tuple[dict, list[str], list[str]]:
        """For a refused form: the values of the parts without an error, and the names of
        the parts saved and refused."""
        values, saved, refused = {}, [], []
        for part, names in self.PARTS.items():
            if any(name in self.errors for name in names):
                refused.append(part)
            else:
                values |= {name: self.cleaned_data[name] for name in names}
                saved.append(part)
        return values, saved, refused

    def clean_webhook_url(self) -> str:
        from django.conf import settings

        from .webhooks import WebhookFailed, WebhookRefused, check_destination

        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                check_destination(
                    url, allow_private=settings.REFLECT_WEBHOOK_ALLOW_PRIVATE
                )
            except (WebhookRefused, WebhookFailed) as error:
                raise forms.ValidationError(str(error)) from None
        return url


def _presets() -> dict[str, str]:
    from .reflections.asking import PRESETS

    return PRESETS


def _ready_documents(owner: User) -> list[tuple[int, str]]:
    return list(
        owner.documents.filter(status=Document.Status.READY)
        .order_by("title", "pk")
        .values_list("pk", "title")
    )


NOT_YOUR_COLLECTION = "Collection %(value)s is not one of yours."
NOT_YOUR_DOCUMENT = "Document %(value)s is not one of your ready documents."
NOT_YOUR_REFLECTION = "Reflection %(value)s is not one of yours."


class ReflectionForm(forms.Form):
    """What to ask and of which documents: a collection, a selection, or a follow-up's.

    Every visible field is rendered by the template's loop (a new option only needs its
    field here and its argument in `reflection_kwargs`); `FIELDSETS` groups the first ones,
    the rest go under "Options".
    """

    FIELDSETS = (
        ("Of which documents", ("collection", "documents")),
        ("Question", ("preset", "question")),
    )

    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(),
        required=False,
        empty_label="— a selection of documents —",
        error_messages={"invalid_choice": NOT_YOUR_COLLECTION},
    )
    documents = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        required=False,
        label="Or pick documents",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_YOUR_DOCUMENT},
    )
    preset = forms.ChoiceField(
        required=False, label="A question to start from", widget=forms.RadioSelect
    )
    question = forms.CharField(
        required=False,
        max_length=2000,
        label="Your question",
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Or write your own question"}
        ),
    )
    effort = forms.ChoiceField(choices=Reflection.Effort.choices)
    # Several independent answers merged by agreement (REFLECT_CONSENSUS_SAMPLES of them).
    consensus = forms.BooleanField(
        required=False,
        label="Consensus (several independent answers, kept where they agree)",
        help_text="Costs several times as much; each finding says how many answers found it.",
    )
    # OpenAI's flex tier: about half price for an answer that may take longer.
    not_urgent = forms.BooleanField(
        required=False,
        label="Not urgent (about half price, may take longer)",
        help_text="Asks OpenAI's flex tier; the standard tier is used if flex has no room.",
    )
    # A follow-up asks of its parent's documents, with the parent's findings in the prompt.
    parent = forms.ModelChoiceField(
        queryset=Reflection.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": NOT_YOUR_REFLECTION},
    )
    # A re-run opens the new result compared with this earlier one.
    compare = forms.ModelChoiceField(
        queryset=Reflection.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": NOT_YOUR_REFLECTION},
    )
    # One token per rendered form: a double submit (or a resent POST) starts one run.
    submission = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput
    )

    def __init__(self, *args, owner: User, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=owner)
        self.fields["documents"].choices = _ready_documents(owner)
        self.fields["preset"].choices = [("", "Custom question")] + list(
            _presets().items()
        )
        self.fields["effort"].initial = settings.REFLECT_EFFORT
        for name in ("parent", "compare"):
            self.fields[name].queryset = Reflection.objects.filter(owner=owner)
        self.fields["submission"].initial = uuid.uuid4().hex

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not (
            cleaned.get("collection") or cleaned.get("documents") or cleaned["parent"]
        ):
            raise forms.ValidationError("Choose a collection or some documents.")
        if not cleaned.get("preset") and not (cleaned.get("question") or "").strip():
            raise forms.ValidationError("Pick a question or write your own.")
        return cleaned

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, bound fields) of the visible fields; the ungrouped ones last."""
        grouped = [name for _, names in self.FIELDSETS for name in names]
        sets = [(legend, [self[n] for n in names]) for legend, names in self.FIELDSETS]
        rest = [f for f in self.visible_fields() if f.name not in grouped]
        return sets + [("Options", rest)]

    def fingerprint(self) -> str:
        """Everything this submission asks, to tell a double submit from a changed form,
        and the estimate shown from one made for other inputs."""
        asked = {k: v for k, v in self.cleaned_data.items() if k != "submission"}
        return repr(
            sorted(
                (k, getattr(v, "pk", sorted(v) if isinstance(v, list) else v))
                for k, v in asked.items()
            )
        )

    def estimate_key(self) -> str:
        """A short digest of `fingerprint`: the Start button carries the one it showed."""
        import hashlib

        return hashlib.sha256(self.fingerprint().encode()).hexdigest()[:16]

    def scope(self) -> dict:
        if self.cleaned_data.get("collection"):
            return {"collection": self.cleaned_data["collection"]}
        return {"document_ids": self.cleaned_data["documents"]}

    def question_kwargs(self) -> dict:
        preset = self.cleaned_data.get("preset") or ""
        question = (self.cleaned_data.get("question") or "").strip()
        return {
            "preset": "" if question and question != _presets().get(preset) else preset,
            "question": question,
            "effort": self.cleaned_data["effort"],
        }

    def reflection_kwargs(self) -> dict:
        """The arguments of asking.create_reflection / estimate_reflection this form sets."""
        return (
            self.scope()
            | self.question_kwargs()
            | {"parent": self.cleaned_data.get("parent")}
            | {"consensus": bool(self.cleaned_data.get("consensus"))}
            | {"not_urgent": bool(self.cleaned_data.get("not_urgent"))}
        )


class FollowUpForm(forms.Form):
    question = forms.CharField(
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "Ask a follow-up question"}),
    )


class HistoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *Reflection.Status.choices],
    )
    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(), required=False, empty_label="Any collection"
    )
    preset = forms.ChoiceField(required=False)
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=owner)
        self.fields["preset"].choices = [("", "Any question")] + list(
            _presets().items()
        )
