import Foundation

/// Building the dashboard's pages as well-formed XHTML-style HTML (every element closed, every
/// attribute quoted, text escaped), so a plain XML parser can check them.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A whole page; `refresh` reloads it every so many seconds (for running jobs).
    static func page(title: String, refresh: Int? = nil, _ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en" xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <link rel="icon" href="data:,"/>
        \(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\"/>" } ?? "")
        <title>\(escape(title)) · Seismo</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><a class="brand" href="/dashboard">Seismo</a> <span class="muted">sensitivity of neural networks</span></header>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    static let style = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { background: #1f3b57; color: #fff; padding: 10px 24px; }
        header a.brand { color: #fff; font-weight: bold; font-size: 20px; text-decoration: none; }
        header .muted { color: #b8c7d6; margin-left: 12px; }
        main { padding: 16px 24px; max-width: 1200px; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; }
        table { border-collapse: collapse; background: #fff; margin: 8px 0; }
        th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; font-size: 14px; }
        th { background: #eef2f6; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .bar { background: #dde5ee; width: 160px; height: 12px; display: inline-block; vertical-align: middle; }
        .bar span { background: #2f7dd1; height: 12px; display: block; }
        .state-succeeded { color: #1b7d2a; } .state-failed { color: #b3261e; } .state-cancelled { color: #777; }
        .state-running, .state-aggregating, .state-pending { color: #2f7dd1; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { background: #fff; border: 1px solid #ddd; padding: 8px 12px; min-width: 140px; }
        .card .value { font-size: 20px; font-weight: bold; }
        .samples { display: flex; flex-wrap: wrap; gap: 12px; }
        .sample { background: #fff; border: 1px solid #ddd; padding: 6px; font-size: 12px; text-align: center; }
        .sample img { image-rendering: pixelated; display: block; margin: 0 auto 4px; }
        .error { color: #b3261e; font-family: monospace; white-space: pre-wrap; }
        svg { background: #fff; border: 1px solid #ddd; margin: 6px 12px 6px 0; }
        form.inline { display: inline; }
        button { padding: 4px 12px; }
        """

    /// A table with a header row; cells are already HTML.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        var out = "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in numeric.contains(i) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>" }.joined() + "</tr>"
        }
        return out + "</table>"
    }

    static func progress(_ done: Int, _ total: Int) -> String {
        let percent = total > 0 ? Int((Double(done) / Double(total) * 100).rounded()) : 0
        return "<span class=\"bar\"><span style=\"width: \(percent)%\"></span></span> \(done)/\(total)"
    }

    static func number(_ value: Double?, digits: Int = 4) -> String {
        guard let value else { return "–" }
        guard value.isFinite else { return escape("\(value)") }
        return String(format: "%.\(digits)g", value)
    }

    static func card(_ title: String, _ value: String) -> String {
        "<div class=\"card\"><div class=\"muted\">\(escape(title))</div><div class=\"value\">\(value)</div></div>"
    }

    static func png(_ data: Data, alt: String) -> String {
        "<img alt=\"\(escape(alt))\" src=\"data:image/png;base64,\(data.base64EncodedString())\"/>"
    }
}
