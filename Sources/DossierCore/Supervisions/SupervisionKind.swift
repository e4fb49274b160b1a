/// The ways a supervisor stands to a trainee; each kind is its own supervision.
public enum SupervisionKind: String, CaseIterable, Sendable {
    case trainer
    case standInTrainer = "stand_in_trainer"
    case teacher
    case internshipSupervisor = "internship_supervisor"

    /// The role a supervisor of this kind must hold.
    public var role: Role {
        switch self {
        case .trainer: .trainer
        case .standInTrainer: .standInTrainer
        case .teacher: .teacher
        case .internshipSupervisor: .internshipSupervisor
        }
    }

    static let supervisingRoles: Set<Role> = Set(allCases.map(\.role))
}
