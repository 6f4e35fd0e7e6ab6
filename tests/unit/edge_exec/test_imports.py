import subprocess
import sys


def test_driver_side_modules_do_not_load_wasmtime():
    code = ("import sys, edge_exec.cluster, edge_exec.node, edge_exec.worker, edge_exec.catalog; "
            "print('wasmtime' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_package_names_resolve_lazily_and_workers_stay_light():
    from edge_exec.runtimes.process import worker_env
    code = ("import sys, edge_exec.worker; light = 'dataclasses' not in sys.modules; "
            "from edge_exec import EdgeCluster, Function; "
            "print(light, EdgeCluster.__name__, Function.__name__)")
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=60,
                            env=worker_env())     # how workers start: -S, packages by path
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "EdgeCluster", "Function"]
