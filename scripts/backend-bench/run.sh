#!/usr/bin/env bash
# Single-thread benchmark of three GEMM/convolution backends (OpenBLAS, BLIS, oneDNN) on the
# CIFAR ResNet-18 input-Jacobian workload (1 forward + 10 backward-data per image).
#
#   bash scripts/backend-bench/run.sh [openblas] [blis] [onednn]   # default: all three
#
# Installs the Debian packages it needs if they are missing, builds with gcc/g++ -O2 into a
# temporary directory and prints each backend's table, then a summary.
# Knobs: BENCH_SAMPLES (samples per measurement, median reported; default 5),
#        BENCH_MIN_MS (minimum length of one sample in ms; default 40),
#        BENCH_CPU (pin to this CPU with taskset; default: no pinning).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(openblas blis onednn)

packages=(gcc g++ pkg-config libopenblas-dev libblis-dev libblis-serial-dev libdnnl-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
multiarch="$(gcc -print-multiarch)"
blis_dir="/usr/lib/$multiarch/blis-serial" # the single-threaded BLIS build; libblis.so.4 may point elsewhere

for b in "${backends[@]}"; do
    case "$b" in
    openblas)
        # shellcheck disable=SC2046
        gcc -O2 -Wall -o "$build/openblas" "$here/openblas.c" $(pkg-config --cflags --libs openblas) ;;
    blis)
        gcc -O2 -Wall -o "$build/blis" "$here/blis.c" -isystem "/usr/include/$multiarch/blis-serial" \
            -L"$blis_dir" -Wl,-rpath,"$blis_dir" -lblis -lm ;;
    onednn)
        g++ -O2 -Wall -fopenmp -o "$build/onednn" "$here/onednn.cpp" -ldnnl ;;
    *) echo "unknown backend: $b (expected openblas, blis or onednn)" >&2; exit 2 ;;
    esac
done

export OPENBLAS_NUM_THREADS=1 BLIS_NUM_THREADS=1 OMP_NUM_THREADS=1 DNNL_NUM_THREADS=1 MKL_NUM_THREADS=1
pin=()
[ -z "${BENCH_CPU:-}" ] || pin=(taskset -c "$BENCH_CPU")

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p') (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p')), $(nproc --all) CPUs, L2 $(lscpu | sed -n 's/^L2 cache: *//p'), L3 $(lscpu | sed -n 's/^L3 cache: *//p')"
flags="$(grep -m1 '^flags' /proc/cpuinfo)"
printf 'ISA flags:'
for f in sse4_2 avx fma avx2 avx512f avx512bw avx512_vnni avx_vnni amx_tile; do
    if grep -qw "$f" <<<"$flags"; then printf ' %s' "$f"; else printf ' no-%s' "$f"; fi
done
echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

for b in "${backends[@]}"; do
    "${pin[@]}" "$build/$b" | tee "$build/$b.log"
    echo
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== summary: whole network, 1 forward + 10 backward-data per image, single thread =="
printf '%-10s %-48s %10s %16s\n' backend variant "s/image" "effective GFLOP/s"
for b in "${backends[@]}"; do
    grep '^summary|' "$build/$b.log" | while IFS='|' read -r _ backend variant secs gflops; do
        if [ -z "${gflops:-}" ]; then
            printf '%-10s %-48s %10s %16s\n' "$backend" "$variant" "" "$secs"
        else
            printf '%-10s %-48s %10s %16s\n' "$backend" "$variant" "$secs" "$gflops"
        fi
    done
done
