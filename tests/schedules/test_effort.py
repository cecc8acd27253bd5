"""A schedule's effort is one of a reflection's efforts, medium unless chosen."""

import pytest
from django.core.exceptions import ValidationError

from reflect.models import Reflection
from reflect.schedule_forms import ScheduleForm

from ..factories import make_user
from .helpers import at, make_collection, make_schedule

pytestmark = pytest.mark.django_db


def test_a_schedule_with_an_unknown_effort_does_not_validate():
    schedule = make_schedule(
        make_collection(make_user("ada")), now=at("2026-11-15 12:00")
    )
    schedule.effort = "extreme"

    with pytest.raises(ValidationError) as raised:
        schedule.full_clean()

    assert "effort" in raised.value.message_dict


def test_the_schedule_form_offers_a_reflections_efforts_with_medium_chosen():
    form = ScheduleForm()

    assert list(form.fields["effort"].choices) == Reflection.Effort.choices
    assert 'value="medium" selected' in str(form["effort"])
