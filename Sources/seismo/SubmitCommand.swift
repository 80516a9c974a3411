import ArgumentParser
import Engine
import Foundation
import Protocol
import Worker

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit an analysis to a cluster; prints the job id alone on stdout.",
        discussion: """
            Takes the options of `seismo analyze KIND` (without --out and --threads). The files are \
            read and checked here first, then uploaded as content-addressed artifacts (skipped when \
            the coordinator has them), and the coordinator checks the job again against its copies \
            before accepting it. Progress goes to stderr, so scripts can capture the id:

              JOB=$(seismo submit influence --model m.onnx --data test.npy --labels y.npy)
              seismo watch $JOB && seismo export $JOB --out runs/influence
            """,
        subcommands: [SubmitInfluence.self, SubmitMaps.self, SubmitParams.self, SubmitSweep.self, SubmitSolutionSet.self])
}

/// How the cluster runs a job.
struct SubmitSettings: ParsableArguments {
    @Option(help: "Higher runs first (−1000…1000).") var priority: Int = 0
    @Option(help: "Executions of a shard before the job fails (1…100).") var maxAttempts: Int = SubmitRequest.defaultMaxAttempts

    func validate() throws {
        guard (-1000...1000).contains(priority) else { throw ValidationError("--priority must be in −1000…1000, got \(priority)") }
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be in 1…100, got \(maxAttempts)") }
    }
}

struct SubmitInfluence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "influence", abstract: AnalyzeInfluence.configuration.abstract)
    @OptionGroup var arguments: InfluenceArguments
    @OptionGroup var settings: SubmitSettings
    @OptionGroup var connection: ClusterConnection
    func run() async throws { try await submitJob(arguments, settings, connection) }
}

struct SubmitMaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "influence-maps", abstract: AnalyzeMaps.configuration.abstract)
    @OptionGroup var arguments: MapsArguments
    @OptionGroup var settings: SubmitSettings
    @OptionGroup var connection: ClusterConnection
    func run() async throws { try await submitJob(arguments, settings, connection) }
}

struct SubmitParams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "influence-params", abstract: AnalyzeParams.configuration.abstract)
    @OptionGroup var arguments: ParamsArguments
    @OptionGroup var settings: SubmitSettings
    @OptionGroup var connection: ClusterConnection
    func run() async throws { try await submitJob(arguments, settings, connection) }
}

/// Checks the job here, uploads what the coordinator lacks, creates the job, prints its id.
func submitJob<K: KindArguments>(_ arguments: K, _ settings: SubmitSettings, _ connection: ClusterConnection) async throws {
    let local = try arguments.localJob()
    let client = connection.client
    for artifact in local.job.inputs.artifacts {
        if try await client.hasArtifact(artifact.sha256) {
            note("\(artifact.name): already on the coordinator")
            continue
        }
        let url = try local.artifacts.url(for: artifact)
        note("\(artifact.name): uploading \(artifact.bytes) bytes")
        try await client.upload(artifact, bytes: try Data(contentsOf: url, options: .mappedIfSafe))
    }
    let spec = try SeismoJSON.decoder().decode(JSONValue.self, from: SeismoJSON.encoder(pretty: false).encode(local.job))
    let response = try await client.submit(SubmitRequest(job: spec, shardSize: arguments.shardSize, priority: settings.priority,
                                                         maxAttempts: settings.maxAttempts))
    note("job \(response.id.uuidString.lowercased()): \(response.shards) shards")
    print(response.id.uuidString.lowercased())
}

struct SubmitSweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "perturbation-sweep", abstract: AnalyzeSweep.configuration.abstract)
    @OptionGroup var arguments: SweepArguments
    @OptionGroup var settings: SubmitSettings
    @OptionGroup var connection: ClusterConnection
    func run() async throws { try await submitJob(arguments, settings, connection) }
}
