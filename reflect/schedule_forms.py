from django import forms

from .models import Schedule


class ScheduleForm(forms.ModelForm):
    """A scheduled question; validates the cadence (a cron expression that can run) and the
    question, never saves (the view calls the service)."""

    class Meta:
        model = Schedule
        fields = [
            "preset",
            "question",
            "effort",
            "cadence",
            "weekday",
            "time_of_day",
            "cron",
            "scope",
            "enabled",
        ]
        widgets = {
            "question": forms.Textarea(
                attrs={"rows": 2, "placeholder": "Or write your own question"}
            ),
            "time_of_day": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "cron": forms.TextInput(attrs={"placeholder": "0 9 * * mon-fri"}),
            "scope": forms.RadioSelect,
        }
        labels = {
            "time_of_day": "At (daily and weekly)",
            "weekday": "On (weekly)",
            "cron": "Cron expression (minute hour day month weekday)",
            "enabled": "Enabled",
            "scope": "Ask of",
        }

    def __init__(self, *args, **kwargs):
        from .reflections.asking import PRESETS
        from .schedules import WEEKDAY_NAMES

        super().__init__(*args, **kwargs)
        self.fields["question"].required = False
        self.fields["preset"] = forms.ChoiceField(
            required=False, choices=[("", "Custom question")] + list(PRESETS.items())
        )
        self.fields["weekday"] = forms.TypedChoiceField(
            coerce=int, choices=list(enumerate(WEEKDAY_NAMES)), label="On (weekly)"
        )

    def clean(self):
        from .reflections.asking import PRESETS
        from .schedules import ScheduleError, validate_cron

        cleaned = super().clean()
        question = (cleaned.get("question") or "").strip()
        if not cleaned.get("preset") and not question:
            raise forms.ValidationError("Pick a question or write your own.")
        # The schedule's pages and notifications show the question; a preset's is its text.
        cleaned["question"] = question or PRESETS.get(cleaned.get("preset"), "")
        if cleaned.get("cadence") == Schedule.Cadence.CRON:
            try:
                validate_cron(cleaned.get("cron") or "")
            except ScheduleError as error:
                self.add_error("cron", str(error))
        return cleaned
