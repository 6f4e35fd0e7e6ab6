"""The three services end to end on the emulated edge6g network: each request is issued inside a
camera's or vehicle's namespace (dp_agents.on_host), its steps run on the node executors placed
nearest that host by the modelled link latency, and every step's input and output crosses the
emulated links (the switch ports' byte counters grow by at least what was carried)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dp_agents.bev.fusion import BEV_EXTENT_M, BEV_SIZE, psnr
from dp_agents.bev.scene import ground_truth, render_scene
from dp_agents.bev.steps import decode_bev
from dp_agents.executor import serving_cluster
from dp_agents.on_host import host_environment, host_request_command
from dp_agents.payload import pack, unpack
from dp_agents.plates.synth import generate_plates
from dp_agents.traffic.readings import traffic_request
from dp_agents.traffic.series import metr_speeds, nab_series
from dp_agents.traffic.store import traffic_models
from dp_agents.traffic.training import score_corridor_model, score_road_model
from edge_exec.cluster import twin_addresses
from edge_exec.placement import proximity
from twin.model import load_topology

pytestmark = pytest.mark.integration

NODES = ("du1", "du2", "du3", "cu1")
REQUEST_TIMEOUT_S = 900          # a handful of requests, cold containers, two shared cores
# thresholds of the standalone quality tests (test_plate_service, test_bev_service)
MIN_PLATE_ACCURACY = 0.9
MIN_COVERAGE = 0.38
MIN_PSNR_DB = 24.0


@pytest.fixture(scope="module")
def edge6g(emulation_environment):
    from twin.emu import down, up

    name = f"dpt{os.getpid() % 10000}"
    network = up(load_topology("edge6g"), name, die_with_parent=True)
    try:
        yield network
    finally:
        down(name)


@pytest.fixture(scope="module")
def cluster(edge6g, plate_kernel, ocr_ready, shared_data):
    traffic_models()  # containers cannot see the data: the trained artefact must exist first
    for tool in ("runc", "nsenter"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/setup.sh (apt: runc util-linux)"
    with serving_cluster(load_topology("edge6g"), list(NODES), "dpt-", netns=edge6g.node_pid,
                         addresses=twin_addresses(edge6g), keep_alive_s=300) as edge:
        yield edge


@pytest.fixture(autouse=True)
def empty_edge(cluster):
    """Each service starts on empty nodes: the services share the nodes' capacity, and a node
    still full of another service's idle instances is (rightly) passed over by placement."""
    for node in cluster.handles:
        cluster.client(node).reap(0)


class LinkBytes:
    """Byte counters of the switch ends of emulated links (root-namespace veths: read, never sent on)."""

    def __init__(self, network) -> None:
        self.network = network

    def read(self, a: str, b: str) -> dict[str, int]:
        totals = {"rx": 0, "tx": 0}
        for intf in self.network.link_interfaces(a, b):
            for direction in totals:
                totals[direction] += int(Path(f"/sys/class/net/{intf}/statistics/{direction}_bytes").read_text())
        return totals


def uplink(topology, host: str) -> tuple[str, str]:
    return host, topology.attachment(host)


