import Foundation

/// Named places in the code where a crash test can park the process, so `kill -9` lands exactly
/// at that step and not wherever a sleep happened to end.
///
/// Armed through `DOSSIER_FAILPOINTS=name[,name...]`, honoured only when `DOSSIER_ENV=test`: a
/// production process ignores the variable entirely. A parked process announces itself on
/// standard error with `failpoint reached: <name>` and then waits until it is killed.
public struct Failpoints: Sendable {
    /// What happens at an armed failpoint; the default parks forever.
    public typealias Action = @Sendable (String) async -> Void

    public let armed: Set<String>
    private let action: Action

    public static let disabled = Failpoints(armed: [], action: { _ in })

    public init(armed: Set<String>, action: @escaping Action = Failpoints.park) {
        self.armed = armed
        self.action = action
    }

    public init(environment: [String: String], action: @escaping Action = Failpoints.park) {
        guard environment["DOSSIER_ENV"] == "test", let names = environment["DOSSIER_FAILPOINTS"] else {
            self = .disabled
            return
        }
        let armed = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.init(armed: Set(armed), action: action)
    }

    /// Runs the action when `name` is armed; otherwise returns at once.
    public func reach(_ name: String) async {
        guard armed.contains(name) else { return }
        await action(name)
    }

    /// Announces the failpoint and never returns: only a signal ends the process from here.
    public static let park: Action = { name in
        FileHandle.standardError.write(Data("failpoint reached: \(name)\n".utf8))
        while true {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
