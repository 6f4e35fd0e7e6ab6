from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cp_agents.errors import KnowledgeError
from cp_agents.knowledge import ExperienceRecord, chunk_markdown, load_corpus
from cp_agents.knowledge.experience import ExperienceLog


def test_markdown_is_cut_by_section_with_heading_paths():
    passages = chunk_markdown("x.md", "# Title\nintro words\n## One\nalpha beta\n## Two\n" + "w " * 400)
    assert [p.heading for p in passages[:3]] == ["Title", "Title > One", "Title > Two"]
    assert all(p.source == "x.md" for p in passages)
    assert len(passages) > 3          # the long section is windowed
    assert max(len(p.text.split()) for p in passages) <= 160


def test_project_corpus_covers_the_runbooks():
    sources = {p.source for p in load_corpus()}
    for expected in ("slicing.md", "acl.md", "drains.md", "whatif.md", "protocols.md", "edge6g.md",
                     "safety.md", "rate_limits.md", "path_steering.md"):
        assert expected in sources


def test_experience_log_round_trip(tmp_path):
    log = ExperienceLog(tmp_path / "log.jsonl")
    record = ExperienceRecord(outcome="pushed", text="limit h4 to 10 Mbps", kind="rate.limit",
                              params={"target": "h4", "bandwidth_mbps": 10}, summary="meter 3 on ru1",
                              audit_ids=["a1"], at="2026-11-26T05:00:00Z")
    log.append(record)
    log.append(ExperienceRecord(outcome="refused", text="delete all flows"))
    assert [r.outcome for r in log.read()] == ["pushed", "refused"]
    assert log.read()[0] == record and "rate.limit" in record.passage_text()


def test_bad_experience_records_are_rejected(tmp_path):
    with pytest.raises(KnowledgeError):
        ExperienceRecord.from_dict({"outcome": "teleported", "text": "x"})
    path = tmp_path / "log.jsonl"
    path.write_text("not json\n")
    with pytest.raises(KnowledgeError):
        ExperienceLog(path).read()


def test_importing_parsing_llm_and_knowledge_loads_nothing_heavy():
    code = ("import sys, json, cp_agents.parsing, cp_agents.llm, cp_agents.knowledge, cp_agents.errors;"
            "heavy = ('torch', 'faiss', 'sentence_transformers', 'langchain_openai', 'openai');"
            "print(json.dumps([m for m in heavy if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout) == []
