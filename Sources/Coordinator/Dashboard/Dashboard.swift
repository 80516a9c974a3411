import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Protocol

/// The dashboard: server-rendered pages with inline SVG charts (no JavaScript), behind the `read`
/// role. A token comes from the login form or a `?token=` link, and is kept in a cookie scoped to
/// /dashboard. Pages of running jobs reload themselves every few seconds.
struct Dashboard: Sendable {
    let jobs: JobStore
    let workers: WorkerStore
    let callers: CallerCache
    let pictures: JobInputsCache

    static let cookie = "seismo_token"

    func register(on router: Router<CoordinatorContext>) {
        router.get("/dashboard") { request, _ in
            try await page(request) { _ in try await jobsPage() }
        }
        router.get("/dashboard/jobs/:id") { request, context in
            try await page(request) { caller in try await jobPage(try jobID(context), caller: caller) }
        }
        router.get("/dashboard/login") { _, _ in html(loginPage(message: nil)) }
        router.post("/dashboard/login") { request, _ in
            let form = try await request.body.collect(upTo: 4096)
            let token = Self.formValue("token", in: String(buffer: form)) ?? ""
            guard let caller = try await callers.caller(token: token), caller.role != .worker else {
                return html(loginPage(message: "That token is unknown, revoked, or a worker's."), status: .unauthorized)
            }
            return redirect("/dashboard", settingToken: token)
        }
        router.post("/dashboard/jobs/:id/cancel") { request, context in
            let id = try jobID(context)
            guard let caller = try await caller(request), caller.role == .submit || caller.role == .admin else {
                return html(HTML.page(title: "Forbidden", "<h1>Cancelling needs a submit or admin token</h1>"), status: .forbidden)
            }
            _ = try await jobs.cancel(id)
            return redirect("/dashboard/jobs/\(id.uuidString.lowercased())")
        }
    }

    /// Runs `render` for a caller with a read, submit or admin token; sends everyone else to the login.
    private func page(_ request: Request, _ render: (Caller) async throws -> String) async throws -> Response {
        if let token = request.uri.queryParameters.get("token") {
            return redirect(request.uri.path, settingToken: token)
        }
        guard let caller = try await caller(request) else { return redirect("/dashboard/login") }
        guard caller.role != .worker else {
            return html(HTML.page(title: "Forbidden", "<h1>A worker token cannot read the dashboard</h1>"), status: .forbidden)
        }
        do {
            return html(try await render(caller))
        } catch let error as HTTPError where error.status == .notFound {
            return html(HTML.page(title: "Not found", "<h1>\(HTML.escape(error.body ?? "not found"))</h1>"), status: .notFound)
        }
    }

