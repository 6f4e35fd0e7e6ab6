import json

from click.testing import CliRunner

from aaas.cli.service import service

LPR = {"service": "license_plate_recognition", "near": "cam1", "latency_ms": 300}


def invoke(*args):
    return CliRunner().invoke(service, list(args))


def test_deploy_accepts_params_or_the_whole_canonical_intent():
    direct = invoke("deploy", "--json", json.dumps(LPR))
    wrapped = invoke(
        "deploy",
        "--json",
        json.dumps({"status": "ok", "kind": "service.deploy", "params": LPR, "reason": None}),
    )
    assert direct.exit_code == wrapped.exit_code == 0
    assert json.loads(direct.output) == json.loads(wrapped.output)
    assert json.loads(direct.output)["site"]["node"] == "du1"


def test_deploy_exit_codes():
    assert invoke("deploy", "plates near cam1 please").exit_code == 2
    assert invoke("deploy", json.dumps({**LPR, "service": "weather"})).exit_code == 2
    assert invoke("deploy", json.dumps({"status": "ok", "kind": "acl.block", "params": {}})).exit_code == 2
    over_budget = invoke("deploy", json.dumps({**LPR, "latency_ms": 1}))
    assert over_budget.exit_code == 1 and "[FAIL] latency budget" in over_budget.output


def test_ls_lists_services_and_toolbox():
    listing = json.loads(invoke("ls", "--json").output)
    assert set(listing["services"]) == {
        "license_plate_recognition",
        "traffic_flow_prediction",
        "blind_zone_completion",
    }
    assert "wasm" in listing["functions"]["plate_preprocess"]["runtimes"]


def test_run_reports_a_bad_request_file_as_usage(tmp_path):
    request = tmp_path / "request.json"
    request.write_text("{not json")
    result = invoke("run", "traffic_flow_prediction", "--input", str(request))
    assert result.exit_code == 2 and "not JSON" in result.output
