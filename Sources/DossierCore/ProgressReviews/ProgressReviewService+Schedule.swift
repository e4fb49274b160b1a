import Foundation

/// When a portfolio's progress reviews are due, and which trainees are behind.
extension ProgressReviewService {
    public struct Schedule: Sendable {
        public let portfolioID: Portfolio.ID
        public let start: CalendarDate
        public let end: CalendarDate
        public let items: [ProgressReviewSchedule.Item]
    }

    public func schedule(_ portfolioID: Portfolio.ID, caller: Caller) async throws -> Schedule {
        let now = clock.now()
        let today = CalendarDate(now)
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .getProgressReviewSchedule,
                caller: caller,
                now: now,
                on: connection
            )
            guard let input = try await records.scheduleInputs(portfolio: portfolioID, on: connection).first else {
                throw DossierError.notFound("portfolio")
            }
            try await grant.log(.read, "progress_review_schedule", id: portfolioID.uuid, on: connection)
            return Schedule(
                portfolioID: portfolioID,
                start: input.start,
                end: input.end,
                items: ProgressReviewSchedule.items(start: input.start, end: input.end, held: input.held, today: today)
            )
        }
    }

    public struct Overdue: Sendable {
        public let traineeID: PersonID
        public let portfolioID: Portfolio.ID
        public let dueOn: CalendarDate
        public let daysOverdue: Int
    }

    /// Every trainee in training with a review overdue today, most overdue first; one access-log
    /// row per trainee listed, in one insert.
    public func overdue(caller: Caller) async throws -> [Overdue] {
        let rule = try AccessPolicy.decide(.listOverdueProgressReviews, caller: caller).rule(or: "progress review")
        let now = clock.now()
        let today = CalendarDate(now)
        return try await database.transaction { connection in
            let overdue = try await records.scheduleInputs(portfolio: nil, on: connection).compactMap { input in
                ProgressReviewSchedule.firstOverdue(start: input.start, end: input.end, held: input.held, today: today)
                    .map {
                        Overdue(
                            traineeID: input.traineeID,
                            portfolioID: input.portfolioID,
                            dueOn: $0,
                            daysOverdue: $0.days(until: today)
                        )
                    }
            }.sorted { ($0.dueOn, $0.traineeID) < ($1.dueOn, $1.traineeID) }
            try await AccessLogRepository().append(
                AccessLogEntry.entries(
                    .read,
                    by: caller,
                    subjects: overdue.map { ($0.traineeID, $0.portfolioID.uuid) },
                    resourceType: "progress_review_schedule",
                    rule: rule,
                    at: now
                ),
                on: connection
            )
            return overdue
        }
    }
}
