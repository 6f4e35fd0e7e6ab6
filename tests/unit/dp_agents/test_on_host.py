"""Issuing requests from a source host: the command line, runtime preferences, bad input."""

from types import SimpleNamespace

from dp_agents.executor import ExecutorCaller
from dp_agents.on_host import host_request_command, main
from dp_agents.payload import pack
from dp_agents.planning.plan import PlanStep
from edge_exec.cluster import Result


class RecordingCluster:
    """Answers every step with an empty payload and records the runtime it was asked for."""

    def __init__(self, runtimes: dict[str, tuple[str, ...]]) -> None:
        self.runtimes, self.asked = runtimes, []
        self.registry = SimpleNamespace(get=lambda name: SimpleNamespace(runtimes=self.runtimes[name]))

    def invoke(self, name, payload, source, runtime=None):
        self.asked.append((name, runtime))
        return Result(pack({}), {"node": "du1", "runtime": runtime})


def step(function: str) -> PlanStep:
    return SimpleNamespace(id=function, function=function)    # all of a PlanStep the caller reads


def test_the_first_preferred_runtime_a_step_has_is_used():
    cluster = RecordingCluster({"plate_preprocess": ("wasm", "container"), "plate_lookup": ("container", "process")})
    caller = ExecutorCaller(cluster, "cam1", ("wasm", "container"))
    caller.call(step("plate_preprocess"), {"frame": b"P5"})
    caller.call(step("plate_lookup"), {"reading": {}})
    assert cluster.asked == [("plate_preprocess", "wasm"), ("plate_lookup", "container")]
    assert ExecutorCaller(cluster, "cam1", "process").runtimes == ("process",)
    assert ExecutorCaller(cluster, "cam1").runtime is None


def test_the_command_enters_the_host_namespace(tmp_path):
    argv = host_request_command(4242, tmp_path, "cam1", "license_plate_recognition", tmp_path / "in",
                                tmp_path / "out", ("wasm", "container"))
    assert argv[0].endswith("nsenter") and argv[1:5] == ["-t", "4242", "-n", "--"]
    assert argv[argv.index("-m") + 1] == "dp_agents.on_host"
    assert argv[argv.index("--source") + 1] == "cam1" and argv[-2:] == ["--runtime", "wasm,container"]


def test_bad_requests_or_state_are_reported_not_raised(tmp_path, capsys):
    (tmp_path / "in").write_bytes(pack({"not": "a list"}))
    args = ["--state", str(tmp_path), "--source", "cam1", "--service", "license_plate_recognition",
            "--requests", str(tmp_path / "in"), "--answers", str(tmp_path / "out")]
    assert main(args) == 1 and "not a list of requests" in capsys.readouterr().err
    (tmp_path / "in").write_bytes(pack([b"P5"]))
    assert main(args) == 1 and "no edge cluster state" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
