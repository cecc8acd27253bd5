"""Large inputs for bench/ingest, written into a temporary directory."""

import random
from pathlib import Path

import docx
from pypdf import PdfReader, PdfWriter

WORDS = [
    "budget",
    "vendor",
    "contract",
    "milestone",
    "risk",
    "owner",
    "review",
    "deadline",
    "launch",
    "migration",
    "customer",
    "support",
    "renewal",
    "forecast",
    "hiring",
    "backlog",
    "incident",
    "audit",
    "security",
    "roadmap",
    "pricing",
    "feedback",
    "decision",
    "action",
    "follow-up",
    "estimate",
    "capacity",
    "dependency",
    "rollout",
    "training",
    "quarterly",
]


def large_pdfs(
    source: Path, target: Path, *, count: int = 5, pages: int = 200
) -> list[Path]:
    """`count` PDFs of `pages` pages, each a different window of a real book."""
    reader = PdfReader(source)
    total = len(reader.pages)
    step = max(1, (total - pages) // max(1, count - 1))
    paths = []
    for number in range(count):
        writer = PdfWriter()
        first = min(number * step, total - pages)
        for index in range(first, first + pages):
            writer.add_page(reader.pages[index])
        path = target / f"generated-book-{number + 1}.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        paths.append(path)
    return paths


def large_docx(
    target: Path, *, count: int = 3, paragraphs: int = 3000, tables: int = 40
) -> list[Path]:
    """Word documents with thousands of paragraphs (headings, lists) and many tables."""
    rng = random.Random(7)
    paths = []
    for number in range(count):
        document = docx.Document()
        document.sections[0].header.paragraphs[
            0
        ].text = f"Project Falcon - weekly report {number + 1}"
        document.sections[0].footer.paragraphs[0].text = "Confidential"
        table_every = paragraphs // tables
        for index in range(paragraphs):
            if index % 50 == 0:
                document.add_heading(
                    f"Section {index // 50 + 1}: {rng.choice(WORDS)} review",
                    level=1 + index % 2,
                )
            sentence = (
                " ".join(
                    rng.choice(WORDS) for _ in range(rng.randint(12, 40))
                ).capitalize()
                + "."
            )
            style = "List Bullet" if index % 7 == 0 else None
            document.add_paragraph(sentence, style=style)
            if index % table_every == table_every - 1:
                table = document.add_table(rows=10, cols=5)
                for row in table.rows:
                    for cell in row.cells:
                        cell.text = " ".join(rng.choice(WORDS) for _ in range(3))
        path = target / f"generated-report-{number + 1}.docx"
        document.save(path)
        paths.append(path)
    return paths
