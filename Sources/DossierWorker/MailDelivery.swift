import DossierCore
import DossierMail
import Foundation
import Logging
import Synchronization

/// Where and how the worker sends mail.
public struct MailSettings: Sendable {
    public var smtp: SMTPConfiguration
    /// The envelope sender (`MAIL FROM`), where bounces go.
    public var envelopeFrom: MailAddress
    /// A claimed mail unheard of this long goes back to the queue (or to `unknown` after the final dot).
    public var lease: Duration = .seconds(120)
    /// The first retry after a transient failure; it doubles per attempt up to two hours.
    public var retryBase: Double = 30

    public init(smtp: SMTPConfiguration, envelopeFrom: MailAddress) {
        self.smtp = smtp
        self.envelopeFrom = envelopeFrom
    }
}

/// Sends one outbox row at a time over SMTP (worker.md 6.5): claim under a lease, stream the
/// message rendered when the row was made, commit `final_dot`, then write the dot.
/// An error after that commit leaves the row `unknown`; nothing sends it again by itself.
public struct MailDelivery: Sendable {
    private let outbox: OutboxService
    private let client: SMTPClient
    private let settings: MailSettings
    private let worker: UUID
    private let failpoints: Failpoints
    private let metrics: WorkerMetrics
    private let logger: Logger

    public init(
        outbox: OutboxService,
        settings: MailSettings,
        worker: UUID,
        failpoints: Failpoints,
        metrics: WorkerMetrics,
        logger: Logger
    ) throws {
        self.outbox = outbox
        self.client = try SMTPClient(configuration: settings.smtp)
        self.settings = settings
        self.worker = worker
        self.failpoints = failpoints
        self.metrics = metrics
        self.logger = logger
    }

    private struct LeaseLost: Error {}

    /// Claims and sends one mail; false when none is due.
    public func deliverNext() async throws -> Bool {
        guard let claimed = try await outbox.claim(worker: worker, lease: settings.lease) else { return false }
        var logger = logger
        logger[metadataKey: "outbox_id"] = "\(claimed.id)"
        logger[metadataKey: "kind"] = "\(claimed.kind.rawValue)"
        guard let outcome = await attempt(claimed, logger: logger) else {
            logger.warning("mail lease lost to the rescuer before the final dot; its attempt stopped")
            return true
        }
        let status = try await outbox.finish(claimed, outcome, worker: worker)
        metrics.mail(outcome)
        switch (outcome, status) {
        case (_, nil):
            logger.warning("mail outcome not recorded: the row was rescued meanwhile")
        case (.sent, _):
            logger.info("mail sent", metadata: ["attempt": "\(claimed.attempt)"])
        case (.transient(let reason, _), let status?):
            logger.warning(
                "mail not sent",
                metadata: ["attempt": "\(claimed.attempt)", "error": "\(reason)", "status": "\(status.rawValue)"]
            )
        case (.permanent(let reason, _), _):
            logger.error("mail failed for good", metadata: ["attempt": "\(claimed.attempt)", "error": "\(reason)"])
        case (.unknown(let reason), _):
            logger.error(
                "mail state unknown: the connection was lost after the final dot; not resent by itself",
                metadata: ["error": "\(reason)"]
            )
        }
        return true
    }

    /// Nil when the lease was lost before the final dot: the rescuer owns the row now.
    private func attempt(_ mail: ClaimedMail, logger: Logger) async -> DeliveryOutcome? {
        guard let recipient = MailAddress(mail.toAddress) else {
            return .permanent(reason: "the recipient's address is not a valid e-mail address", bounced: false)
        }
        guard let message = mail.message else {
            return .permanent(reason: "the message was pruned; it cannot be sent", bounced: false)
        }
        let pastFinalDot = Mutex(false)
        let send: @Sendable () async -> DeliveryOutcome? = { [client, settings, outbox, worker, failpoints] in
            do {
                let reply = try await client.send(message, from: settings.envelopeFrom, to: recipient) {
                    // Crash tests park here: the body is written, the dot is not, nothing is committed.
                    await failpoints.reach("mail.before_final_dot")
                    guard try await outbox.reachFinalDot(mail, worker: worker) else { throw LeaseLost() }
                    pastFinalDot.withLock { $0 = true }
                    await failpoints.reach("mail.final_dot_committed")
                }
                return .sent(reply: reply.description)
            } catch is LeaseLost {
                return nil
            } catch {
                return Self.classify(error, pastFinalDot: pastFinalDot.withLock { $0 }, retryIn: delay(mail))
            }
        }
        return await withTaskGroup(of: DeliveryOutcome??.self) { group in
            group.addTask { .some(await send()) }
            group.addTask {
                // The lease outlives any SMTP timeout only while this extends it.
                while !Task.isCancelled {
                    try? await Task.sleep(for: settings.lease / 4)
                    if Task.isCancelled { return nil }
                    if (try? await outbox.heartbeat(mail, worker: worker, lease: settings.lease)) == false {
                        logger.warning("mail lease lost to the rescuer")
                    }
                }
                return nil
            }
            var result: DeliveryOutcome?
            for await finished in group {
                if let finished {
                    result = finished
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }

    private func delay(_ mail: ClaimedMail) -> Double {
        MailBackoff.delay(afterAttempt: mail.attempt, base: settings.retryBase)
    }

    /// 4xx and lost connections are tried again, 5xx never, and anything lost after the final
    /// dot may have been delivered. The reason names the stage and the reply's codes, never the
    /// reply's text, which may repeat the address.
    static func classify(_ error: any Error, pastFinalDot: Bool, retryIn: Double) -> DeliveryOutcome {
        if case SMTPError.rejected(let stage, let reply) = error {
            let reason = "\(stage): \(reply.code)\(reply.enhancedCode.map { " \($0)" } ?? "")"
            switch reply.replyClass {
            case .permanent:
                return .permanent(reason: reason, bounced: ["rcpt", "data", "final dot", "mail"].contains(stage))
            default:
                return .transient(reason: reason, retryIn: retryIn)
            }
        }
        let reason = (error as? SMTPError)?.description ?? "\(type(of: error))"
        if pastFinalDot { return .unknown(reason: "after the final dot: \(reason)") }
        return .transient(reason: reason, retryIn: retryIn)
    }
}
