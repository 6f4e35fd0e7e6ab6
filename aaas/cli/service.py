"""`aaas service`: plan a data-plane service from an intent, run a service on a request, list them.

    aaas service deploy '{"service": "license_plate_recognition", "near": "cam1", "latency_ms": 300}'
    aaas service run license_plate_recognition --input plate.ppm
    aaas service run license_plate_recognition --input plate.ppm --twin twin --near cam2
    aaas service sample blind_zone_completion --out /tmp/bev && \\
        aaas service run blind_zone_completion --input /tmp/bev/request.json --out /tmp/bev/bev.png
    aaas service ls [--json]
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from aaas.cli.errors import EXIT_CHECK_FAILED, EXIT_ENVIRONMENT, EXIT_USAGE, CliFailure, reported
from dp_agents.errors import (
    ComponentMissing,
    DataSourceError,
    IntentError,
    PlanError,
    StepFailed,
    StepInputError,
)

ERRORS = {
    IntentError: EXIT_USAGE,
    StepInputError: EXIT_USAGE,
    PlanError: EXIT_CHECK_FAILED,
    ComponentMissing: EXIT_ENVIRONMENT,
    DataSourceError: EXIT_ENVIRONMENT,
    StepFailed: 4,
}


@click.group("service")
def service() -> None:
    """Data-plane services: plan them from intents, run them on requests."""


def intent_params(text: str) -> dict:
    """The service.deploy params from canonical JSON: the whole intent object or its params."""
    try:
        document = json.loads(text)
    except ValueError:
        raise CliFailure(
            "pass the canonical JSON intent (free text is parsed by `aaas intent parse` once wired): "
            '{"service": ..., "near": ..., "latency_ms": ...}',
            EXIT_USAGE,
        ) from None
    if isinstance(document, dict) and "kind" in document:
        if document.get("status", "ok") != "ok" or document.get("kind") != "service.deploy":
            raise CliFailure(
                f"not a service.deploy intent: kind {document.get('kind')!r}, status "
                f"{document.get('status')!r}",
                EXIT_USAGE,
            )
        document = document.get("params")
    if not isinstance(document, dict):
        raise CliFailure("the intent must be a JSON object", EXIT_USAGE)
    return document


@service.command("deploy")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="print the plan as one JSON object")
@reported(ERRORS)
def deploy(text: str, as_json: bool) -> None:
    """Plan a service from a service.deploy intent and show the plan (exit 1 if it does not validate)."""
    from dp_agents.handoff import deploy_service
    from dp_agents.planning import render_plan

    plan = deploy_service(intent_params(text))
    click.echo(json.dumps(plan.to_json(), indent=2) if as_json else render_plan(plan))
    if not plan.ok:
        raise SystemExit(EXIT_CHECK_FAILED)


@service.command("run")
@click.argument("name")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="the request: a plate image, a traffic JSON request, or a camera request JSON",
)
@click.option("--near", default="cam1", show_default=True, help="node the request comes from")
@click.option("--twin", "twin_name", default=None,
              help="a running twin (`aaas twin up --name NAME`): the request is issued inside the --near host, "
                   "its steps run on edge executors inside the twin's nodes")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="where to write an image result")
@click.option("--json", "as_json", is_flag=True, help="print the result and step timings as JSON")
@reported(ERRORS)
def run(name: str, input_path: str, near: str, twin_name: str | None, out_path: str | None, as_json: bool) -> None:
    """Run service NAME on one request: in this process, or across a running twin with --twin."""
    from dp_agents.handoff import deploy_service
    from dp_agents.requests import load_request

    plan = deploy_service({"service": name, "near": near, "latency_ms": None})
    request = load_request(name, input_path)
    if twin_name is not None:
        from dp_agents.on_twin import run_on_twin

        done = run_on_twin(twin_name, name, near, request)
        report = {"service": name, "twin": twin_name, "from": near,
                  "output": _saved_images(done["output"], Path(out_path or "bev.png")),
                  "steps": {step: {k: meta[k] for k in ("node", "runtime", "cold", "latency_ms") if k in meta}
                            for step, meta in done["steps"].items()}}
        click.echo(json.dumps(report, indent=None if as_json else 2))
        return
    from dp_agents.runner import run_plan

    result = run_plan(plan, request)
    output = _saved_images(result.output, Path(out_path or "bev.png"))
    report = {
        "service": name,
        "output": output,
        "step_ms": {k: round(v, 2) for k, v in result.step_ms.items()},
        "total_ms": round(result.total_ms, 2),
    }
    click.echo(json.dumps(report, indent=None if as_json else 2))


def _saved_images(output: object, path: Path) -> object:
    """Image bytes in a result go to a file; the JSON names the file instead."""
    if isinstance(output, dict) and isinstance(output.get("bev_png"), bytes):
        path.write_bytes(output["bev_png"])
        return {**output, "bev_png": str(path)}
    return output


@service.command("sample")
@click.argument("name")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="folder to write into"
)
@click.option("--count", default=5, show_default=True, help="plates to generate (license_plate_recognition)")
@reported(ERRORS)
def sample(name: str, out_dir: str, count: int) -> None:
    """Write sample requests for service NAME (synthetic plates, a traffic request, a rendered scene)."""
    from dp_agents.samples import write_samples

    for path in write_samples(name, out_dir, count=count):
        click.echo(str(path))


@service.command("train")
@click.option("--json", "as_json", is_flag=True, help="print the held-out scores as JSON")
@reported(ERRORS)
def train(as_json: bool) -> None:
    """Train the traffic models on the first 70 % of the data; score them on the rest."""
    from dp_agents.traffic.evaluation import held_out_scores
    from dp_agents.traffic.store import model_file, train_and_save

    models = train_and_save()
    scores = held_out_scores(models)
    if as_json:
        click.echo(json.dumps({"model_file": str(model_file()), "scores": scores}, indent=2))
        return
    click.echo(f"wrote {model_file()}")
    for source, horizons in scores.items():
        for minutes, s in horizons.items():
            click.echo(f"  {source:<14} {minutes:>3} min: MAE {s['model_mae']:.3f} mph "
                       f"(last value {s['last_value_mae']:.3f})")


@service.command("ls")
@click.option("--json", "as_json", is_flag=True, help="print services and toolbox functions as JSON")
@reported(ERRORS)
def ls(as_json: bool) -> None:
    """List the services, their steps, and the toolbox functions with their profiles."""
    from dp_agents.planning import SERVICES, service_template
    from dp_agents.toolbox import TOOLBOX

    services = {name: _describe(service_template(name)) for name in SERVICES}
    functions = {
        f.name: {
            "description": f.description,
            "inputs": list(f.inputs),
            "runtimes": list(f.profile.runtimes),
            "cpu": f.profile.cpu,
            "memory_mib": f.profile.memory_mib,
            "latency_ms": f.profile.latency_ms,
        }
        for f in TOOLBOX.values()
    }
    if as_json:
        click.echo(json.dumps({"services": services, "functions": functions}, indent=2))
        return
    for name, info in services.items():
        click.echo(f"{name}: {info['description']}")
        click.echo(f"  steps: {' | '.join(info['steps'])}")
    click.echo("toolbox:")
    for name, info in functions.items():
        click.echo(f"  {name:<22} {'/'.join(info['runtimes']):<24} {info['description']}")


def _describe(template) -> dict:
    return {
        "description": template.description,
        "request": template.request,
        "steps": [f"{s.id}={s.function}" for s in template.steps],
        "output": template.output,
    }
