#!/usr/bin/env bash
# The test command: builds Seismo, runs every test suite, then the end-to-end checks
# (ONNX written by Seismo read back by onnxruntime; training on real Fashion-MNIST; the
# coordinator and a whole local cluster as processes, with its fault checks; the cluster across
# network namespaces with a worker host cut off mid-job (skipped without root); the deployment files;
# the dashboard rendered by headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh --for-tests

echo "== release build and end-to-end checks" >&2
swift build -c release --product seismo
bash scripts/check-end-to-end.sh "$(swift build -c release --show-bin-path)/seismo"
bash scripts/check-coordinator.sh "$(swift build -c release --show-bin-path)/seismo"
bash scripts/check-cluster.sh "$(swift build -c release --show-bin-path)/seismo"
bash scripts/check-multihost.sh "$(swift build -c release --show-bin-path)/seismo"
bash scripts/check-deploy-files.sh
bash scripts/check-dashboard.sh "$(swift build -c release --show-bin-path)/seismo"

echo "== unit and golden tests" >&2
swift build --build-tests
swift test --skip-build
