import Foundation

/// Enrollment: a trainee takes a seat or a waitlist place, gives it up, or declines a seat they
/// were promoted to. Every change runs under the activity's row lock, and a freed seat goes to
/// the next on the waitlist in the same transaction.
public struct IPOEnrollmentService: Sendable {
    let database: Database
    let clock: any WallClock
    private let activities = IPOActivityRepository()
    private let enrollments = IPOEnrollmentRepository()
    private let seats = IPOSeats()
    private let people = PersonRepository()
    private let access = IPOPersonAccess()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Enrols `person` (the caller when nil): a seat if one is free, otherwise the waitlist with
    /// the position it gives.
    public func enroll(
        in id: IPOActivity.ID,
        person requested: PersonID?,
        caller: Caller
    ) async throws -> (enrollment: IPOEnrollment, activity: IPOActivity) {
        guard let person = requested ?? caller.personID else {
            throw DossierError.validation([FieldError("/person_id", "is required when a service enrols someone")])
        }
        let relation: Relation = person == caller.personID ? .own : .unrelated
        _ = try AccessPolicy.decide(.createIpoEnrollment, caller: caller, relation: relation).rule(or: "activity")
        let now = clock.now()
        return try await database.transaction { connection in
            // Checked before the activity's lock is taken: everything done under it makes the
            // others wait, and a trainee's status does not change at the moment a window opens.
            try await requireActiveTrainee(person, pointer: requested == nil ? "/" : "/person_id", on: connection)
            guard let activity = try await activities.find(id, locking: true, on: connection) else {
                throw DossierError.notFound("activity")
            }
            try Self.requireOpen(activity, at: now)
            let seat = activity.freeSeats > 0
            var enrollment = IPOEnrollment(
                id: .generate(),
                activityID: id,
                personID: person,
                status: seat ? .enrolled : .waitlisted,
                requestedAt: now,
                enrolledAt: seat ? now : nil,
                promotedAt: nil,
                promotionReason: nil,
                endedAt: nil,
                endReason: nil
            )
            guard try await enrollments.insertUnlessLive(enrollment, by: caller.personID, on: connection) else {
                let live = try await enrollments.live(in: id, of: person, on: connection)
                throw live.map(Self.alreadyEnrolled) ?? DossierError.notFound("activity")
            }
            if !seat {
                enrollment.position = try await seats.positionOfNewest(enrollment.id, in: activity, on: connection)
            }
            return (enrollment, activity)
        }
    }

    private func requireActiveTrainee(_ id: PersonID, pointer: String, on connection: DatabaseConnection) async throws {
        guard let trainee = try await people.find(id, on: connection)?.trainee else {
            throw DossierError.validation([
                FieldError(pointer, "is not a trainee; only trainees enrol in IPO activities")
            ])
        }
        guard trainee.status == .active else {
            throw DossierError(
                .conflict,
                slug: .traineeNotActive,
                detail:
                    "This trainee's training has ended (\(trainee.status.rawValue) on \(trainee.completedAt?.description ?? "an earlier date")); only active trainees enrol.",
                fieldErrors: pointer == "/" ? [] : [FieldError(pointer, "is not an active trainee")]
            )
        }
    }

    static func requireOpen(_ activity: IPOActivity, at now: Date) throws(DossierError) {
        if activity.cancelledAt != nil { throw IPOActivityService.cancelled(activity) }
        switch activity.status(at: now) {
        case .open: return
        case .planned:
            throw DossierError(
                .conflict,
                slug: .enrollmentWindowClosed,
                detail: "Enrollment for this activity is not open yet; it is open from \(activity.window)."
            )
        case .closed, .cancelled:
            let full = activity.freeSeats == 0 ? " and every seat is taken" : ""
            throw DossierError(
                .conflict,
                slug: .enrollmentWindowClosed,
                detail: "Enrollment for this activity has closed\(full); it was open from \(activity.window)."
            )
        }
    }

    static func alreadyEnrolled(_ live: IPOEnrollment) -> DossierError {
        DossierError(
            .conflict,
            slug: .alreadyEnrolled,
            detail: live.status == .enrolled
                ? "This trainee is already enrolled in this activity."
                : "This trainee is already on this activity's waitlist.",
            extensions: ["enrollment_id": live.id.description]
        )
    }

