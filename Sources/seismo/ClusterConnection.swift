import ArgumentParser
import Foundation
import Worker

/// Where the coordinator is and the token to call it with (flags, or SEISMO_COORDINATOR and
/// SEISMO_TOKEN, which `deploy/local-cluster.sh up` prints).
struct ClusterConnection: ParsableArguments {
    @Option(help: ArgumentHelp("Coordinator URL, e.g. http://127.0.0.1:8080 (default: $SEISMO_COORDINATOR).", valueName: "url"))
    var coordinator: String?
    @Option(help: ArgumentHelp("Bearer token (default: $SEISMO_TOKEN).", valueName: "token"))
    var token: String?

    func validate() throws {
        guard let url = resolvedURL else { throw ValidationError("give --coordinator URL or set SEISMO_COORDINATOR") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--coordinator must be an http:// or https:// URL, got '\(url)'")
        }
        guard resolvedToken != nil else { throw ValidationError("give --token or set SEISMO_TOKEN") }
    }

    private var resolvedURL: String? { coordinator ?? ProcessInfo.processInfo.environment["SEISMO_COORDINATOR"] }
    private var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["SEISMO_TOKEN"] }

    var client: CoordinatorClient { CoordinatorClient(url: resolvedURL!, token: resolvedToken!) }
}

/// Where fetched artifacts are kept on this host: $SEISMO_CACHE, else ~/.cache/seismo/artifacts.
func defaultArtifactCache() -> String {
    if let path = ProcessInfo.processInfo.environment["SEISMO_CACHE"] { return path }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/seismo/artifacts").path
}

/// A job id given on the command line.
func parseJobID(_ text: String) throws -> UUID {
    guard let id = UUID(uuidString: text) else { throw ValidationError("JOB must be a job id (a UUID as `seismo submit` prints), got '\(text)'") }
    return id
}