def issue(edge6g, cluster, source: str, service: str, requests: list, runtimes: tuple[str, ...]) -> dict:
    """Runs dp_agents.on_host inside `source`'s namespace; returns its answers and step metadata."""
    folder = Path(tempfile.mkdtemp(prefix=f"req-{source}-"))
    try:
        (folder / "in").write_bytes(pack(requests))
        argv = host_request_command(edge6g.node_pid(source), cluster.state_dir, source, service, folder / "in",
                                    folder / "out", runtimes)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=REQUEST_TIMEOUT_S,
                              env=host_environment())
        assert done.returncode == 0, f"request from {source} failed:\n{done.stderr[-3000:]}"
        return unpack((folder / "out").read_bytes())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def issue_and_count(edge6g, cluster, source, service, requests, runtimes=("container",)):
    """Issues the requests and checks that what they carried crossed the emulated links: the
    host's uplink and, for each node that ran steps, the link to its compute server."""
    topology = load_topology("edge6g")
    counters = LinkBytes(edge6g)
    nodes_links = {node: (node, f"{node}_srv") for node in NODES}
    before = {"uplink": counters.read(*uplink(topology, source))}
    before |= {node: counters.read(*link) for node, link in nodes_links.items()}
    result = issue(edge6g, cluster, source, service, requests, runtimes)
    after = {"uplink": counters.read(*uplink(topology, source))}
    after |= {node: counters.read(*link) for node, link in nodes_links.items()}
    grew = {key: {d: after[key][d] - before[key][d] for d in ("rx", "tx")} for key in before}

    assert result["source"] == source and result["netns"] == os.readlink(f"/proc/{edge6g.node_pid(source)}/ns/net")
    sent = sum(meta["payload_bytes"] for steps in result["steps"] for meta in steps.values())
    answered = sum(meta["output_bytes"] for steps in result["steps"] for meta in steps.values())
    # the host's switch port receives what the host sends, and sends it what the nodes answer
    assert grew["uplink"]["rx"] >= sent and grew["uplink"]["tx"] >= answered, (grew["uplink"], sent, answered)
    carried = defaultdict(lambda: {"payload": 0, "output": 0})
    for steps in result["steps"]:
        for meta in steps.values():
            carried[meta["node"]]["payload"] += meta["payload_bytes"]
            carried[meta["node"]]["output"] += meta["output_bytes"]
    for node, amount in carried.items():
        assert grew[node]["tx"] >= amount["payload"] and grew[node]["rx"] >= amount["output"], (node, grew[node])
    print(f"{service} from {source}: sent {sent} B, answered {answered} B; link bytes grew {dict(grew)}")
    return result


def placements(result: dict) -> dict[str, set[str]]:
    nodes: dict[str, set[str]] = defaultdict(set)
    for steps in result["steps"]:
        for step, meta in steps.items():
            nodes[step].add(meta["node"])
    return dict(nodes)


def assert_modelled_latency(result: dict, source: str) -> None:
    near = proximity(load_topology("edge6g"), source)
    for steps in result["steps"]:
        for meta in steps.values():
            assert meta["source"] == source and meta["network_latency_ms"] == near[meta["node"]].latency_ms


def nearest_started(source: str) -> str:
    near = proximity(load_topology("edge6g"), source)
    return min(NODES, key=lambda node: (near[node].latency_ms, near[node].hops, node))


@pytest.mark.parametrize("source", ["cam1", "cam2"])
def test_plates_from_a_camera_are_read_on_the_nearest_node(edge6g, cluster, source):
    plates = generate_plates(10, seed=7)[0::2] if source == "cam1" else generate_plates(10, seed=7)[1::2]
    result = issue_and_count(edge6g, cluster, source, "license_plate_recognition", [p.frame for p in plates],
                             ("wasm", "container"))
    correct = sum(answer["plate"] == plate.label for answer, plate in zip(result["answers"], plates, strict=True))
    print(f"plates from {source}: {correct}/{len(plates)}")
    assert correct / len(plates) >= MIN_PLATE_ACCURACY
    expected = {"cam1": "du1", "cam2": "du2"}[source]      # each camera's RU hangs off that DU
    assert nearest_started(source) == expected
    assert placements(result) == {"preprocess": {expected}, "ocr": {expected}, "lookup": {expected}}
    assert {steps["preprocess"]["runtime"] for steps in result["steps"]} == {"wasm"}
    assert_modelled_latency(result, source)


ROAD_AT = {"veh1": "2012-03-06T17:30:00", "veh2": "2012-03-07T08:00:00"}   # both in the held-out 30 %
CORRIDOR = {"veh1": ("6005", "2015-09-15T08:00:00"), "veh2": ("t4013", "2015-09-10T17:00:00")}


