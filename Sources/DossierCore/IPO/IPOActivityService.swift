import Foundation

/// IPO activities: coordinators plan, change and cancel them; every signed-in role with
/// `ipo:read` finds them.
public struct IPOActivityService: Sendable {
    let database: Database
    let clock: any WallClock
    private let activities = IPOActivityRepository()
    private let enrollments = IPOEnrollmentRepository()
    private let events = IPOEventRepository()
    private let seats = IPOSeats()
    private let forms = FormResponses()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func create(_ draft: IPOActivityDraft, caller: Caller) async throws -> IPOActivity {
        _ = try AccessPolicy.decide(.createIpoActivity, caller: caller).rule(or: "activity")
        let now = clock.now()
        let (sessions, sessionErrors) = IPOActivityRules.sessions(draft.sessions)
        let first = sessions.first?.startsAt ?? draft.enrollmentClosesAt
        let activity = IPOActivity(
            id: .generate(),
            title: draft.title.trimmingCharacters(in: .whitespacesAndNewlines),
            description: draft.description ?? "",
            partnerProfessions: draft.partnerProfessions.map { $0.trimmingCharacters(in: .whitespaces) },
            kind: draft.kind,
            capacity: draft.capacity,
            enrolled: 0,
            waitlisted: 0,
            enrollmentOpensAt: draft.enrollmentOpensAt,
            enrollmentClosesAt: draft.enrollmentClosesAt,
            cancellationDeadline: draft.cancellationDeadline
                ?? min(first.addingTimeInterval(-IPOActivityRules.defaultCancellationLead), draft.enrollmentClosesAt),
            countsTowardRequirement: draft.countsTowardRequirement ?? (draft.kind == .elective),
            waitlistRule: draft.waitlistRule ?? .firstCome,
            evaluationFormKey: draft.evaluationFormKey,
            evaluationID: nil,
            sessions: sessions,
            cancelledAt: nil,
            cancellationReason: nil,
            version: 1,
            createdAt: now,
            updatedAt: now
        )
        let errors = sessionErrors + IPOActivityRules.check(activity)
        return try await database.transaction { connection in
            let formErrors = try await checkForm(activity.evaluationFormKey, on: connection)
            guard errors.isEmpty, formErrors.isEmpty else { throw DossierError.validation(errors + formErrors) }
            try await activities.insert(activity, by: caller.personID, on: connection)
            guard let stored = try await activities.find(activity.id, on: connection) else {
                throw DossierError.notFound("activity")
            }
            return stored
        }
    }

    /// An evaluation form, if named, must be one of purpose `evaluation` with a version in production.
    private func checkForm(_ key: String?, on connection: DatabaseConnection) async throws -> [FieldError] {
        guard let key, (1...64).contains(key.count) else { return [] }
        do {
            let (_, isTest) = try await forms.version(
                of: key,
                purpose: .evaluation,
                requested: nil,
                keyPointer: "/evaluation_form_key",
                on: connection
            )
            return isTest ? [FieldError("/evaluation_form_key", "has no version in production")] : []
        } catch let error as DossierError where error.kind == .validation {
            return error.fieldErrors
        }
    }

