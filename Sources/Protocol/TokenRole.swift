/// What a bearer token may do. `admin` may do everything; `submit` creates and cancels jobs and
/// reads them; `read` reads jobs, results, workers and metrics; `worker` claims, heartbeats and
/// reports shards and downloads artifacts.
public enum TokenRole: String, Codable, CaseIterable, Sendable {
    case admin, submit, read, worker
}