@pytest.mark.parametrize("source", ["veh1", "veh2"])
def test_traffic_prediction_from_a_vehicle_tracks_the_true_series(edge6g, cluster, source):
    sensor, corridor_at = CORRIDOR[source]
    request = traffic_request(ROAD_AT[source], sensor, corridor_at)
    result = issue_and_count(edge6g, cluster, source, "traffic_flow_prediction", [request])
    (answer,) = result["answers"]
    assert answer["horizons_min"] == [15, 30, 60] and answer["corridor"]["sensor"] == sensor

    # the model that answered beats the last-value baseline on the held-out 30 % at every horizon
    grid, models = metr_speeds(), traffic_models()
    held_out = score_road_model(models.road, grid)
    corridor_held_out = score_corridor_model(models.corridors[sensor], nab_series(sensor))
    for scores in (held_out, corridor_held_out):
        assert sorted(h * 5 for h in scores) == [15, 30, 60]
        assert all(s["model_mae"] < s["last_value_mae"] for s in scores.values())
    end = grid.times.get_loc(pd.Timestamp(ROAD_AT[source]))
    for minutes, predicted in answer["road_mean_speed_mph"].items():
        truth = float(grid.values[end + int(minutes) // 5].mean())
        # the network-wide mean is off by no more than one sensor's typical error
        assert abs(predicted - truth) <= held_out[int(minutes) // 5]["model_mae"], (minutes, predicted, truth)
    series = nab_series(sensor).speed
    low, high = float(np.nanmin(series)), float(np.nanmax(series))
    assert all(low <= v <= high for v in answer["corridor"]["speed_mph"].values())

    expected = {"veh1": "du1", "veh2": "du2"}[source]
    assert nearest_started(source) == expected
    assert set().union(*placements(result).values()) == {expected}
    assert_modelled_latency(result, source)


@pytest.fixture(scope="module")
def scene():
    return render_scene(seed=11)


@pytest.mark.parametrize("source", ["veh1", "veh3"])
def test_blind_zones_are_completed_for_a_vehicle(edge6g, cluster, scene, source):
    request = {"frames": {c.name: f for c, f in zip(scene.cameras, scene.frames, strict=True)},
               "cameras": {c.name: c.to_json() for c in scene.cameras}}
    result = issue_and_count(edge6g, cluster, source, "blind_zone_completion", [request])
    (answer,) = result["answers"]
    image, known = decode_bev(answer["bev_png"])
    quality = psnr(image, ground_truth(scene.texture, BEV_SIZE, BEV_EXTENT_M), known)
    print(f"blind zones from {source}: coverage {answer['coverage']:.3f}, PSNR {quality:.2f} dB")
    assert answer["coverage"] >= MIN_COVERAGE and quality >= MIN_PSNR_DB

    # the four camera preparations fill the nearest DU (4 x 0.5 CPU); the fusion (1 CPU) goes to
    # the next nearest node with room, so its inputs travel DU -> vehicle -> that node
    prepared, fused = {"veh1": ("du1", "cu1"), "veh3": ("du3", "du2")}[source]
    assert nearest_started(source) == prepared
    nodes = placements(result)
    assert nodes.pop("fuse") == {fused} and set().union(*nodes.values()) == {prepared}
    assert_modelled_latency(result, source)


def test_the_cli_runs_a_request_from_a_host_across_the_twin(edge6g, cluster, tmp_path):
    """`aaas service run --twin`: its own executors (on their own port, beside the module's
    cluster), the request issued inside cam2, every step on cam2's DU; bad sources are refused."""
    import json
    import sys

    plate = generate_plates(3, seed=11)[2]
    (tmp_path / "plate.ppm").write_bytes(plate.frame)
    argv = [sys.executable, "-m", "aaas", "service", "run", "license_plate_recognition", "--input",
            str(tmp_path / "plate.ppm"), "--twin", edge6g.name, "--json"]
    done = subprocess.run([*argv, "--near", "cam2"], capture_output=True, text=True, timeout=REQUEST_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["output"]["plate"] == plate.label and report["from"] == "cam2"
    assert {step["node"] for step in report["steps"].values()} == {"du2"}
    refused = subprocess.run([*argv, "--near", "du2"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "not a host" in refused.stderr and "Traceback" not in refused.stderr
