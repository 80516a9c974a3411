import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, a line every 10 % otherwise
/// (so logs stay readable). Safe to advance from several threads.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let lock = NSLock()
    private var done = 0
    private var lastDecile = -1
    private var suffix = ""
    private let start = Date()
    private let interactive = isatty(fileno(stderr)) != 0

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    /// Units finished so far.
    var completed: Int {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    func advance(by n: Int = 1, note: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        if let note { suffix = note }
        draw()
    }

    func finish(note: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        let changed = note != nil && note != suffix
        if let note { suffix = note }
        let alreadyShown = !interactive && done >= total && !changed
        done = total
        if !alreadyShown {
            lastDecile = -1
            draw()
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw() {
        let fraction = min(1, Double(done) / Double(total))
        let decile = Int(fraction * 10)
        if !interactive, decile == lastDecile { return }
        lastDecile = decile
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = Date().timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
        let line = String(format: "%@ %@ %3.0f%% %d/%d  %.0fs elapsed, %.0fs left  %@",
                          label, bar, fraction * 100, done, total, elapsed, eta, suffix)
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[K" : "") + line + (interactive ? "" : "\n")).utf8))
    }
}

/// Writes a line to standard error (standard output is kept for results).
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
