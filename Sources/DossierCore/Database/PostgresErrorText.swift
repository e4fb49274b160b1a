import PostgresNIO

/// What the server said about a failed statement. PostgresNIO's own description of `PSQLError` is
/// deliberately generic; operators need the message, and these never contain bound values.
public enum PostgresErrorText {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        guard let info = error.serverInfo, let message = info[.message] else {
            return "\(error.code)"
        }
        var text = message
        if let detail = info[.detail] { text += " (\(detail))" }
        if let position = info[.position] { text += " at character \(position)" }
        return text
    }

    /// The message without its detail line, which can quote row values (`Key (email)=(...)`): for
    /// logs that must never hold personal data.
    public static func message(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: type(of: error)) }
        guard let message = error.serverInfo?[.message] else { return "\(error.code)" }
        return message
    }
}
