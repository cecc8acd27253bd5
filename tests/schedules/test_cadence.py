"""When a schedule runs next: daily and weekly in the configured zone (across DST and month
ends) and five-field cron expressions, with clear errors for invalid ones."""

import pytest

from reflect.models import Schedule
from reflect.schedules import CronExpression, ScheduleError, next_run_after

from .helpers import at


def daily(time_of_day="08:00"):
    return Schedule(cadence=Schedule.Cadence.DAILY, time_of_day=time_of_day)


def weekly(weekday, time_of_day="08:00"):
    return Schedule(
        cadence=Schedule.Cadence.WEEKLY, weekday=weekday, time_of_day=time_of_day
    )


def cron(expression):
    return Schedule(cadence=Schedule.Cadence.CRON, cron=expression)


def test_daily_runs_later_today_or_tomorrow():
    assert next_run_after(daily(), at("2026-11-15 07:59")) == at("2026-11-15 08:00")
    assert next_run_after(daily(), at("2026-11-15 08:00")) == at("2026-11-16 08:00")


def test_daily_crosses_month_and_year_ends():
    assert next_run_after(daily(), at("2026-02-28 09:00")) == at("2026-03-01 08:00")
    assert next_run_after(daily(), at("2026-12-31 23:00")) == at("2027-01-01 08:00")


def test_daily_keeps_local_wall_time_across_daylight_saving(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    # 08:00 Berlin is 07:00 UTC in winter and 06:00 UTC in summer.
    assert next_run_after(daily(), at("2026-03-28 09:00", "Europe/Berlin")) == at(
        "2026-03-29 08:00", "Europe/Berlin"
    )
    assert next_run_after(daily(), at("2026-03-28 09:00", "Europe/Berlin")) == at(
        "2026-03-29 06:00"
    )
    assert next_run_after(daily(), at("2026-10-24 09:00", "Europe/Berlin")) == at(
        "2026-10-25 07:00"
    )


def test_a_local_time_skipped_by_daylight_saving_runs_just_after_the_gap(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    # 02:30 does not exist on 29 March 2026 in Berlin: the run happens at 03:30 local.
    assert next_run_after(
        daily("02:30"), at("2026-03-29 00:00", "Europe/Berlin")
    ) == at("2026-03-29 01:30")
    # 02:30 happens twice on 25 October: the first one (still summer time) counts, once.
    first = next_run_after(daily("02:30"), at("2026-10-25 00:00", "Europe/Berlin"))
    assert first == at("2026-10-25 00:30")
    assert next_run_after(daily("02:30"), first) == at("2026-10-26 01:30")


def test_weekly_runs_on_its_weekday():
    # 15 Nov 2026 is a Sunday; weekday 0 is Monday.
    assert next_run_after(weekly(0), at("2026-11-15 12:00")) == at("2026-11-16 08:00")
    assert next_run_after(weekly(6), at("2026-11-15 07:00")) == at("2026-11-15 08:00")
    assert next_run_after(weekly(6), at("2026-11-15 08:00")) == at("2026-11-22 08:00")


def test_weekly_crosses_month_end_and_daylight_saving(settings):
    settings.TIME_ZONE = "America/New_York"
    # Friday 30 Oct 2026 09:00 EDT; the next Monday 09:00 is after the 1 Nov switch to EST.
    assert next_run_after(
        weekly(0, "09:00"), at("2026-10-30 09:00", "America/New_York")
    ) == at("2026-11-02 14:00")
    assert next_run_after(
        weekly(4, "09:00"), at("2026-10-30 09:00", "America/New_York")
    ) == at("2026-11-06 14:00")


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("*/15 * * * *", "2026-11-15 10:07", "2026-11-15 10:15"),
        ("0 9 * * mon-fri", "2026-11-13 09:00", "2026-11-16 09:00"),  # Friday → Monday
        ("30 18 1 * *", "2026-11-15 00:00", "2026-12-01 18:30"),
        ("0 0 29 2 *", "2026-03-01 00:00", "2028-02-29 00:00"),  # the next leap day
        (
            "0 12 13 * 5",
            "2026-11-01 00:00",
            "2026-11-06 12:00",
        ),  # day 13 OR a Friday, as cron does
        ("0 8 * * 0", "2026-11-15 08:00", "2026-11-22 08:00"),  # 0 and 7 are Sunday
        ("0 8 * * 7", "2026-11-15 08:00", "2026-11-22 08:00"),
        ("5,35 1-3/2 * jan,nov *", "2026-11-15 01:40", "2026-11-15 03:05"),
    ],
)
def test_cron_expressions(expression, after, expected):
    assert next_run_after(cron(expression), at(after)) == at(expected)


def test_cron_follows_the_configured_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert next_run_after(cron("0 9 * * *"), at("2026-11-15 09:00")) == at(
        "2026-11-16 08:00"
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "five fields"),
        ("* * * *", "five fields"),
        ("60 * * * *", "minute: '60' is outside 0–59"),
        ("* 24 * * *", "hour"),
        ("* * 0 * *", "day of month"),
        ("* * * 13 *", "month"),
        ("* * * * 8", "day of week"),
        ("*/0 * * * *", "step must be at least 1"),
        ("5-1 * * * *", "runs backwards"),
        ("x * * * *", "minute: 'x' is not a number"),
        ("* * * foo *", "not a number or a name"),
        ("0 0 30 2 *", "never matches"),
    ],
)
def test_invalid_cron_expressions_say_what_is_wrong(expression, message):
    with pytest.raises(ScheduleError, match=message):
        next_run_after(cron(expression), at("2026-11-15 00:00"))


def test_parsed_fields():
    expression = CronExpression.parse("0 9 * * mon-fri")
    assert expression.weekdays == frozenset(range(5))
    assert expression.hours == frozenset({9}) and expression.minutes == frozenset({0})
