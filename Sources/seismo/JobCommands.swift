import ArgumentParser
import Engine
import Foundation
import Protocol
import Worker

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the cluster's recent jobs, or one job with every failed attempt's error.")
    @Argument(help: "A job id (omit to list recent jobs).") var job: String?
    @Option(help: "How many jobs to list.") var limit: Int = 20
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let client = connection.client
        guard let job else {
            let jobs = try await client.jobs(limit: limit)
            if jobs.isEmpty { note("no jobs yet") }
            print(JobTable.render(jobs))
            return
        }
        print(JobTable.describe(try await client.status(try parseJobID(job))))
    }
}

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show a job's progress until it ends; exits 0 if it succeeded, 1 otherwise.")
    @Argument(help: "The job id.") var job: String
    @Option(help: "Seconds between polls.") var interval: Double = 1
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let id = try parseJobID(job)
        let client = connection.client
        var status = try await client.status(id)
        let bar = ProgressBar(total: max(status.shardsTotal, 1), label: "\(status.kind) \(id.uuidString.prefix(8).lowercased())")
        while true {
            bar.advance(by: max(0, status.shardsDone - bar.completed), note: status.state)
            if status.isFinished && (status.state != "succeeded" || status.summaryShards == status.shardsTotal) { break }
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            do {
                status = try await client.status(id)
            } catch let error as CoordinatorError where error.isTransient {
                bar.advance(by: 0, note: "coordinator unreachable; retrying")
            }
        }
        bar.finish(note: status.state)
        guard status.state == "succeeded" else {
            print(JobTable.describe(status))
            throw ExitCode.failure
        }
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job: no new claims; workers drop its shards at their next heartbeat.")
    @Argument(help: "The job id.") var job: String
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let id = try parseJobID(job)
        try await connection.client.cancel(id)
        note("job \(id.uuidString.lowercased()) cancelled")
    }
}

struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Print a job's summary (json, partial while it runs) or its per-sample table (csv).")
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }
    @Argument(help: "The job id.") var job: String
    @Option(help: "json (the summary) or csv (the kind's main table: samples.csv, maps_samples.csv or layers.csv).") var format: Format = .json
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let id = try parseJobID(job)
        let client = connection.client
        switch format {
        case .json:
            let summary = try await client.summary(id)
            let value = try SeismoJSON.decoder().decode(JSONValue.self, from: summary)
            print(String(decoding: try SeismoJSON.encoder().encode(value), as: UTF8.self))
        case .csv:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-results-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let (kind, files) = try await JobExport.write(id, client: client, to: directory, pictures: 0)
            guard let table = JobExport.mainTable[kind], files.contains(table) else { throw CommandFailure("kind \(kind) has no per-sample table") }
            FileHandle.standardOutput.write(try Data(contentsOf: directory.appendingPathComponent(table)))
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a finished job's files: the same files `seismo analyze KIND --out DIR` writes.")
    @Argument(help: "The job id.") var job: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Heatmap pictures of the most influential samples (influence-maps).") var pictures: Int = 20
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let dir = try makeOutputDirectory(out)
        let (_, files) = try await JobExport.write(try parseJobID(job), client: connection.client, to: dir, pictures: pictures)
        note("wrote \(files.filter { !$0.hasSuffix(".png") }.map { dir.appendingPathComponent($0).path }.joined(separator: ", "))")
        let pngs = files.filter { $0.hasSuffix(".png") }
        if !pngs.isEmpty { note("\(pngs.count) pictures under \(dir.path)/") }
    }
}

/// A finished job's files, written from its stored spec, summary and results.
enum JobExport {
    static let mainTable = ["influence": "samples.csv", "influence-maps": "maps_samples.csv", "influence-params": "layers.csv"]

    static func write(_ id: UUID, client: CoordinatorClient, to directory: URL, pictures: Int) async throws -> (kind: String, files: [String]) {
        let status = try await client.status(id)
        guard status.state == "succeeded" else {
            throw CommandFailure("job \(id.uuidString.lowercased()) is \(status.state) (\(status.shardsDone)/\(status.shardsTotal) shards)"
                                 + (status.isFinished ? "; only a succeeded job can be exported" : "; wait for it with `seismo watch \(id.uuidString.lowercased())`"))
        }
        let analysis = try AnalysisCatalog.kind(named: status.kind)
        let spec = try await client.spec(id)
        let summary = try await client.summary(id)
        let results = try await client.results(id)
        let cache = try ArtifactCache(directory: URL(fileURLWithPath: defaultArtifactCache()))
        for artifact in try AnyAnalysis.artifacts(spec: spec).artifacts where !cache.contains(artifact) {
            note("\(artifact.name): fetching \(artifact.bytes) bytes")
            try await cache.fetch(artifact) { try await client.artifactChunk(artifact.sha256, index: $0) }
        }
        let inputs = try AnalysisInputs.load(AnyAnalysis.artifacts(spec: spec), resolver: cache)
        let files = try analysis.export(spec: spec, summary: summary, results: results, inputs: inputs, pictures: pictures, to: directory)
        // The weight vectors the results refer to, as `seismo analyze` keeps them.
        let outputs = try analysis.artifacts(of: results)
        if !outputs.isEmpty {
            let vectors = try ArtifactCache(directory: directory.appendingPathComponent("vectors"))
            note("fetching \(outputs.count) weight vectors to \(vectors.directory.path)")
            for artifact in outputs { try await vectors.fetch(artifact) { try await client.artifactChunk(artifact.sha256, index: $0) } }
        }
        return (status.kind, files)
    }
}

/// Jobs as text.
enum JobTable {
    static func render(_ jobs: [JobStatus]) -> String {
        var lines = [pad(["JOB", "KIND", "STATE", "SHARDS", "FAILED", "CREATED", "OWNER"])]
        for job in jobs {
            lines.append(pad([job.id.uuidString.lowercased(), job.kind, job.state, "\(job.shardsDone)/\(job.shardsTotal)",
                              "\(job.shardsFailed)", job.createdAt, job.owner]))
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ job: JobStatus) -> String {
        var lines = [
            "job       \(job.id.uuidString.lowercased())",
            "kind      \(job.kind)",
            "state     \(job.state)",
            "shards    \(job.shardsDone)/\(job.shardsTotal) done, \(job.shardsFailed) failed; summary covers \(job.summaryShards)",
            "priority  \(job.priority), up to \(job.maxAttempts) attempts per shard",
            "created   \(job.createdAt) by \(job.owner)" + (job.finishedAt.map { ", finished \($0)" } ?? ""),
        ]
        if let error = job.error { lines.append("error     \(error)") }
        let errors = job.shardErrors ?? []
        if !errors.isEmpty {
            lines.append("failed attempts:")
            for e in errors { lines.append("  shard \(e.shard) attempt \(e.attempt)\(e.worker.map { " on \($0)" } ?? ""): \(e.error)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ cells: [String]) -> String {
        let widths = [36, 16, 11, 13, 6, 20, 0]
        return zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
}
