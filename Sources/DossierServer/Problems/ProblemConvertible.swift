/// An error that knows the problem it is reported as.
protocol ProblemConvertible: Error {
    var problem: ProblemDetails { get }
}

/// The body grew past the operation's limit; thrown from `Content-Length` before reading, or
/// mid-stream when the client sends more than it announced or streams without a length.
struct RequestBodyTooLarge: ProblemConvertible {
    let limit: Int

    var problem: ProblemDetails {
        ProblemDetails(
            .contentTooLarge,
            detail: "The request body is larger than this operation's limit of \(Self.describe(limit))."
        )
    }

    static func describe(_ bytes: Int) -> String {
        let mebibyte = 1 << 20
        return bytes % mebibyte == 0 ? "\(bytes / mebibyte) MiB (\(bytes) bytes)" : "\(bytes) bytes"
    }
}
