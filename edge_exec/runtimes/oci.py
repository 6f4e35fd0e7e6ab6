"""Pure construction of the OCI bundle for a container worker (runc 1.1 config.json).

The root filesystem is a nearly empty read-only folder: /usr comes from the host (bind,
read-only) with the usual bin/lib symlinks, the project (with its venv) and the Python home
the venv points at are bound read-only at their host paths, /tmp is a private tmpfs. The
container joins the node's network namespace by path. Limits live on the executor's
instance cgroup (see cgroups.py), which is the parent of `cgroups_path`.
"""

from __future__ import annotations

from pathlib import Path

SYMLINKS = {"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"}
# host files libraries look up (user names, name resolution, time zone), bound read-only one by one
ETC_FILES = ("/etc/passwd", "/etc/group", "/etc/hosts", "/etc/nsswitch.conf", "/etc/localtime")
MASKED = ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware"]


def _bind(path: str) -> dict:
    return {"destination": path, "type": "bind", "source": path, "options": ["rbind", "ro", "nosuid"]}


def _kernel_mounts() -> list[dict]:
    return [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "nodev", "mode=1777", "size=65536k"]},
    ]


def bundle_config(*, args: list[str], cwd: str, env: dict[str, str], rootfs: str, binds: list[str],
                  netns_path: str | None, cgroups_path: str, hostname: str = "edge") -> dict:
    namespaces = [{"type": t} for t in ("pid", "ipc", "uts", "mount")]
    if netns_path is not None:
        namespaces.append({"type": "network", "path": netns_path})
    return {
        "ociVersion": "1.0.2-dev",
        "process": {
            "terminal": False, "user": {"uid": 0, "gid": 0}, "args": args, "cwd": cwd,
            "env": [f"{k}={v}" for k, v in sorted(env.items())],
            "capabilities": {k: ["CAP_KILL", "CAP_NET_BIND_SERVICE"] for k in
                             ("bounding", "effective", "permitted")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": rootfs, "readonly": True},
        "hostname": hostname,
        "mounts": _kernel_mounts() + [_bind(path) for path in ["/usr", *binds, *etc_files()]],
        "linux": {
            "namespaces": namespaces,
            "cgroupsPath": cgroups_path,
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "maskedPaths": MASKED,
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
    }


def etc_files() -> list[str]:
    return [path for path in ETC_FILES if Path(path).is_file()]


def prepare_rootfs(rootfs: Path, binds: list[str]) -> None:
    """Empty mount points and the /usr symlinks; idempotent, shared by all instances."""
    for name in ("usr", "proc", "dev", "sys", "tmp", "etc", "root"):
        (rootfs / name).mkdir(parents=True, exist_ok=True)
    for name, target in SYMLINKS.items():
        link = rootfs / name
        if not link.is_symlink():
            link.symlink_to(target)
    for path in binds:
        (rootfs / path.lstrip("/")).mkdir(parents=True, exist_ok=True)
    for path in etc_files():
        (rootfs / path.lstrip("/")).touch(exist_ok=True)      # a file mount needs a file to cover
