import Foundation

/// Filling free seats from the waitlist, in the caller's transaction and under the activity's
/// row lock: the one place a promotion happens, whether a seat was given up, declined or added.
struct IPOSeats: Sendable {
    let activities = IPOActivityRepository()
    let enrollments = IPOEnrollmentRepository()
    let events = IPOEventRepository()

    /// Promotes the next on the waitlist into every free seat, each with why they were next.
    /// A seat that stays free (nobody waiting) is recorded for the digest when `freed`.
    @discardableResult
    func fill(
        _ id: IPOActivity.ID,
        freed: Bool,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> [IPOEnrollment.ID] {
        guard let activity = try await activities.find(id, on: connection), activity.promotes(at: now) else {
            return []
        }
        let free = activity.freeSeats
        guard free > 0 else { return [] }
        let waiting = try await waitlist(of: id, rule: activity.waitlistRule, on: connection)
        var promoted: [IPOEnrollment.ID] = []
        for next in waiting.prefix(free) {
            let reason = IPOWaitlist.reason(next, rule: activity.waitlistRule)
            try await enrollments.promote(next.enrollmentID, reason: reason, at: now, on: connection)
            try await events.record(
                .promoted,
                activity: id,
                person: next.personID,
                detail: reason,
                at: now,
                on: connection
            )
            promoted.append(next.enrollmentID)
        }
        if freed, free > promoted.count {
            try await events.record(
                .seatFreed,
                activity: id,
                detail: "\(free - promoted.count) of \(activity.capacity) seats free and nobody waiting.",
                at: now,
                on: connection
            )
        }
        return promoted
    }

    /// The position of `enrollment` on the activity's waitlist under its rule (1 is next).
    func position(
        of enrollment: IPOEnrollment.ID,
        in activity: IPOActivity,
        on connection: DatabaseConnection
    ) async throws -> Int? {
        try await positions(of: activity.id, rule: activity.waitlistRule, on: connection)[enrollment]
    }

    /// The position of an enrollment just put on the waitlist, which joined last: behind everyone
    /// under `first_come`, so it needs no look at the others (the common case when a window opens,
    /// and done under the activity's lock).
    func positionOfNewest(
        _ enrollment: IPOEnrollment.ID,
        in activity: IPOActivity,
        on connection: DatabaseConnection
    ) async throws -> Int? {
        activity.waitlistRule == .firstCome
            ? activity.waitlisted + 1 : try await position(of: enrollment, in: activity, on: connection)
    }

    /// Positions of every waitlisted enrollment of the activity.
    func positions(
        of activity: IPOActivity.ID,
        rule: IPOActivity.WaitlistRule,
        on connection: DatabaseConnection
    ) async throws -> [IPOEnrollment.ID: Int] {
        let ordered = try await waitlist(of: activity, rule: rule, on: connection)
        return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.enrollmentID, $0.offset + 1) })
    }

    /// Who waits, in the order the activity's rule promotes them.
    private func waitlist(
        of activity: IPOActivity.ID,
        rule: IPOActivity.WaitlistRule,
        on connection: DatabaseConnection
    ) async throws -> [IPOWaitlistCandidate] {
        IPOWaitlist.ordered(try await enrollments.waitlist(of: activity, on: connection), rule: rule)
    }
}
