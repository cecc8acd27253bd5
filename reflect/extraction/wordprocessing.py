"""DOCX: python-docx opens the package, then one pass over the XML of each story.

Named wordprocessing.py so that `import docx` inside this package still means python-docx.

python-docx's paragraph and table walkers miss text that a reader of the document sees:
content controls (w:sdt), text boxes, nested tables, tracked insertions and moves, equations.
The walk below reads the WordprocessingML itself, in document order, once: body, then
headers and footers (each distinct text once), footnotes, endnotes and comments.
Tracked changes are read as if accepted: deletions dropped, insertions and moves kept once.
"""

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from .base import Extraction, ExtractionError, Limits, TextBuilder
from .docx_package import check_package
from .errors import PASS_THROUGH, damaged
from .textcodec import normalize_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

W_P, W_R, W_T, W_TBL, W_TR, W_TC = (
    W + "p",
    W + "r",
    W + "t",
    W + "tbl",
    W + "tr",
    W + "tc",
)
W_SDT, W_SDT_CONTENT, W_PPR = W + "sdt", W + "sdtContent", W + "pPr"
W_TXBX_CONTENT = W + "txbxContent"
MC_ALTERNATE = MC + "AlternateContent"
M_MATH, M_MATH_PARA, M_T = M + "oMath", M + "oMathPara", M + "t"
# Elements whose children are runs (or more such wrappers) in the same paragraph.
INLINE_WRAPPERS = {
    W + name
    for name in (
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "customXml",
        "fldSimple",
        "dir",
        "bdo",
    )
}
BLOCK_WRAPPERS = {W + "customXml", W + "ins", W + "moveTo"}
RUN_TEXT = {
    W + "tab": "\t",
    W + "ptab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "noBreakHyphen": "-",
}
RUN_OBJECTS = {W + "drawing", W + "pict", W + "object", MC_ALTERNATE}
W_FLDCHAR = W + "fldChar"

SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True
)