    /// Gives up a seat or a waitlist place. After the cancellation deadline a trainee can no
    /// longer give up a seat; a coordinator can, with a reason.
    public func cancel(
        _ id: IPOEnrollment.ID,
        in activityID: IPOActivity.ID,
        reason: String?,
        caller: Caller
    ) async throws -> (enrollment: IPOEnrollment, activity: IPOActivity) {
        let reason = try Self.reason(reason)
        let now = clock.now()
        return try await database.transaction { connection in
            let (activity, enrollment) = try await locked(id, in: activityID, on: connection)
            let rule = try AccessPolicy.decide(
                .cancelIpoEnrollment,
                caller: caller,
                relation: enrollment.personID == caller.personID ? .own : .unrelated
            ).rule(or: "enrollment")
            try Self.requireLive(enrollment, activity, at: now)
            if enrollment.status == .enrolled, now >= activity.cancellationDeadline {
                let deadline = RFC3339.string(from: activity.cancellationDeadline)
                if rule != "coordinator" || reason == nil {
                    throw DossierError(
                        .conflict,
                        slug: .cancellationDeadlinePassed,
                        detail: rule == "coordinator"
                            ? "The cancellation deadline passed at \(deadline); send a reason to cancel this seat anyway."
                            : "The cancellation deadline passed at \(deadline); ask a coordinator to cancel this seat.",
                        fieldErrors: rule == "coordinator"
                            ? [FieldError("/reason", "is required after the deadline")] : []
                    )
                }
            }
            try await enrollments.end(id, as: .cancelled, reason: reason, by: caller.personID, at: now, on: connection)
            if enrollment.status == .enrolled {
                try await seats.fill(activityID, freed: true, now: now, on: connection)
            }
            guard let ended = try await enrollments.find(id, on: connection) else {
                throw DossierError.notFound("enrollment")
            }
            return (ended, activity)
        }
    }

    /// Declines a seat the trainee was promoted to, whatever the cancellation deadline: the
    /// next on the waitlist is promoted at once.
    public func decline(
        _ id: IPOEnrollment.ID,
        in activityID: IPOActivity.ID,
        caller: Caller
    ) async throws -> (enrollment: IPOEnrollment, activity: IPOActivity) {
        let now = clock.now()
        return try await database.transaction { connection in
            let (activity, enrollment) = try await locked(id, in: activityID, on: connection)
            _ = try AccessPolicy.decide(
                .declineIpoEnrollment,
                caller: caller,
                relation: enrollment.personID == caller.personID ? .own : .unrelated
            ).rule(or: "enrollment")
            try Self.requireLive(enrollment, activity, at: now)
            guard enrollment.isDeclinable else {
                throw DossierError(
                    .conflict,
                    slug: .notDeclinable,
                    detail: enrollment.status == .waitlisted
                        ? "This is a waitlist place, not a seat; cancel it to leave the waitlist."
                        : "This seat was taken, not given by promotion; cancel it instead."
                )
            }
            try await enrollments.end(
                id,
                as: .declined,
                reason: "Declined the promoted seat.",
                by: caller.personID,
                at: now,
                on: connection
            )
            try await seats.fill(activityID, freed: true, now: now, on: connection)
            guard let ended = try await enrollments.find(id, on: connection) else {
                throw DossierError.notFound("enrollment")
            }
            return (ended, activity)
        }
    }

    /// One enrollment, with its waitlist position; the trainee's own, or for coordinators and services.
    public func get(
        _ id: IPOEnrollment.ID,
        in activityID: IPOActivity.ID,
        caller: Caller
    ) async throws -> (enrollment: IPOEnrollment, activity: IPOActivity) {
        try await database.transaction { connection in
            guard let activity = try await activities.find(activityID, on: connection),
                var enrollment = try await enrollments.find(id, on: connection), enrollment.activityID == activityID
            else { throw DossierError.notFound("enrollment") }
            let relation: Relation = enrollment.personID == caller.personID ? .own : .unrelated
            let rule = try AccessPolicy.decide(.getIpoEnrollment, caller: caller, relation: relation)
                .rule(or: "enrollment")
            if enrollment.status == .waitlisted {
                enrollment.position = try await seats.position(of: id, in: activity, on: connection)
            }
            try await log([enrollment.personID], rule: rule, caller: caller, on: connection)
            return (enrollment, activity)
        }
    }