    public func list(
        _ filter: IPOActivityRepository.Filter,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<IPOActivity> {
        _ = try AccessPolicy.decide(.listIpoActivities, caller: caller).rule(or: "activity")
        let now = clock.now()
        let fetched = try await database.read { connection in
            try await activities.list(filter, now: now, page: page, on: connection)
        }
        return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
    }

    public func get(_ id: IPOActivity.ID, caller: Caller) async throws -> IPOActivity {
        _ = try AccessPolicy.decide(.getIpoActivity, caller: caller).rule(or: "activity")
        return try await database.read { connection in
            guard let activity = try await activities.find(id, on: connection) else {
                throw DossierError.notFound("activity")
            }
            return activity
        }
    }

    /// Applies the coordinator's changes if `ifMatch` is the current ETag. A capacity below the
    /// enrolled count needs `moveToWaitlist` to name exactly the trainees who give up their
    /// seats; a higher one promotes from the waitlist at once.
    public func update(
        _ id: IPOActivity.ID,
        patch: IPOActivityPatch,
        ifMatch: String?,
        caller: Caller
    ) async throws -> IPOActivity {
        _ = try AccessPolicy.decide(.updateIpoActivity, caller: caller).rule(or: "activity")
        let now = clock.now()
        return try await database.transaction { connection in
            guard let current = try await activities.find(id, locking: true, on: connection) else {
                throw DossierError.notFound("activity")
            }
            try Preconditions.check(ifMatch: ifMatch, etag: current.etag)
            if current.cancelledAt != nil { throw Self.cancelled(current) }
            var activity = current
            var errors: [FieldError] = []
            if let inputs = patch.sessions {
                if try await activities.hasAttendance(id, on: connection) {
                    throw DossierError(
                        .conflict,
                        slug: .attendanceRecorded,
                        detail: "Attendance has been recorded for this activity; its sessions no longer change.",
                        fieldErrors: [FieldError("/sessions", "cannot change once attendance is recorded")]
                    )
                }
                let (sessions, sessionErrors) = IPOActivityRules.sessions(inputs)
                activity.sessions = sessions
                errors += sessionErrors
            }
            apply(patch, to: &activity)
            errors += IPOActivityRules.check(activity)
            if case .some(let key) = patch.evaluationFormKey {
                errors += try await checkForm(key, on: connection)
            }
            let moving = try await checkCapacity(patch, current, &errors, on: connection)
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            if !moving.isEmpty {
                try await enrollments.moveToWaitlist(moving.map(\.id), on: connection)
                for enrollment in moving {
                    try await events.record(
                        .movedToWaitlist,
                        activity: id,
                        person: enrollment.personID,
                        detail: "The capacity was lowered to \(activity.capacity); first on the waitlist.",
                        at: now,
                        on: connection
                    )
                }
            }
            if patch.sessions != nil {
                try await activities.replace(sessions: activity.sessions, of: id, on: connection)
            }
            guard try await activities.update(activity, expectedVersion: current.version, at: now, on: connection)
            else { throw Preconditions.stale }
            try await seats.fill(id, freed: activity.capacity > current.capacity, now: now, on: connection)
            guard let stored = try await activities.find(id, on: connection) else {
                throw DossierError.notFound("activity")
            }
            return stored
        }
    }

    private func apply(_ patch: IPOActivityPatch, to activity: inout IPOActivity) {
        activity.title = patch.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? activity.title
        activity.description = patch.description ?? activity.description
        activity.partnerProfessions =
            patch.partnerProfessions?.map { $0.trimmingCharacters(in: .whitespaces) } ?? activity.partnerProfessions
        activity.capacity = patch.capacity ?? activity.capacity
        activity.enrollmentOpensAt = patch.enrollmentOpensAt ?? activity.enrollmentOpensAt
        activity.enrollmentClosesAt = patch.enrollmentClosesAt ?? activity.enrollmentClosesAt
        activity.cancellationDeadline = patch.cancellationDeadline ?? activity.cancellationDeadline
        activity.countsTowardRequirement = patch.countsTowardRequirement ?? activity.countsTowardRequirement
        activity.waitlistRule = patch.waitlistRule ?? activity.waitlistRule
        activity.evaluationFormKey = patch.evaluationFormKey ?? activity.evaluationFormKey
    }

    /// The enrollments that move back to the waitlist: exactly as many as the new capacity is
    /// below the enrolled count, each one enrolled now.
    private func checkCapacity(
        _ patch: IPOActivityPatch,
        _ current: IPOActivity,
        _ errors: inout [FieldError],
        on connection: DatabaseConnection
    ) async throws -> [IPOEnrollment] {
        let named = patch.moveToWaitlist ?? []
        guard named.count <= IPOActivityRules.maximumCapacity else {
            errors.append(FieldError("/move_to_waitlist", "must list at most \(IPOActivityRules.maximumCapacity)"))
            return []
        }
        guard let capacity = patch.capacity, (1...IPOActivityRules.maximumCapacity).contains(capacity) else {
            if !named.isEmpty {
                errors.append(FieldError("/move_to_waitlist", "is only for lowering capacity below the enrolled count"))
            }
            return []
        }
        let excess = current.enrolled - capacity
        guard excess > 0 else {
            if !named.isEmpty {
                errors.append(
                    FieldError(
                        "/move_to_waitlist",
                        "must be empty: \(capacity) seats hold all \(current.enrolled) enrolled"
                    )
                )
            }
            return []
        }
        guard named.count == excess else {
            throw DossierError(
                .conflict,
                slug: .capacityBelowEnrolled,
                detail:
                    "\(current.enrolled) trainees are enrolled; to lower the capacity to \(capacity), name exactly \(excess) of them in move_to_waitlist (\(named.count) named).",
                fieldErrors: [FieldError("/move_to_waitlist", "must name exactly \(excess) enrolled trainees")]
            )
        }
        var moving: [IPOEnrollment] = []
        for (index, person) in named.enumerated() {
            guard let enrollment = try await enrollments.live(in: current.id, of: person, on: connection),
                enrollment.status == .enrolled, !moving.contains(where: { $0.personID == person })
            else {
                errors.append(FieldError("/move_to_waitlist/\(index)", "is not an enrolled trainee of this activity"))
                continue
            }
            moving.append(enrollment)
        }
        return moving
    }

    /// Cancels the activity with a reason; enrollments stay as they were, for the record, and
    /// the digest tells everyone who held a seat or waited.
    public func cancel(
        _ id: IPOActivity.ID,
        reason: String,
        ifMatch: String?,
        caller: Caller
    ) async throws -> IPOActivity {
        _ = try AccessPolicy.decide(.cancelIpoActivity, caller: caller).rule(or: "activity")
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(trimmed.count) else {
            throw DossierError.validation([FieldError("/reason", "must be 1-2000 characters")])
        }
        let now = clock.now()
        return try await database.transaction { connection in
            guard let activity = try await activities.find(id, locking: true, on: connection) else {
                throw DossierError.notFound("activity")
            }
            if let ifMatch { try Preconditions.check(ifMatch: ifMatch, etag: activity.etag) }
            if activity.cancelledAt != nil { throw Self.cancelled(activity) }
            if now >= activity.endsAt {
                throw DossierError(
                    .conflict,
                    slug: .activityStarted,
                    detail:
                        "This activity took place (its last session ended \(RFC3339.string(from: activity.endsAt)))."
                )
            }
            try await activities.cancel(id, reason: trimmed, at: now, on: connection)
            try await events.record(.activityCancelled, activity: id, detail: trimmed, at: now, on: connection)
            guard let stored = try await activities.find(id, on: connection) else {
                throw DossierError.notFound("activity")
            }
            return stored
        }
    }

    static func cancelled(_ activity: IPOActivity) -> DossierError {
        DossierError(
            .conflict,
            slug: .activityCancelled,
            detail: "This activity was cancelled: \(activity.cancellationReason ?? "no reason recorded")."
        )
    }
}
