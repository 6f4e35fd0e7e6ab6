"""The toolbox's wasm variants against its Python steps, on the real edge-executor wasm runtime
(wasmtime) with the real host models (rapidocr's ONNX networks, the trained traffic models)."""

import pytest

from dp_agents.executor import decode_output, encode_inputs, executor_function
from dp_agents.plates.ocr import read_plate
from dp_agents.plates.preprocess import preprocess_frame
from dp_agents.plates.synth import generate_plates
from dp_agents.toolbox import TOOLBOX
from dp_agents.traffic import steps as traffic
from dp_agents.traffic.readings import traffic_request
from edge_exec.errors import FunctionFailed

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def wasm(tmp_path_factory, plate_kernel):
    from edge_exec.runtimes.wasm import WasmRuntime

    runtime = WasmRuntime(tmp_path_factory.mktemp("cache"))
    instances = {}

    def run(name: str, **inputs):
        function = TOOLBOX[name]
        if name not in instances:
            instances[name] = runtime.start(executor_function(function), name)
        outcome = instances[name].invoke(encode_inputs(function, inputs), 1)
        return decode_output(function, outcome.output)

    run.runtime = runtime
    yield run
    for instance in instances.values():
        instance.close()
    runtime.close()


def test_wasm_ocr_reads_the_same_plates_as_the_python_step(wasm, ocr_ready):
    plates = generate_plates(20, seed=7)
    images = [preprocess_frame(p.frame) for p in plates]
    from_wasm = [wasm("plate_ocr", image=image) for image in images]
    from_python = [read_plate(image) for image in images]
    assert [r["plate"] for r in from_wasm] == [r["plate"] for r in from_python]
    assert sum(r["plate"] == p.label for r, p in zip(from_wasm, plates, strict=True)) >= 18
    assert all(abs(w["score"] - p["score"]) < 0.05 for w, p in zip(from_wasm, from_python, strict=True))
    assert {key: type(value) for key, value in from_wasm[0].items()} == {
        key: type(value) for key, value in from_python[0].items()
    }


def test_wasm_ocr_shares_one_copy_of_the_networks(wasm, ocr_ready):
    wasm("plate_ocr", image=preprocess_frame(generate_plates(1, seed=3)[0].frame))
    assert wasm.runtime.models.loaded() == [
        "dp_agents.plates.networks:detector",
        "dp_agents.plates.networks:recogniser",
    ]


def test_wasm_ocr_rejects_what_is_not_a_plate_image(wasm, ocr_ready):
    with pytest.raises(FunctionFailed, match="rejected its input"):
        wasm("plate_ocr", image=b"GIF89a not a pnm")


@pytest.mark.parametrize("k", range(4))
def test_wasm_traffic_steps_compute_what_the_python_steps_compute(wasm, shared_data, k):
    request = traffic_request(f"2012-03-0{6 + k % 2}T{7 + 3 * k:02d}:{(k * 5) % 60:02d}:00", ("6005", "t4013")[k % 2], None)
    road, corridor = traffic.prep_road(request["road"]), traffic.prep_corridor(request["corridor"])
    assert wasm("traffic_prep_road", readings=request["road"]) == road
    assert wasm("traffic_prep_corridor", readings=request["corridor"]) == corridor
    predicted, expected = wasm("traffic_predict", road=road, corridor=corridor), traffic.predict(road, corridor)
    for minutes, speeds in expected["road"]["speed_mph"].items():
        assert max(abs(a - b) for a, b in zip(predicted["road"]["speed_mph"][minutes], speeds, strict=True)) <= 0.011
        assert abs(predicted["corridor"]["speed_mph"][minutes] - expected["corridor"]["speed_mph"][minutes]) <= 0.011
    assert {k: v for k, v in predicted["road"].items() if k != "speed_mph"} == {
        k: v for k, v in expected["road"].items() if k != "speed_mph"
    }
    assert wasm("traffic_report", prediction=expected) == traffic.report(expected)


