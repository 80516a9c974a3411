// swift-tools-version:6.0
import PackageDescription

// Hot numeric loops must be built optimised and unchecked: Swift loops in debug builds
// are 30–300× slower, and bounds checks cost ~2× in the convolution inner loops.
let numericFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Seismo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "seismo", targets: ["seismo"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Coordinator", targets: ["Coordinator"]),
        .library(name: "Worker", targets: ["Worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // BLAS/LAPACK from the system (Debian: libopenblas-dev), behind one small Swift interface.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // zlib for gzipped IDX files and compressed NPZ archives.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Wire vocabulary shared by every role. No dependencies.
        .target(name: "Protocol"),
        // The ONNX file format: generated protobuf code over our own schema subset, reader and writer.
        .target(name: "ONNX", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["onnx.proto"]),
        // Tensors, models, forward/backward, the analyses (plan/execute/aggregate), statistics, data
        // readers, model zoo, pictures. SHA-256 names the artifacts analyses read.
        .target(name: "Engine", dependencies: ["Protocol", "ONNX", "CBLAS", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: numericFlags),
        // The coordinator's side of the cluster: PostgreSQL store and migrations, jobs, shard leases.
        // Analyses stay in Engine; nothing about one lives here.
        .target(name: "Coordinator", dependencies: [
            "Protocol", "Engine",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The worker's side: a typed client of the coordinator's API (the CLI uses it too), the
        // pull loop with heartbeats, and the on-disk artifact cache. Runs Engine; no SQL.
        .target(name: "Worker", dependencies: [
            "Protocol", "Engine",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(
            name: "seismo",
            dependencies: ["Engine", "Protocol", "Coordinator", "Worker",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: numericFlags),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "ONNX", "Protocol"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX"]),
        .testTarget(name: "CoordinatorTests", dependencies: [
            "Coordinator", "Protocol", "Engine", "Worker",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
