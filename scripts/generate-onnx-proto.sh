#!/usr/bin/env bash
# Regenerates Sources/ONNX/Generated/onnx.pb.swift from Sources/ONNX/onnx.proto.
#
# Needs `protoc` (Debian: protobuf-compiler) and the swift-protobuf plugin `protoc-gen-swift`,
# taken from $PROTOC_GEN_SWIFT, else from PATH, else built from the swift-protobuf checkout that
# SwiftPM resolved for this package, so that the generated code matches the runtime library.
set -euo pipefail
cd "$(dirname "$0")/.."

proto_dir=Sources/ONNX
output_dir=Sources/ONNX/Generated

command -v protoc >/dev/null || { echo "protoc not found (Debian: apt-get install protobuf-compiler)" >&2; exit 1; }

find_plugin() {
    if [[ -n "${PROTOC_GEN_SWIFT:-}" ]]; then
        [[ -x "$PROTOC_GEN_SWIFT" ]] || { echo "PROTOC_GEN_SWIFT=$PROTOC_GEN_SWIFT is not executable" >&2; exit 1; }
        echo "$PROTOC_GEN_SWIFT"
    elif command -v protoc-gen-swift >/dev/null; then
        command -v protoc-gen-swift
    else
        build_plugin
    fi
}

build_plugin() {
    local checkout=.build/checkouts/swift-protobuf
    local scratch=.build/protoc-gen-swift
    if [[ ! -d "$checkout" ]]; then
        echo "resolving packages to get the swift-protobuf checkout" >&2
        swift package resolve >&2
    fi
    echo "building protoc-gen-swift from $checkout" >&2
    swift build -c release --product protoc-gen-swift --package-path "$checkout" --scratch-path "$scratch" >&2
    echo "$(swift build -c release --package-path "$checkout" --scratch-path "$scratch" --show-bin-path)/protoc-gen-swift"
}

plugin=$(find_plugin)
mkdir -p "$output_dir"
# Internal visibility: the generated types are an implementation detail of the ONNX module.
protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path="$proto_dir" \
    --swift_out="$output_dir" \
    --swift_opt=Visibility=Internal \
    "$proto_dir/onnx.proto"
echo "wrote $output_dir/onnx.pb.swift" >&2