    private func caller(_ request: Request) async throws -> Caller? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return try await callers.caller(token: String(header.dropFirst("Bearer ".count)))
        }
        for cookie in request.headers[values: .cookie].flatMap({ $0.split(separator: ";") }) {
            let parts = cookie.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == Self.cookie { return try await callers.caller(token: String(parts[1])) }
        }
        return nil
    }

    private func jobID(_ context: CoordinatorContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw HTTPError(.notFound, message: "no such job") }
        return id
    }

    private func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func redirect(_ location: String, settingToken token: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let token {
            headers[.setCookie] = "\(Self.cookie)=\(token); Path=/dashboard; HttpOnly; SameSite=Strict"
        }
        return Response(status: .seeOther, headers: headers)
    }

    static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name {
                return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
        }
        return nil
    }

    private func loginPage(message: String?) -> String {
        HTML.page(title: "Sign in", """
            <h1>Sign in</h1>
            \(message.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/dashboard/login">
            <p><label>Token (read, submit or admin) <input type="password" name="token" size="48"/></label></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            <p class="muted">Create one with <code>seismo token create --role read</code>.</p>
            """)
    }

    // MARK: the jobs page

    private func jobsPage() async throws -> String {
        let list = try await jobs.list(limit: 100)
        let seen = try await workers.list(within: 3600)
        let running = list.contains { !$0.isFinished }
        var body = "<h1>Jobs</h1>"
        if list.isEmpty {
            body += "<p>No jobs yet. Submit one with <code>seismo submit KIND …</code>.</p>"
        } else {
            let rows = list.map { j -> [String] in
                let id = j.id.uuidString.lowercased()
                return ["<a href=\"/dashboard/jobs/\(id)\">\(id.prefix(8))</a>", HTML.escape(j.kind),
                        "<span class=\"state-\(j.state)\">\(j.state)</span>", HTML.progress(j.shardsDone, j.shardsTotal),
                        "\(j.shardsFailed)", HTML.escape(j.createdAt), HTML.escape(j.owner)]
            }
            body += HTML.table(["job", "kind", "state", "progress", "failed", "created (UTC)", "owner"], rows, numeric: [4])
        }
        body += "<h2>Workers (seen in the last hour)</h2>"
        if seen.isEmpty {
            body += "<p>No worker has connected. Start one with <code>seismo worker --coordinator URL --token T</code>.</p>"
        } else {
            let rows = seen.map { w in
                [HTML.escape(w.name), "\(w.slots)", "\(w.leased)", "\(w.shardsDone)", "\(w.shardsFailed)", "\(w.leasesLost)",
                 String(format: "%.0f s ago", w.secondsSinceSeen)]
            }
            body += HTML.table(["worker", "slots", "shards in hand", "done", "failed", "leases lost", "last seen"], rows, numeric: [1, 2, 3, 4, 5])
        }
        return HTML.page(title: "Jobs", refresh: running ? 5 : nil, body)
    }

    // MARK: a job's page

    private func jobPage(_ id: UUID, caller: Caller) async throws -> String {
        guard var status = try await jobs.status(id), let (_, spec) = try await jobs.spec(id) else {
            throw HTTPError(.notFound, message: "No job \(id.uuidString.lowercased())")
        }
        status.shardErrors = status.shardErrors ?? []
        var body = "<h1>\(HTML.escape(status.kind)) job <code>\(id.uuidString.lowercased())</code></h1>"
        body += "<div class=\"cards\">" + HTML.card("state", "<span class=\"state-\(status.state)\">\(status.state)</span>")
            + HTML.card("shards", HTML.progress(status.shardsDone, status.shardsTotal))
            + HTML.card("failed shards", "\(status.shardsFailed)") + HTML.card("owner", HTML.escape(status.owner))
            + HTML.card("created (UTC)", HTML.escape(status.createdAt)) + "</div>"
        if !status.isFinished, caller.role == .submit || caller.role == .admin {
            body += "<form class=\"inline\" method=\"post\" action=\"/dashboard/jobs/\(id.uuidString.lowercased())/cancel\"><p><button type=\"submit\">Cancel this job</button></p></form>"
        }
        if let error = status.error { body += "<h2>Error</h2><p class=\"error\">\(HTML.escape(error))</p>" }
        if let summary = try await jobs.summary(id) {
            if summary.shards < status.shardsTotal {
                body += "<p class=\"muted\">Partial summary: \(summary.shards) of \(status.shardsTotal) shards.</p>"
            }
            body += try await JobPage(pictures: pictures, jobs: jobs).render(kind: status.kind, id: id, spec: spec, summary: summary.summary)
        } else {
            body += "<p>No results yet.</p>"
        }
        let errors = status.shardErrors ?? []
        if !errors.isEmpty {
            body += "<h2>Failed attempts</h2>" + HTML.table(["shard", "attempt", "worker", "error"], errors.map {
                ["\($0.shard)", "\($0.attempt)", HTML.escape($0.worker ?? "–"), "<span class=\"error\">\(HTML.escape($0.error))</span>"]
            }, numeric: [0, 1])
        }
        return HTML.page(title: "\(status.kind) \(id.uuidString.prefix(8).lowercased())", refresh: status.isFinished ? nil : 5, body)
    }
}
