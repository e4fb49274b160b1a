import ArgumentParser

@main
struct Dossier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "E-portfolio, evaluations and IPO enrollment for GP specialty training.",
        discussion: "Configuration comes from the environment only; see README.md for the variables.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, TokenCommand.self, RetentionCommand.self,
            EvaluationsCommand.self,
            ImportCommand.self, SeedCommand.self,
        ]
    )
}
