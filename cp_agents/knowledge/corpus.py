"""The knowledge corpus: the project's runbooks (this directory's *.md) cut into passages.

A passage is one '##' section (under its '#' title), split further into windows of about
MAX_WORDS words when long, so that each embedding covers one topic.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from cp_agents.errors import KnowledgeError

CORPUS_DIR = Path(__file__).resolve().parent
MAX_WORDS = 160
OVERLAP_WORDS = 30


@dataclass(frozen=True)
class Passage:
    source: str          # file name, or 'experience:<id>'
    heading: str         # 'Title > Section'
    text: str
    score: float = 0.0
    origin: str = "runbook"   # runbook | experience

    def to_json(self) -> dict:
        return asdict(self)


def _windows(words: list[str]) -> list[list[str]]:
    if len(words) <= MAX_WORDS:
        return [words]
    step = MAX_WORDS - OVERLAP_WORDS
    return [words[i:i + MAX_WORDS] for i in range(0, max(len(words) - OVERLAP_WORDS, 1), step)]


def chunk_markdown(source: str, markdown: str) -> list[Passage]:
    """Sections of one markdown document as passages (heading path kept for citing)."""
    title, heading, lines, passages = "", "", [], []

    def flush() -> None:
        words = " ".join(lines).split()
        for window in (_windows(words) if words else []):
            passages.append(Passage(source, " > ".join(h for h in (title, heading) if h), " ".join(window)))

    for line in markdown.splitlines():
        match = re.match(r"^(#{1,3})\s+(.*)", line)
        if match:
            flush()
            lines = []
            if len(match.group(1)) == 1:
                title, heading = match.group(2).strip(), ""
            else:
                heading = match.group(2).strip()
        elif line.strip():
            lines.append(line.strip())
    flush()
    return passages


def load_corpus(directory: Path = CORPUS_DIR) -> list[Passage]:
    passages: list[Passage] = []
    for path in sorted(directory.glob("*.md")):
        try:
            passages += chunk_markdown(path.name, path.read_text())
        except OSError as exc:
            raise KnowledgeError(f"cannot read knowledge file {path}: {exc}") from exc
    if not passages:
        raise KnowledgeError(f"the knowledge corpus in {directory} is empty")
    return passages
