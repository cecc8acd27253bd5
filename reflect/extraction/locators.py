"""Where a piece of extracted text came from: a segment's locator, and how it reads.

Segments are documented on `reflect.models.Document.segments`; a locator is a segment
without its character range.
"""


def of_segment(segment: dict) -> dict:
    return {k: v for k, v in segment.items() if k not in ("start", "end")}


def label(locator: dict | None) -> str:
    """ "page 3", "00:12:03 · Bob", "table · table 2 row 4", "body ¶7", "line 12", or ""."""
    if not locator:
        return ""
    if locator.get("page"):
        return f"page {locator['page']}"
    if locator.get("time"):
        return locator["time"] + (
            f" · {locator['speaker']}" if locator.get("speaker") else ""
        )
    if locator.get("part"):
        if locator.get("table") is not None:
            return (
                f"{locator['part']} · table {locator['table']} row {locator.get('row')}"
            )
        if locator.get("paragraph") is not None:
            return f"{locator['part']} ¶{locator['paragraph']}"
        return locator["part"]
    if locator.get("line"):
        return f"line {locator['line']}"
    return ""
