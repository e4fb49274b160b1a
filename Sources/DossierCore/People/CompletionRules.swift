import Foundation

/// The rules of recording the end of training (afronding).
public enum CompletionRules {
    public struct Completion: Sendable, Equatable {
        public let date: CalendarDate
        public let outcome: CompletionOutcome
        public let reason: String?
    }

    /// A first completion needs a date and an outcome; a correction of a recorded one needs a
    /// coordinator and a reason, because the date starts the download window and the retention clock.
    public static func validate(
        completedAt: String,
        outcome: String,
        reason: String?,
        trainee: TraineeProfile,
        today: CalendarDate,
        correctedByCoordinator: Bool
    ) throws(DossierError) -> Completion {
        var errors: [FieldError] = []
        let date = CalendarDate(completedAt)
        if date == nil { errors.append(FieldError("/completed_at", "must be a date YYYY-MM-DD")) }
        if let date, date < trainee.startDate {
            errors.append(FieldError("/completed_at", "must not be before the start date \(trainee.startDate)"))
        }
        if let date, date > today { errors.append(FieldError("/completed_at", "must not be in the future")) }
        let parsedOutcome = CompletionOutcome(rawValue: outcome)
        if parsedOutcome == nil { errors.append(FieldError("/outcome", "must be completed or stopped")) }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, reason.isEmpty || reason.count > 2000 {
            errors.append(FieldError("/reason", "must be 1-2000 characters"))
        }
        if trainee.status != .active {
            if !correctedByCoordinator {
                errors.append(FieldError("/completed_at", "is recorded already; only a coordinator can correct it"))
            } else if reason == nil {
                errors.append(FieldError("/reason", "is required to correct a recorded completion"))
            }
        }
        guard errors.isEmpty, let date, let parsedOutcome else { throw .validation(errors) }
        return Completion(date: date, outcome: parsedOutcome, reason: reason)
    }
}