    /// The activity's enrollments in creation order, waitlisted ones with their positions.
    public func list(
        activity id: IPOActivity.ID,
        status: IPOEnrollment.Status?,
        page: PageRequest,
        caller: Caller
    ) async throws -> (page: Page<IPOEnrollment>, activity: IPOActivity) {
        let rule = try AccessPolicy.decide(.listIpoEnrollments, caller: caller).rule(or: "activity")
        return try await database.transaction { connection in
            guard let activity = try await activities.find(id, on: connection) else {
                throw DossierError.notFound("activity")
            }
            let positions = try await seats.positions(of: id, rule: activity.waitlistRule, on: connection)
            let fetched = try await enrollments.list(activity: id, status: status, page: page, on: connection).map {
                var enrollment = $0
                enrollment.position = positions[$0.id]
                return enrollment
            }
            let page = Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
            try await log(page.items.map(\.personID), rule: rule, caller: caller, on: connection)
            return (page, activity)
        }
    }

    /// A person's enrollments, newest last; reading someone else's is access-logged.
    public func list(
        person id: PersonID,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<IPOEnrollmentRepository.PersonEnrollment> {
        try await database.transaction { connection in
            guard let person = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            let relation = try await access.relation(of: caller, to: person, now: clock.now(), on: connection)
            let rule = try AccessPolicy.decide(.listPersonIpoEnrollments, caller: caller, relation: relation)
                .rule(or: "person")
            var fetched = try await enrollments.list(person: id, page: page, on: connection)
            for (index, item) in fetched.enumerated() where item.enrollment.status == .waitlisted {
                let positions = try await seats.positions(
                    of: item.enrollment.activityID,
                    rule: item.waitlistRule,
                    on: connection
                )
                fetched[index] = item.with(position: positions[item.enrollment.id])
            }
            try await log([id], rule: rule, caller: caller, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.enrollment.id.uuid }
        }
    }

    private func locked(
        _ id: IPOEnrollment.ID,
        in activityID: IPOActivity.ID,
        on connection: DatabaseConnection
    ) async throws -> (IPOActivity, IPOEnrollment) {
        guard let activity = try await activities.find(activityID, locking: true, on: connection),
            let enrollment = try await enrollments.find(id, on: connection), enrollment.activityID == activityID
        else { throw DossierError.notFound("enrollment") }
        return (activity, enrollment)
    }

    static func requireLive(_ enrollment: IPOEnrollment, _ activity: IPOActivity, at now: Date) throws(DossierError) {
        guard enrollment.status.isLive else {
            throw DossierError(
                .conflict,
                slug: .enrollmentEnded,
                detail: "This enrollment was \(enrollment.status.rawValue) already."
            )
        }
        if activity.cancelledAt != nil { throw IPOActivityService.cancelled(activity) }
        guard now < activity.startsAt else {
            throw DossierError(
                .conflict,
                slug: .activityStarted,
                detail:
                    "This activity started at \(RFC3339.string(from: activity.startsAt)); its seats no longer change."
            )
        }
    }

    static func reason(_ text: String?) throws(DossierError) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(trimmed.count) else {
            throw DossierError.validation([FieldError("/reason", "must be 1-2000 characters")])
        }
        return trimmed
    }

    private func log(
        _ trainees: [PersonID],
        rule: String,
        caller: Caller,
        on connection: DatabaseConnection
    )
        async throws
    {
        try await access.log(
            trainees,
            resourceType: "ipo_enrollment",
            rule: rule,
            caller: caller,
            now: clock.now(),
            on: connection
        )
    }
}

extension IPOEnrollmentRepository.PersonEnrollment {
    func with(position: Int?) -> Self {
        var enrollment = self.enrollment
        enrollment.position = position
        return Self(
            enrollment: enrollment,
            title: title,
            kind: kind,
            startsAt: startsAt,
            cancelled: cancelled,
            waitlistRule: waitlistRule
        )
    }
}
