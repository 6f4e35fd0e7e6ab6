#!/usr/bin/env bash
# One idempotent set-up for `make demo` and `make test` on a fresh Debian 12 machine (as root).
# A second run only checks what is there: seconds, not minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="mininet openvswitch-switch iperf3 iputils-ping ethtool clang lld wasi-libc
  libclang-rt-14-dev-wasm32 runc chromium fonts-dejavu-core"

missing=""
for pkg in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -q
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
fi

PYTHON=${PYTHON:-python3}
stamp=.venv/.installed
if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: building the virtualenv at .venv"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
  touch "$stamp"
fi

# Debian's Mininet is pure Python: expose that one package to the venv, nothing else.
mkdir -p .mnshim
ln -sfn /usr/lib/python3/dist-packages/mininet .mnshim/mininet
purelib=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$PWD/.mnshim" > "$purelib/debian_mininet.pth"

# Build artefacts that the code needs (wasm kernels); each build step is incremental.
if [ -f edge_exec/kernels/Makefile ]; then make -s -C edge_exec/kernels; fi
if [ -f dp_agents/kernels/Makefile ]; then make -s -C dp_agents/kernels; fi
# The traffic models are trained once from ../shared/data (containers cannot read it).
[ -f dp_agents/traffic/trained/traffic-models.npz ] || .venv/bin/aaas service train >/dev/null
