import Foundation

/// Output for an operator: a progress bar and aligned tables on a terminal, plain `key=value`
/// lines otherwise, so the same command reads well by hand and parses well in a script.
struct TerminalOutput: Sendable {
    let isTerminal = isatty(STDOUT_FILENO) == 1

    /// A progress bar redrawn in place on a terminal; a line per tenth otherwise.
    func progress(_ label: String, done: Int, total: Int) {
        guard total > 0 else { return }
        if isTerminal {
            let width = 30
            let filled = done * width / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let end = done >= total ? "\n" : ""
            let line = "\r\(label) [\(bar)] \(done)/\(total) (\(done * 100 / total)%)\(end)"
            FileHandle.standardOutput.write(Data(line.utf8))
        } else if done == total || done % max(total / 10, 1) == 0 {
            print("\(label) progress=\(done)/\(total)")
        }
    }

    /// Rows of (label, value): an aligned two-column table, or `label=value` lines.
    func summary(_ rows: [(String, String)]) {
        if isTerminal {
            let width = rows.map(\.0.count).max() ?? 0
            for (label, value) in rows {
                print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
            }
        } else {
            for (label, value) in rows { print("\(label.replacingOccurrences(of: " ", with: "_"))=\(value)") }
        }
    }

    /// A table with a header row: padded columns, or tab-separated lines.
    func table(_ header: [String], _ rows: [[String]]) {
        guard isTerminal else {
            for row in [header] + rows { print(row.joined(separator: "\t")) }
            return
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            )
        }
    }
}
