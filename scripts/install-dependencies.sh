#!/usr/bin/env bash
# Installs what building and testing Seismo needs on a fresh Debian machine with Swift:
# OpenBLAS (BLAS + LAPACK), zlib, PostgreSQL (the coordinator tests start their own server),
# real Fashion-MNIST for the end-to-end checks, and the
# Python oracle packages (onnxruntime, onnx) that check models Seismo writes.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(libopenblas-dev zlib1g-dev dataset-fashion-mnist postgresql)
# The test command also renders the dashboard in a real browser, and builds hosts from network
# namespaces with `ip`.
if [ "${1:-}" = "--for-tests" ]; then
  packages+=(chromium)
  command -v ip >/dev/null 2>&1 || packages+=(iproute2)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Any Python 3 with pip will do; install Debian's only when there is none.
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python_packages=(onnxruntime onnx numpy pyyaml openapi-spec-validator)
if ! python3 -c "import onnxruntime, onnx, numpy, yaml, openapi_spec_validator" >/dev/null 2>&1; then
  echo "installing python packages: ${python_packages[*]}" >&2
  python3 -m pip install -q "${python_packages[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${python_packages[@]}"
fi
