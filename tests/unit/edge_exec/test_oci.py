from edge_exec.runtimes.oci import bundle_config, prepare_rootfs


def test_bundle_is_read_only_joins_the_node_namespace_and_binds_read_only(tmp_path):
    config = bundle_config(args=["python", "-m", "w"], cwd="/proj", env={"A": "1"}, rootfs=str(tmp_path),
                           binds=["/proj"], netns_path="/proc/42/ns/net",
                           cgroups_path="/x/aaas-edge-1/i1/ctr")
    assert config["root"] == {"path": str(tmp_path), "readonly": True}
    assert {"type": "network", "path": "/proc/42/ns/net"} in config["linux"]["namespaces"]
    binds = {m["destination"]: m for m in config["mounts"] if m["type"] == "bind"}
    assert {"/usr", "/proj"} <= set(binds) and all("ro" in m["options"] for m in binds.values())
    assert any(m["destination"] == "/tmp" and m["type"] == "tmpfs" for m in config["mounts"])
    assert config["linux"]["cgroupsPath"].endswith("/i1/ctr") and config["process"]["terminal"] is False


def test_without_a_namespace_path_the_container_keeps_the_executors_network(tmp_path):
    config = bundle_config(args=["x"], cwd="/", env={}, rootfs=str(tmp_path), binds=[], netns_path=None,
                           cgroups_path="/c")
    assert all(ns["type"] != "network" for ns in config["linux"]["namespaces"])


def test_rootfs_is_mount_points_and_usr_symlinks(tmp_path):
    prepare_rootfs(tmp_path, ["/work/proj"])
    prepare_rootfs(tmp_path, ["/work/proj"])        # idempotent
    assert (tmp_path / "bin").readlink().as_posix() == "usr/bin"
    assert (tmp_path / "work/proj").is_dir() and (tmp_path / "tmp").is_dir()
