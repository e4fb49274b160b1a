import Foundation

/// Attendance: a coordinator marks each enrolled trainee attended or absent per session, once
/// the session has begun. Recording the last session assigns the activity's evaluation (if it
/// names a form) to those who attended it.
public struct IPOAttendanceService: Sendable {
    let database: Database
    let clock: any WallClock
    private let activities = IPOActivityRepository()
    private let enrollments = IPOEnrollmentRepository()
    private let attendance = IPOAttendanceRepository()
    private let evaluations = ActivityEvaluations()
    private let access = IPOPersonAccess()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Records or corrects the marks in one transaction; one unknown or unenrolled person
    /// refuses the whole list, each such line named.
    public func record(
        _ records: [IPOAttendanceRecord],
        session sessionID: IPOActivity.Session.ID,
        of activityID: IPOActivity.ID,
        caller: Caller
    ) async throws -> IPOSessionAttendance {
        let rule = try AccessPolicy.decide(.recordIpoAttendance, caller: caller).rule(or: "activity")
        let now = clock.now()
        return try await database.transaction { connection in
            guard let activity = try await activities.find(activityID, locking: true, on: connection),
                let session = activity.sessions.first(where: { $0.id == sessionID })
            else { throw DossierError.notFound("session") }
            if activity.cancelledAt != nil { throw IPOActivityService.cancelled(activity) }
            guard session.startsAt <= now else {
                throw DossierError(
                    .conflict,
                    slug: .sessionNotHeld,
                    detail:
                        "This session starts at \(RFC3339.string(from: session.startsAt)); attendance is recorded once it has begun."
                )
            }
            let changes = try await resolve(records, in: activity, on: connection)
            try await attendance.upsert(changes, session: sessionID, by: caller.personID, at: now, on: connection)
            let marks = try await attendance.marks(of: sessionID, on: connection)
            var evaluationID = activity.evaluationID
            if session.number == activity.sessions.count, let formKey = activity.evaluationFormKey {
                evaluationID = try await evaluations.assign(
                    marks.filter(\.attended).map(\.personID),
                    to: activity.evaluationID,
                    title: activity.title,
                    formKey: formKey,
                    heldOn: CalendarDate(session.startsAt),
                    by: caller.personID,
                    now: now,
                    on: connection
                )
                if let evaluationID, activity.evaluationID == nil {
                    try await activities.link(activityID, evaluation: evaluationID, on: connection)
                }
            }
            return try await sheet(activity, session, marks, evaluationID, rule: rule, caller: caller, on: connection)
        }
    }

    public func list(
        session sessionID: IPOActivity.Session.ID,
        of activityID: IPOActivity.ID,
        caller: Caller
    ) async throws -> IPOSessionAttendance {
        let rule = try AccessPolicy.decide(.listIpoAttendance, caller: caller).rule(or: "activity")
        return try await database.transaction { connection in
            guard let activity = try await activities.find(activityID, on: connection),
                let session = activity.sessions.first(where: { $0.id == sessionID })
            else { throw DossierError.notFound("session") }
            let marks = try await attendance.marks(of: sessionID, on: connection)
            return try await sheet(
                activity,
                session,
                marks,
                activity.evaluationID,
                rule: rule,
                caller: caller,
                on: connection
            )
        }
    }

    /// Each record's enrollment, or every line that names someone unknown, twice, or not enrolled.
    private func resolve(
        _ records: [IPOAttendanceRecord],
        in activity: IPOActivity,
        on connection: DatabaseConnection
    ) async throws -> [(enrollment: IPOEnrollment.ID, attended: Bool)] {
        let emails = records.compactMap { if case .email(let email) = $0.person { email } else { nil } }
        let byEmail = emails.isEmpty ? [:] : try await attendance.people(emails: emails, on: connection)
        let ids = records.compactMap { if case .id(let id) = $0.person { id } else { nil } }
        let existing = ids.isEmpty ? [] : try await attendance.existing(ids, on: connection)
        let seats = try await enrollments.seats(of: activity.id, on: connection)
        var errors: [FieldError] = []
        var seen: Set<PersonID> = []
        var marks: [(IPOEnrollment.ID, Bool)] = []
        for record in records {
            let person: PersonID? =
                switch record.person {
                case .id(let id): existing.contains(id) ? id : nil
                case .email(let email): byEmail[email.lowercased()]
                }
            guard let person else {
                errors.append(FieldError(record.pointer, "names nobody known to the institute"))
                continue
            }
            guard let enrollment = seats[person] else {
                errors.append(FieldError(record.pointer, "is not enrolled in this activity"))
                continue
            }
            guard seen.insert(person).inserted else {
                errors.append(FieldError(record.pointer, "names a trainee listed before"))
                continue
            }
            marks.append((enrollment, record.attended))
        }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        return marks
    }

    private func sheet(
        _ activity: IPOActivity,
        _ session: IPOActivity.Session,
        _ marks: [IPOAttendanceRepository.Mark],
        _ evaluationID: Evaluation.ID?,
        rule: String,
        caller: Caller,
        on connection: DatabaseConnection
    ) async throws -> IPOSessionAttendance {
        try await access.log(
            marks.map(\.personID),
            resourceType: "ipo_attendance",
            rule: rule,
            caller: caller,
            now: clock.now(),
            on: connection
        )
        return IPOSessionAttendance(
            activityID: activity.id,
            session: session,
            enrolled: activity.enrolled,
            marks: marks.map { .init(personID: $0.personID, attended: $0.attended, recordedAt: $0.recordedAt) },
            evaluationID: evaluationID
        )
    }
}
