"""`aaas intent parse`: operator text -> canonical intent JSON (shared/contracts/intents.md).

No network, controller or LLM is needed: the embedded parser (rules + retrieval over
annotated examples with the offline MiniLM model) runs in-process. With LLM_BASE_URL set and
`--llm`, an OpenAI-compatible endpoint parses instead, behind the same schema and refusal rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, EXIT_EXTERNAL, EXIT_USAGE, reported
from cp_agents.errors import EmbeddingUnavailable, KnowledgeError, LlmError, LlmNotConfigured

_ERRORS = {EmbeddingUnavailable: EXIT_ENVIRONMENT, KnowledgeError: EXIT_ENVIRONMENT,
           LlmNotConfigured: EXIT_USAGE, LlmError: EXIT_EXTERNAL}


@click.group()
def intent() -> None:
    """Turn operator text into the canonical intent object."""


def _parser(use_llm: bool):
    from cp_agents.retrieval.example_index import default_parser
    parser = default_parser()
    if not use_llm:
        return parser
    from cp_agents.llm import LlmIntentParser, LlmSettings
    return LlmIntentParser(LlmSettings.from_env(), fallback=parser)


@intent.command("parse")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the intent as one JSON object per input.")
@click.option("--batch", "batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file with one intent text per line; prints one JSON object per line, same order.")
@click.option("--llm", "use_llm", is_flag=True,
              help="Parse with the LLM endpoint from LLM_BASE_URL/LLM_MODEL.")
@reported(_ERRORS)
def parse(text: str | None, as_json: bool, batch: Path | None, use_llm: bool) -> None:
    """Parse TEXT (or every line of --batch FILE) into intents."""
    if (text is None) == (batch is None):
        raise click.UsageError("give either TEXT or --batch FILE")
    texts = batch.read_text().splitlines() if batch else [text]
    parser = _parser(use_llm)
    intents = parser.parse_many(texts)
    for item in intents:
        if as_json:
            click.echo(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            click.echo(_human_intent(item.to_json()))
    sys.stdout.flush()


@intent.command("explain")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@reported(_ERRORS)
def explain(text: str, as_json: bool) -> None:
    """Show why TEXT parses the way it does: kind scores and the nearest annotated examples."""
    from cp_agents.retrieval.example_index import default_parser
    report = default_parser().explain(text)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"label {report['label']} (score {report['score']})")
    for kind, score in list(report["scores"].items())[:5]:
        click.echo(f"  {score:6.2f}  {kind}")
    for label, similarity in report["nearest"][:5]:
        click.echo(f"  nearest {similarity:.3f} {label}")
    click.echo(_human_intent(report["intent"]))


@intent.command("knowledge")
@click.argument("query")
@click.option("-k", "k", default=4, show_default=True, help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="Print the passages as JSON.")
@reported(_ERRORS)
def knowledge(query: str, k: int, as_json: bool) -> None:
    """Search the runbooks and past changes (the RAG index) for QUERY."""
    from cp_agents.knowledge import KnowledgeBase
    passages = KnowledgeBase.open().search(query, k)
    if as_json:
        click.echo(json.dumps([p.to_json() for p in passages], ensure_ascii=False))
        return
    for p in passages:
        click.echo(f"{p.score:.3f} [{p.source} / {p.heading}] {p.text[:160]}")


def _human_intent(data: dict) -> str:
    if data["status"] == "ok":
        return f"ok {data['kind']} {json.dumps(data['params'], ensure_ascii=False)}"
    return f"{data['status']}: {data['reason']}"
