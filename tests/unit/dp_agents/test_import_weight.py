import subprocess
import sys

HEAVY = ("cv2", "rapidocr", "onnxruntime", "pandas", "torch", "wasmtime", "PIL")


def loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.split()


def test_planning_a_service_loads_no_service_component():
    """The console hands off service.deploy: that must not pay for OpenCV, OCR or pandas."""
    assert loaded_after("import dp_agents.handoff, dp_agents.planning, dp_agents.toolbox") == []


def test_light_steps_start_without_heavy_imports():
    """Executor workers import only their step: lookup and traffic steps stay numpy-only."""
    assert loaded_after("import dp_agents.plates.registry, dp_agents.traffic.steps") == []
