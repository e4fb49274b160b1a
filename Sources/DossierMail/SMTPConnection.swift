import NIOCore
import NIOSSL

/// Reads replies off the channel: bytes to CRLF lines to replies, each handed to the one caller
/// waiting for it. All state lives on the channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    /// A reply line may be 512 octets (RFC 5321 section 4.5.3.1.5); more than this without CRLF is
    /// not a server speaking SMTP.
    static let maximumLine = 4_096

    private var partial: [UInt8] = []
    private var parser = SMTPReplyParser()
    private var arrived: [Result<SMTPReply, SMTPError>] = []
    private var waiting: EventLoopPromise<SMTPReply>?
    private var closed = false
    /// Why TLS failed, once it has: a write that fails after it only says the channel closed.
    private(set) var tlsFailure: SMTPError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        partial += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = partial.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(partial[..<end])
            partial.removeSubrange(...end)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            do {
                if let reply = try parser.feed(String(decoding: line, as: UTF8.self)) { deliver(.success(reply)) }
            } catch {
                deliver(.failure(.malformedReply))
                context.close(promise: nil)
                return
            }
        }
        if partial.count > Self.maximumLine {
            deliver(.failure(.malformedReply))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        deliver(.failure(.connectionClosed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError { tlsFailure = .tls(String(describing: error)) }
        deliver(.failure(tlsFailure ?? .connectionClosed))
        context.close(promise: nil)
    }

    private func deliver(_ result: Result<SMTPReply, SMTPError>) {
        if let waiting {
            self.waiting = nil
            waiting.completeWith(result.mapError { $0 as any Error })
        } else {
            arrived.append(result)
        }
    }

    /// The next reply, or a timeout after `seconds` (which closes the connection).
    func next(on channel: any Channel, within seconds: Int64) -> EventLoopFuture<SMTPReply> {
        let loop = channel.eventLoop
        if !arrived.isEmpty { return loop.makeCompletedFuture(arrived.removeFirst().mapError { $0 as any Error }) }
        if closed { return loop.makeFailedFuture(SMTPError.connectionClosed) }
        let promise = loop.makePromise(of: SMTPReply.self)
        waiting = promise
        let timeout = loop.scheduleTask(in: .seconds(seconds)) { [weak self] in
            guard let self, let waiting = self.waiting, waiting.futureResult === promise.futureResult else { return }
            self.waiting = nil
            waiting.fail(SMTPError.timeout)
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }

    /// Forgets every byte and reply read so far: after `220` to STARTTLS nothing that came in
    /// the clear may be taken for what the server says under TLS (RFC 3207 section 4.2).
    func forgetBuffered() {
        partial = []
        arrived = []
        parser = SMTPReplyParser()
    }
}

public enum SMTPError: Error, Equatable, CustomStringConvertible {
    case timeout
    case connectionClosed
    case malformedReply
    case tls(String)
    /// STARTTLS was required and the server does not offer it.
    case startTLSUnavailable
    /// `Security.none` for a host that is not on loopback.
    case plaintextRefused
    /// The server offers neither AUTH PLAIN nor AUTH LOGIN.
    case noSupportedAuthentication
    /// The server answered `reply` at `stage`: transient (4xx, retry later) or permanent (5xx).
    case rejected(stage: String, reply: SMTPReply)

    public var description: String {
        switch self {
        case .timeout: "the server did not answer in time"
        case .connectionClosed: "the connection closed"
        case .malformedReply: "the server's reply is not SMTP"
        case .tls(let detail): "TLS failed: \(detail)"
        case .startTLSUnavailable: "the server does not offer STARTTLS, which is required"
        case .plaintextRefused: "SMTP without TLS is only for a server on loopback"
        case .noSupportedAuthentication: "the server offers neither AUTH PLAIN nor AUTH LOGIN"
        case .rejected(let stage, let reply): "\(stage): \(reply)"
        }
    }
}