def test_wasm_traffic_steps_reject_malformed_readings(wasm, shared_data):
    request = traffic_request("2012-03-06T08:00:00", "6005", None)
    road = dict(request["road"], speeds=request["road"]["speeds"][:5])
    with pytest.raises(FunctionFailed, match="rejected its input"):
        wasm("traffic_prep_road", readings=road)
    with pytest.raises(FunctionFailed, match="rejected its input"):
        wasm("traffic_prep_corridor", readings=dict(request["corridor"], at="yesterday"))
    dead = dict(request["road"], speeds=[[None] * len(request["road"]["sensors"])] * 12)
    with pytest.raises(FunctionFailed, match="rejected its input"):
        wasm("traffic_prep_road", readings=dead)


def test_wasm_predict_cannot_reach_an_undeclared_model(wasm, shared_data):
    request = traffic_request("2012-03-06T08:00:00", "6005", None)
    road, corridor = traffic.prep_road(request["road"]), traffic.prep_corridor(request["corridor"])
    with pytest.raises(FunctionFailed, match="not declared"):
        wasm("traffic_predict", road=road, corridor=dict(corridor, sensor="no-such-sensor"))


def test_the_catalog_declares_the_host_models_the_modules_define():
    from dp_agents.bev import codec
    from dp_agents.plates import networks as plate_networks
    from dp_agents.plates import registry_table
    from dp_agents.toolbox import catalog
    from dp_agents.traffic import networks as traffic_networks

    assert catalog.OCR_NETWORKS == plate_networks.HOST_MODELS
    assert catalog.TRAFFIC_MODELS == traffic_networks.HOST_MODELS
    assert catalog.REGISTRY_TABLE == registry_table.HOST_MODELS
    assert catalog.IMAGE_CODEC == codec.HOST_MODELS
    assert all(f.wasm is not None for f in TOOLBOX.values()), "every toolbox step has a wasm variant"


@pytest.mark.parametrize(
    "reading",
    [
        {"plate": "1ABC234", "raw": "1ABC234", "score": 0.9, "format_ok": True},
        {"plate": "8kzn988", "score": 0.5},
        {"plate": ""},
    ],
)
def test_wasm_lookup_answers_as_the_python_step(wasm, reading):
    from dp_agents.plates.layout import generate_plate_labels
    from dp_agents.plates.registry import lookup_plate

    known = generate_plate_labels(5, seed=7)
    for probe in (reading, dict(reading, plate=known[3]), dict(reading, plate=known[4].replace("0", "O"))):
        assert wasm("plate_lookup", reading=probe) == lookup_plate(probe)


def test_wasm_bev_steps_give_the_python_steps_images(wasm):
    import numpy as np

    from dp_agents.bev import steps as bev
    from dp_agents.bev.fusion import psnr
    from dp_agents.bev.scene import render_scene

    scene = render_scene(5)
    views = {}
    for camera, frame in zip(scene.cameras[:2], scene.frames[:2], strict=True):
        from_wasm, from_python = wasm("bev_prep_camera", frame=frame, camera=camera.to_json()), bev.prep_camera(
            frame, camera.to_json()
        )
        assert from_wasm["camera"] == from_python["camera"]
        image, expected = (bev._decode_rgb(v["image"], camera.name) for v in (from_wasm, from_python))
        assert psnr(image, expected, np.ones(image.shape[:2], bool)) > 45
        views[camera.name] = from_python
    fused, expected = wasm("bev_fuse", **views), bev.fuse(**views)
    assert {k: v for k, v in fused.items() if k != "bev_png"} == {k: v for k, v in expected.items() if k != "bev_png"}
    (image, known), (truth, truth_known) = bev.decode_bev(fused["bev_png"]), bev.decode_bev(expected["bev_png"])
    assert np.array_equal(known, truth_known) and psnr(image, truth, known) > 45


def test_wasm_bev_rejects_a_frame_that_is_no_image(wasm):
    from dp_agents.bev.scene import render_scene

    camera = render_scene(5).cameras[0].to_json()
    with pytest.raises(FunctionFailed, match="does not decode"):
        wasm("bev_prep_camera", frame=b"not a jpeg", camera=camera)
    with pytest.raises(FunctionFailed, match="rejected its input"):
        wasm("bev_prep_camera", frame=b"x", camera={"name": "car1"})
