"""The documentation: a short README that keeps the CI's commands, and links that resolve.

Pure file reading, no project imports: every relative Markdown link and image in README.md,
CHANGELOG.md and docs/*.md points at a file that exists, and an ``#anchor`` into a Markdown file
names one of its headings (GitHub's slugs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 200
#: The README's two commands, word for word: .ci/run runs the test command as it stands there.
APP_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py"
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt && .venv/bin/python -m pytest"
#: The pages docs/ must have.
PAGES = (
    "dashboard.md",
    "cli.md",
    "corpus.md",
    "deployment.md",
    "security.md",
    "accuracy.md",
    "performance.md",
    "architecture.md",
    "data.md",
    "README.md",
)

#: ``[text](target)`` and ``![alt](target)``, with an optional "title" after the target.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
SKIPPED = ("http://", "https://", "mailto:")


def documents() -> list[Path]:
    """Return the Markdown files whose links are checked."""
    return [README, ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]


def prose(text: str) -> str:
    """Return ``text`` without fenced code blocks, indented code blocks and code spans."""
    kept: list[str] = []
    in_code, previous_blank = False, True
    for line in FENCE.sub("", text).splitlines():
        blank = not line.strip()
        in_code = (line.startswith(("    ", "\t")) and (in_code or previous_blank)) or (in_code and blank)
        if not in_code:
            kept.append(line)
        previous_blank = blank
    return CODE_SPAN.sub("", "\n".join(kept))


def links(path: Path) -> Iterator[str]:
    """Yield the target of every link and image in a Markdown file's prose."""
    for match in LINK.finditer(prose(path.read_text(encoding="utf-8"))):
        yield match.group(1)


def slug(heading: str) -> str:
    """Return GitHub's anchor for a heading: lower case, punctuation dropped but hyphens, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading counts by its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Return the anchors GitHub gives the headings of a Markdown file (repeats get -1, -2, ...)."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        found.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return found


def shown(path: Path) -> str:
    """Return ``path`` as a message shows it: from the repository's root when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def broken_links(path: Path) -> list[str]:
    """Return each relative link of ``path`` that names no file, or no heading of a Markdown file."""
    broken = []
    for target in links(path):
        if target.startswith(SKIPPED) or target.startswith("#"):
            continue
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve()
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading #{anchor} in {shown(resolved)}")
    return broken


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_every_relative_link_resolves() -> None:
    broken = {shown(path): broken_links(path) for path in documents()}
    assert not {name: found for name, found in broken.items() if found}


def test_the_docs_pages_exist() -> None:
    missing = [page for page in PAGES if not (DOCS / page).is_file()]
    assert not missing
    assert (ROOT / "CHANGELOG.md").is_file()


def test_readme_keeps_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert "    " + APP_COMMAND in lines
    assert "    " + TEST_COMMAND in lines
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "target.md").write_text("# A heading, with punctuation!\n\n## Twice\n\n## Twice\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[fine](target.md#a-heading-with-punctuation) [again](target.md#twice-1) [web](https://example.org)\n"
        "[gone](missing.md) ![image](missing.png) [no heading](target.md#nowhere) [local](#anywhere)\n"
        "`[in code](missing-too.md)`\n\n    [indented code](missing-too.md)\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "missing.png: no such file",
        f"target.md#nowhere: no heading #nowhere in {tmp_path / 'target.md'}",
    ]
