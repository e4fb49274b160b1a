/// How log lines are written: one JSON object per line for collectors, or text for a terminal.
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}