def extract_docx(data: bytes, *, limits: Limits) -> Extraction:
    check_package(data, limits=limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except PASS_THROUGH:
        raise
    except Exception as error:
        raise damaged(error) from error
    try:
        walker = _Walker(document, max_chars=limits.max_extracted_chars)
        walker.walk()
    except RecursionError as error:
        raise ExtractionError("damaged file: the document nests too deeply") from error
    except (ValueError, KeyError, AttributeError, TypeError, etree.LxmlError) as error:
        raise damaged(error) from error
    text = walker.builder.text
    if not text:
        raise ExtractionError("empty file: the document has no text")
    return Extraction(kind="docx", text=text, segments=walker.builder.segments)


class _Walker:
    def __init__(self, document, *, max_chars: int) -> None:
        self.document = document
        self.builder = TextBuilder(max_chars=max_chars)
        self.paragraph = 0
        self.tables = 0
        self.carry = (
            ""  # text of a paragraph whose mark was deleted: it joins the next one
        )
        self.headings, self.lists = _paragraph_styles(document.part)

    def walk(self) -> None:
        self.story(self.document.element.body, "body")
        main = self.document.part
        seen_texts = set()
        for reltype, part_name in ((RT.HEADER, "header"), (RT.FOOTER, "footer")):
            targets = sorted(
                (
                    rel.target_part
                    for rel in main.rels.values()
                    if rel.reltype == reltype and not rel.is_external
                ),
                key=lambda target: str(target.partname),
            )
            for target in dict.fromkeys(targets):
                element = _root(target)
                text = "".join(element.itertext())
                if text.strip() and text not in seen_texts:
                    seen_texts.add(text)
                    self.story(element, part_name)
        for reltype, part_name, tag in (
            (RT.FOOTNOTES, "footnote", W + "footnote"),
            (RT.ENDNOTES, "endnote", W + "endnote"),
            (RT.COMMENTS, "comment", W + "comment"),
        ):
            for rel in main.rels.values():
                if rel.reltype == reltype and not rel.is_external:
                    self.notes(rel.target_part, part_name, tag)

    def story(self, element, part: str) -> None:
        self.paragraph = 0
        self.blocks(element, part, None)
        if self.carry:
            self.emit(self.carry, part)
            self.carry = ""

    def notes(self, target, part: str, tag: str) -> None:
        root = _root(target)
        self.paragraph = 0
        number = 0
        for note in root.iterchildren(tag):
            if note.get(W + "type") in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            number += 1
            if part == "comment":
                author = note.get(W + "author")
                label = f"Comment by {author}: " if author else "Comment: "
            else:
                label = f"{part.capitalize()} {number}: "
            self.blocks(note, part, label)

    def blocks(self, container, part: str, label: str | None) -> None:
        for child in container:
            tag = child.tag
            if tag == W_P:
                self.para(child, part, label)
                label = None
            elif tag == W_TBL:
                self.table(child, part)
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    self.blocks(content, part, label)
            elif tag in BLOCK_WRAPPERS:
                self.blocks(child, part, label)
            elif tag == MC_ALTERNATE:
                self.blocks(_choice(child), part, label)

    def para(self, p, part: str, label: str | None) -> None:
        self.paragraph += 1
        out: list[str] = []
        boxes: list = []
        _inline(p, out, boxes)
        text = "".join(out)
        prefix = ""
        properties = p[0] if len(p) and p[0].tag == W_PPR else None
        if properties is not None:
            prefix, mark_deleted = self.prefix(properties)
            if mark_deleted:
                self.carry += text
                return
        if self.carry:
            text = self.carry + text
            self.carry = ""
        text = text.strip()
        if text:
            self.emit(f"{label or ''}{prefix}{text}", part)
        for box in boxes:
            self.blocks(box, part, None)

    def emit(self, text: str, part: str) -> None:
        self.builder.add(normalize_text(text), paragraph=self.paragraph, part=part)

    def prefix(self, properties) -> tuple[str, bool]:
        prefix = ""
        style = properties.find(W + "pStyle")
        style_id = style.get(W + "val") if style is not None else None
        level = self.headings.get(style_id)
        if level:
            prefix = "#" * level + " "
        elif properties.find(W + "numPr") is not None or style_id in self.lists:
            prefix = "- "
        mark = properties.find(W + "rPr")
        deleted = mark is not None and mark.find(W + "del") is not None
        return prefix, deleted

    def table(self, tbl, part: str) -> None:
        self.tables += 1
        number = self.tables
        row_part = "table" if part == "body" else part
        for row_number, tr in enumerate(_children(tbl, W_TR), start=1):
            first = self.paragraph + 1
            cells: list[str] = []
            nested: list = []
            for tc in _children(tr, W_TC):
                texts: list[str] = []
                self.cell(tc, texts, nested)
                cells.append(" ".join(texts))
            if any(cells):
                line = normalize_text(" | ".join(cells)).replace("\n", " ")
                self.builder.add(
                    line, paragraph=first, part=row_part, table=number, row=row_number
                )
            for inner in nested:
                self.table(inner, part)

    def cell(self, container, texts: list[str], nested: list) -> None:
        for child in container:
            tag = child.tag
            if tag == W_P:
                self.paragraph += 1
                out: list[str] = []
                boxes: list = []
                _inline(child, out, boxes)
                for box in boxes:
                    self.cell(box, out, nested)
                text = " ".join("".join(out).split())
                if text:
                    texts.append(text)
            elif tag == W_TBL:
                nested.append(child)
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    self.cell(content, texts, nested)
            elif tag in BLOCK_WRAPPERS:
                self.cell(child, texts, nested)


def _inline(element, out: list[str], boxes: list) -> None:
    """Append the visible text of a paragraph's runs to `out`; collect its text boxes."""
    for child in element:
        tag = child.tag
        if tag == W_R:
            for item in child:
                kind = item.tag
                if kind == W_T:
                    out.append(item.text or "")
                elif kind in RUN_TEXT:
                    out.append(RUN_TEXT[kind])
                elif kind in RUN_OBJECTS:
                    source = _choice(item) if kind == MC_ALTERNATE else item
                    boxes.extend(source.iter(W_TXBX_CONTENT))
                elif kind == W_FLDCHAR:
                    box = _checkbox(item)
                    if box:
                        out.append(box)
        elif tag in INLINE_WRAPPERS:
            _inline(child, out, boxes)
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _inline(content, out, boxes)
        elif tag == MC_ALTERNATE:
            _inline(_choice(child), out, boxes)
        elif tag in (M_MATH, M_MATH_PARA):
            out.append("".join(t.text or "" for t in child.iter(M_T)))


def _root(part):
    """The XML of a part: python-docx parsed the ones it knows (headers, comments), not notes."""
    element = getattr(part, "element", None)
    return element if element is not None else etree.fromstring(part.blob, SAFE_XML)


def _choice(alternate):
    """The one branch of mc:AlternateContent to read (the others repeat it)."""
    for branch in alternate:
        return branch
    return alternate


def _children(element, tag):
    """Rows of a table or cells of a row, also when wrapped in content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _checkbox(field) -> str:
    """A legacy FORMCHECKBOX renders as ☒ or ☐, so "Yes ☒ No ☐" keeps its meaning."""
    box = field.find(f"{W}ffData/{W}checkBox")
    if box is None:
        return ""
    state = box.find(W + "checked")
    if state is None:
        state = box.find(W + "default")
    checked = state is not None and state.get(W + "val", "1") not in (
        "0",
        "false",
        "off",
    )
    return "☒ " if checked else "☐ "


def _paragraph_styles(main) -> tuple[dict[str, int], set[str]]:
    """Style ids of headings (with their level) and of list paragraphs."""
    headings: dict[str, int] = {}
    lists: set[str] = set()
    try:
        styles = main.part_related_by(RT.STYLES).element
    except (KeyError, AttributeError):
        return headings, lists
    for style in styles.iterchildren(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        name_element = style.find(W + "name")
        name = (
            (name_element.get(W + "val") or "").lower()
            if name_element is not None
            else ""
        )
        style_id = style.get(W + "styleId")
        if name.startswith("heading ") and name[8:].isdigit():
            headings[style_id] = min(int(name[8:]), 6)
        elif name == "title":
            headings[style_id] = 1
        elif name.startswith(("list bullet", "list number")):
            lists.add(style_id)
    return headings, lists
