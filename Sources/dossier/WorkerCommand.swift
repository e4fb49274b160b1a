import ArgumentParser
import DossierCore
import DossierMail
import DossierMailRendering
import DossierWorker
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker (retention, housekeeping) until SIGTERM or SIGINT.",
        discussion: """
            Any number of replicas may run against one database. On SIGTERM a replica stops claiming, gives \
            running jobs 20 seconds, hands unfinished ones back to the queue and exits 0. /health, /ready and \
            /metrics listen on WORKER_HTTP_PORT (default 8081).
            """
    )

    func run() async throws {
        let logger = Environment.bootstrapLogging(label: "dossier.worker")
        let config = Environment.load(WorkerConfig.self)
        let migrations: [Migration]
        do {
            migrations = try Migration.load(directory: config.database.migrationsDirectory)
        } catch {
            Environment.fail(error.description)
        }
        let environment = Environment.variables
        let client = PostgresClient(url: config.database.url, logger: logger)
        let database = Database(client: client, logger: logger)
        var settings = WorkerSettings()
        settings.lease = config.lease
        let metrics = WorkerMetrics()
        let mail: WorkerMail?
        do {
            mail = try await Self.mail(environment: environment, lease: config.lease)
        } catch let error as ConfigErrors {
            Environment.fail(error.description)
        } catch {
            Environment.fail("the mail settings cannot be used: \(error)")
        }
        if mail == nil { logger.notice("SMTP_URL is not set: no digest is planned and no mail is sent") }
        let dependencies = WorkerDependencies(
            database: database,
            clock: ProcessClock.from(environment: environment),
            secretKey: config.secretKey,
            settings: settings,
            failpoints: Failpoints(environment: environment),
            metrics: metrics,
            logger: logger,
            mail: mail
        )
        let worker: Worker
        do {
            worker = try buildWorker(dependencies) {
                try await Environment.requireCurrentSchema(migrations, client: client, logger: logger)
            }
        } catch {
            Environment.fail("the mail settings cannot be used: \(error)")
        }
        let http = WorkerHTTP.build(
            host: config.httpHost,
            port: config.httpPort,
            database: database,
            migrations: migrations,
            metrics: metrics,
            logger: logger
        )
        await Environment.runUntilSignalled([client, http, worker], logger: logger)
    }

    /// The SMTP settings and templates from the environment; nil without `SMTP_URL`.
    static func mail(environment: [String: String], lease: Duration) async throws -> WorkerMail? {
        guard let config = try MailConfig.load(from: environment) else { return nil }
        guard let from = MailAddress(config.fromAddress, displayName: config.fromName),
            let envelope = MailAddress(config.fromAddress)
        else { throw UnusableSender() }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = config.caFile { tls.additionalTrustRoots = [.file(ca)] }
        let credentials = config.username.map {
            SMTPConfiguration.Credentials(username: $0, password: config.password ?? "")
        }
        var timeouts = SMTPConfiguration.Timeouts()
        if let cap = config.timeoutCap {
            timeouts.connect = min(timeouts.connect, cap)
            timeouts.greeting = min(timeouts.greeting, cap)
            timeouts.command = min(timeouts.command, cap)
            timeouts.dataInitiation = min(timeouts.dataInitiation, cap)
            timeouts.dataBlock = min(timeouts.dataBlock, cap)
            timeouts.finalDot = min(timeouts.finalDot, cap)
        }
        let security: SMTPConfiguration.Security =
            switch config.security {
            case .implicitTLS: .implicitTLS
            case .startTLS: .startTLS
            case .none: .none
            }
        var smtp = SMTPConfiguration(
            host: config.host,
            port: config.port,
            security: security,
            heloName: ProcessInfo.processInfo.hostName,
            credentials: credentials,
            tls: tls,
            timeouts: timeouts
        )
        smtp.plaintextAllowed = config.security == .none
        var settings = MailSettings(smtp: smtp, envelopeFrom: envelope)
        settings.lease = lease
        if environment["DOSSIER_ENV"] == "test", let base = environment["MAIL_RETRY_BASE_SECONDS"].flatMap(Double.init)
        {
            settings.retryBase = base
        }
        let renderer = try MailRenderer(
            from: from,
            templates: config.templatesDirectory ?? MailRenderer.bundledTemplates
        )
        return WorkerMail(
            settings: settings,
            renderer: renderer,
            baseURL: config.publicBaseURL,
            messageDomain: config.messageDomain
        )
    }

    struct UnusableSender: Error, CustomStringConvertible {
        var description: String { "MAIL_FROM is not an address a message can carry" }
    }
}
