/// What a person is at the institute; one person may hold several roles.
public enum Role: String, CaseIterable, Sendable, Comparable {
    case trainee
    case trainer
    case standInTrainer = "stand_in_trainer"
    case teacher
    case internshipSupervisor = "internship_supervisor"
    case coordinator
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a trainee is trained.
public enum Site: String, CaseIterable, Sendable {
    case leiden
    case denHaag = "den_haag"
}

public enum TraineeStatus: String, CaseIterable, Sendable {
    case active
    case completed
    case stopped
}

/// How training ended (afronding): completed, or stopped early.
public enum CompletionOutcome: String, CaseIterable, Sendable {
    case completed
    case stopped
}
