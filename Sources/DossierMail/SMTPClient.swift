import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Submits one message per connection (RFC 5321, 3207, 4954): greeting, EHLO, STARTTLS and EHLO
/// again, AUTH over TLS only, MAIL, RCPT, DATA, the stuffed body, and the final dot, which is
/// sent only after `beforeFinalDot` has returned: the caller records there that a reply lost from
/// here on may mean the message was delivered. No command, address or body reaches a log.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    /// Made once: it loads the trust roots, which a message each need not do again.
    private let tls: NIOSSLContext

    /// Refuses `Security.none` for a host that is not on loopback, and a TLS configuration NIOSSL cannot use.
    public init(
        configuration: SMTPConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        if configuration.security == .none, !configuration.isLoopback, !configuration.plaintextAllowed {
            throw SMTPError.plaintextRefused
        }
        self.configuration = configuration
        self.group = group
        self.tls = try NIOSSLContext(configuration: configuration.tls)
    }

    /// The server's reply to the final dot (2xx); any other outcome throws `SMTPError`.
    @discardableResult
    public func send(
        _ message: [UInt8],
        from sender: MailAddress,
        to recipient: MailAddress,
        beforeFinalDot: @Sendable () async throws -> Void = {}
    ) async throws -> SMTPReply {
        let body = try SMTPData.stuffed(message)
        let configuration = configuration
        let context = tls
        let handler = SMTPReplyHandler()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(configuration.timeouts.connect))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if configuration.security == .implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(
                                context: context,
                                serverHostname: Self.serverName(configuration.host)
                            )
                        )
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        let session = Session(channel: channel, handler: handler, timeouts: configuration.timeouts)
        do {
            let reply = try await session.deliver(
                body,
                from: sender,
                to: recipient,
                configuration: configuration,
                tls: context,
                beforeFinalDot: beforeFinalDot
            )
            _ = try? await session.command("QUIT", stage: "quit", within: 10)
            try? await channel.close()
            return reply
        } catch {
            let tlsFailure = try? await channel.eventLoop.submit { handler.tlsFailure }.get()
            try? await channel.close()
            throw (tlsFailure ?? nil) ?? Self.smtpError(error)
        }
    }

    /// What went wrong as an `SMTPError`; an error of the caller's `beforeFinalDot` stays its own.
    static func smtpError(_ error: any Error) -> any Error {
        switch error {
        case let error as SMTPError: error
        case let error as NIOSSLError: SMTPError.tls(String(describing: error))
        case is ChannelError: SMTPError.connectionClosed
        default: error
        }
    }

    /// SNI takes a host name, never an address literal.
    static func serverName(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }

    private struct Session {
        let channel: any Channel
        let handler: SMTPReplyHandler
        let timeouts: SMTPConfiguration.Timeouts

        func deliver(
            _ body: [UInt8],
            from sender: MailAddress,
            to recipient: MailAddress,
            configuration: SMTPConfiguration,
            tls: NIOSSLContext,
            beforeFinalDot: @Sendable () async throws -> Void
        ) async throws -> SMTPReply {
            try expect(try await reply(within: timeouts.greeting), 220, stage: "greeting")
            var capabilities = try await ehlo(configuration.heloName)
            if configuration.security == .startTLS {
                guard capabilities.contains("STARTTLS") else { throw SMTPError.startTLSUnavailable }
                try expect(try await command("STARTTLS", stage: "starttls"), 220, stage: "starttls")
                try await startTLS(tls, host: configuration.host)
                capabilities = try await ehlo(configuration.heloName)
            }
            if let credentials = configuration.credentials {
                try await authenticate(credentials, capabilities: capabilities)
            }
            try expect(try await command("MAIL FROM:<\(sender.address)>", stage: "mail"), 250, stage: "mail")
            let accepted = try await command("RCPT TO:<\(recipient.address)>", stage: "rcpt")
            guard accepted.code == 250 || accepted.code == 251 else {
                throw SMTPError.rejected(stage: "rcpt", reply: accepted)
            }
            try expect(try await command("DATA", stage: "data", within: timeouts.dataInitiation), 354, stage: "data")
            try await channel.writeAndFlush(ByteBuffer(bytes: body)).get()
            try await beforeFinalDot()
            try await channel.writeAndFlush(ByteBuffer(bytes: SMTPData.terminator)).get()
            let final = try await reply(within: timeouts.finalDot)
            guard final.replyClass == .success else { throw SMTPError.rejected(stage: "final dot", reply: final) }
            return final
        }

        /// The capabilities of an EHLO reply, upper-cased, first word and arguments kept.
        func ehlo(_ name: String) async throws -> Set<String> {
            let reply = try await command("EHLO \(name)", stage: "ehlo")
            try expect(reply, 250, stage: "ehlo")
            var capabilities: Set<String> = []
            for line in reply.lines.dropFirst() {
                let words = line.uppercased().split(separator: " ").map(String.init)
                guard let first = words.first else { continue }
                capabilities.insert(first)
                for argument in words.dropFirst() { capabilities.insert("\(first) \(argument)") }
            }
            return capabilities
        }

        /// TLS in front of the reply handler, with what was read in the clear thrown away.
        func startTLS(_ context: NIOSSLContext, host: String) async throws {
            let handler = handler
            try await channel.eventLoop.submit { [channel] in
                handler.forgetBuffered()
                try channel.pipeline.syncOperations.addHandler(
                    try NIOSSLClientHandler(context: context, serverHostname: SMTPClient.serverName(host)),
                    position: .first
                )
            }.get()
        }

        func authenticate(
            _ credentials: SMTPConfiguration.Credentials,
            capabilities: Set<String>
        ) async throws {
            func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
            if capabilities.contains("AUTH PLAIN") {
                let token = base64("\u{0}\(credentials.username)\u{0}\(credentials.password)")
                try expect(try await command("AUTH PLAIN \(token)", stage: "auth"), 235, stage: "auth")
            } else if capabilities.contains("AUTH LOGIN") {
                try expect(try await command("AUTH LOGIN", stage: "auth"), 334, stage: "auth")
                try expect(try await command(base64(credentials.username), stage: "auth"), 334, stage: "auth")
                try expect(try await command(base64(credentials.password), stage: "auth"), 235, stage: "auth")
            } else {
                throw SMTPError.noSupportedAuthentication
            }
        }

        @discardableResult
        func command(_ line: String, stage: String, within seconds: Int64? = nil) async throws -> SMTPReply {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
            return try await reply(within: seconds ?? timeouts.command)
        }

        func reply(within seconds: Int64) async throws -> SMTPReply {
            let handler = handler
            return try await channel.eventLoop.flatSubmit { [channel] in
                handler.next(on: channel, within: seconds)
            }.get()
        }

        func expect(_ reply: SMTPReply, _ code: Int, stage: String) throws {
            guard reply.code == code else { throw SMTPError.rejected(stage: stage, reply: reply) }
        }
    }
}
