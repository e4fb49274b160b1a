import ArgumentParser
import DossierCore
import Foundation
import Logging
import PostgresNIO

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens from the server's shell.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bootstrap a token for a person (created if missing, given the role if they lack it).",
            discussion: """
                Prints only the token on standard output, so `TOKEN=$(dossier token create ...)` works. The token is \
                recorded with issued_by = cli. Use it to create the first admin; everything else goes through the API.
                """
        )

        @Option(help: "The person's e-mail address.")
        var email: String

        @Option(help: "The role the person needs (\(Role.allCases.map(\.rawValue).joined(separator: ", "))).")
        var role: String

        @Option(help: "The person's name when they are created (default: the part of the e-mail before @).")
        var name: String?

        @Option(help: "Days until the token expires (1-\(TokenService.maximumLifetimeDays)).")
        var expiresInDays: Int = TokenService.defaultLifetimeDays

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...TokenService.maximumLifetimeDays).contains(expiresInDays) else {
                throw ValidationError("--expires-in-days must be between 1 and \(TokenService.maximumLifetimeDays)")
            }
        }

        func run() async throws {
            let logger = Environment.bootstrapLogging(label: "dossier.token", toStandardError: true)
            let config = Environment.load(DatabaseConfig.self)
            guard let role = Role(rawValue: role) else { return }
            do {
                let issued = try await PostgresClient.withClient(url: config.url, maximumConnections: 1, logger: logger)
                {
                    try await TokenService(
                        database: Database(client: $0, logger: logger),
                        clock: SystemWallClock(),
                        logger: logger
                    )
                    .bootstrap(email: email, name: name, role: role, lifetimeDays: expiresInDays)
                }
                print(issued.secret)
                FileHandle.standardError.write(
                    Data(
                        "created token \(issued.token.id), expires \(issued.token.expiresAt.formatted(.iso8601))\n".utf8
                    )
                )
            } catch let error as DossierError {
                Environment.fail(
                    ([error.detail] + error.fieldErrors.map { "\($0.pointer) \($0.detail)" }).joined(separator: "; ")
                )
            } catch {
                Environment.fail(PostgresErrorText.describe(error))
            }
        }
    }
}
