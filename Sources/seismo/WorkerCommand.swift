import ArgumentParser
import Engine
import Foundation
import Logging
import ServiceLifecycle
import Worker

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: pull shards from a coordinator, compute them, report back.",
        discussion: """
            Stateless: its only state is a disposable artifact cache (verified by SHA-256). It \
            connects out only, so it may run behind NAT. Heartbeats keep its leases; a shard whose \
            lease is lost (expired, or its job cancelled) is dropped. SIGTERM or SIGINT stops \
            claiming, finishes and reports the shards in hand, then exits.

              seismo worker --coordinator http://10.0.0.5:8080 --token sk_… --slots 2
            """)

    @OptionGroup var connection: ClusterConnection
    @Option(help: "Shards computed at once.") var slots: Int = 1
    @Option(help: "Threads per shard (default: the cores divided among the slots).") var threads: Int?
    @Option(help: "Name shown in `seismo workers` (default: HOST-PID).") var name: String?
    @Option(help: "Lease length in seconds (heartbeats every third of it).") var leaseSeconds: Double = 60
    @Option(help: "Artifact cache directory (default: $SEISMO_CACHE or ~/.cache/seismo/artifacts).") var cacheDir: String?

    func validate() throws {
        guard (1...256).contains(slots) else { throw ValidationError("--slots must be in 1…256, got \(slots)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard (1...3600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be in 1…3600, got \(leaseSeconds)") }
    }

    func run() async throws {
        var logger = Logger(label: "seismo.worker")
        logger.logLevel = .info
        let workerName = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let configuration = WorkerConfiguration(
            name: workerName, slots: slots, threadsPerShard: threads ?? max(1, availableCores / slots), leaseSeconds: leaseSeconds,
            cacheDirectory: URL(fileURLWithPath: cacheDir ?? defaultArtifactCache()))
        let service = WorkerService(configuration: configuration, client: connection.client, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
