"""Checks run on a page in Chromium: does it fit the window, and what does axe-core find."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = ("serious", "critical")


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def widest_elements(page, limit: int = 5) -> list[str]:
    """The elements reaching furthest past the right edge, to say what made a page too wide."""
    return page.evaluate(
        """limit => {
          const edge = document.documentElement.clientWidth;
          return [...document.body.querySelectorAll('*')]
            .map(el => [el, el.getBoundingClientRect().right])
            .filter(([, right]) => right > edge + 1)
            .sort((a, b) => b[1] - a[1]).slice(0, limit)
            .map(([el, right]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
              + `${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}`
              + ` reaches ${Math.round(right)}px`);
        }""",
        limit,
    )


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
    does not govern, so the policy under test stays exactly as served.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:4])
        for v in violations
        if v["impact"] in SERIOUS
    ]


def problems_at(page, *, name: str) -> list[str]:
    """Everything wrong with the page as it stands: sideways scroll and serious axe findings."""
    found = []
    overflow = horizontal_overflow(page)
    if overflow:
        found.append(
            f"{name}: {overflow}px of horizontal page scroll "
            f"({', '.join(widest_elements(page))})"
        )
    found += [f"{name}: {line}" for line in serious_violations(page)]
    return found
