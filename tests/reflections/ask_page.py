"""Reading the ask form as rendered: what is checked, selected, filled in, and Start's value."""

import html
import re


def page(client, query: str = "") -> str:
    response = client.get(f"/reflections/new/{query}")
    assert response.status_code == 200
    return response.content.decode()


def checked(page_html: str, name: str) -> list[str]:
    """Values of the checked checkboxes or radios called `name`."""
    inputs = re.findall(
        rf'<input type="(?:checkbox|radio)" name="{name}"[^>]*>', page_html
    )
    return [re.search(r'value="([^"]*)"', i)[1] for i in inputs if " checked" in i]


def selected(page_html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}".*?</select>', page_html, re.S)[0]
    option = re.search(r'<option value="([^"]*)" selected>', select)
    return option[1] or None if option else None


def hidden(page_html: str, name: str) -> str | None:
    field = re.search(rf'<input type="hidden" name="{name}"[^>]*>', page_html)[0]
    value = re.search(r'value="([^"]*)"', field)
    return value[1] if value else None


def textarea(page_html: str, name: str) -> str:
    text = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page_html, re.S)
    return html.unescape(text[1]).strip()


def start_button(page_html: str) -> tuple[str, str] | None:
    """(value, label) of the Start button, or None when there is none."""
    button = re.search(
        r'<button type="submit" name="start" value="([^"]*)"[^>]*>(.*?)</button>',
        page_html,
        re.S,
    )
    return (button[1], html.unescape(button[2]).strip()) if button else None


def use_a_priced_model(settings) -> None:
    """Reflections go to OpenAI's gpt-5.6 (nothing is sent: estimates only count)."""
    settings.REFLECT_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test-not-used-0123456789"
    settings.OPENAI_BASE_URL = ""
    settings.REFLECT_MODEL = settings.REFLECT_MAP_MODEL = "gpt-5.6"
    settings.REFLECT_PRICES = {"gpt-5.6": {"input": 5.0, "output": 30.0}}
    settings.REFLECT_CONTEXT_TOKENS = 400_000
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 25_000
