import Foundation
import PostgresNIO

/// The reads behind the digest: who may get one, and what needs each of a batch of people, each
/// a set-based query over the batch rather than a query per person.
struct DigestGatherRepository: Sendable {
    struct Recipient: Sendable {
        let id: PersonID
        let name: String
        let email: String
        let roles: Set<Role>
        let preferences: DigestPreferences
        /// Four bounce points within 30 days: no digest until the address works again.
        let suppressed: Bool
    }

    /// People by id after `after`, with their preferences or their roles' default; the
    /// anonymised records of disposed trainees are not among them.
    func recipients(
        after: UUID?,
        limit: Int,
        now: Date,
        on connection: PostgresConnection,
        only person: PersonID? = nil
    ) async throws -> [Recipient] {
        let rows = try await connection.query(
            """
            SELECT pe.id, pe.name, pe.email, pe.roles, d.frequency, d.weekday::int,
                   (extract(hour FROM d.send_time) * 60 + extract(minute FROM d.send_time))::int, d.time_zone,
                   coalesce(b.score >= 4 AND b.last_bounce_at > \(now)::timestamptz - interval '30 days', false)
            FROM people pe
            LEFT JOIN digest_preferences d ON d.person_id = pe.id
            LEFT JOIN mail_bounces b ON b.person_id = pe.id
            WHERE (\(after)::uuid IS NULL OR pe.id > \(after))
              AND (\(person?.uuid)::uuid IS NULL OR pe.id = \(person?.uuid))
              AND pe.email NOT LIKE 'disposed+%@invalid.example'
            ORDER BY pe.id
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        var recipients: [Recipient] = []
        for try await (id, name, email, roles, frequency, weekday, sendAt, zone, suppressed) in rows.decode(
            (UUID, String, String, [String], String?, Int?, Int?, String?, Bool).self
        ) {
            let roles = Set(roles.compactMap(Role.init(rawValue:)))
            let preferences =
                if let frequency = frequency.flatMap(DigestPreferences.Frequency.init), let sendAt, let zone {
                    DigestPreferences(
                        frequency: frequency,
                        weekday: weekday,
                        sendAt: sendAt,
                        timeZone: zone,
                        isDefault: false
                    )
                } else {
                    DigestPreferences.default(for: roles)
                }
            recipients.append(
                Recipient(
                    id: PersonID(id),
                    name: name,
                    email: email,
                    roles: roles,
                    preferences: preferences,
                    suppressed: suppressed
                )
            )
        }
        return recipients
    }

    struct Supervisee: Sendable {
        let supervisor: PersonID
        let trainee: PersonID
        let name: String
    }

    /// The trainees each of `people` supervises today.
    func supervisees(
        of people: [UUID],
        today: CalendarDate,
        on connection: PostgresConnection
    ) async throws
        -> [Supervisee]
    {
        let rows = try await connection.query(
            """
            SELECT DISTINCT s.supervisor_id, s.trainee_id, pe.name
            FROM supervisions s JOIN people pe ON pe.id = s.trainee_id
            WHERE s.supervisor_id = ANY(\(people)) AND s.valid_from <= \(today.description)::date
              AND (s.valid_until IS NULL OR s.valid_until >= \(today.description)::date)
            ORDER BY pe.name
            """,
            logger: PersonRepository.logger
        )
        var result: [Supervisee] = []
        for try await (supervisor, trainee, name) in rows.decode((UUID, UUID, String).self) {
            result.append(Supervisee(supervisor: PersonID(supervisor), trainee: PersonID(trainee), name: name))
        }
        return result
    }

    struct UnsignedRecord: Sendable {
        let author: PersonID
        let id: UUID
        let kind: String
        let heldOn: String
        let portfolio: UUID
        let traineeName: String
    }

    /// Progress records each of `people` wrote and has not signed: only the author signs.
    func unsignedRecords(of people: [UUID], on connection: PostgresConnection) async throws -> [UnsignedRecord] {
        let rows = try await connection.query(
            """
            SELECT r.author_id, r.id, r.kind, to_char(r.held_on, 'YYYY-MM-DD'), r.portfolio_id, pe.name
            FROM progress_records r
            JOIN portfolios p ON p.id = r.portfolio_id AND p.hidden_at IS NULL
            JOIN people pe ON pe.id = p.trainee_id
            WHERE r.author_id = ANY(\(people)) AND r.signed_at IS NULL AND NOT r.is_test
            ORDER BY r.held_on, r.id
            """,
            logger: PersonRepository.logger
        )
        var result: [UnsignedRecord] = []
        for try await (author, id, kind, heldOn, portfolio, name) in rows.decode(
            (UUID, UUID, String, String, UUID, String).self
        ) {
            result.append(
                UnsignedRecord(
                    author: PersonID(author),
                    id: id,
                    kind: kind,
                    heldOn: heldOn,
                    portfolio: portfolio,
                    traineeName: name
                )
            )
        }
        return result
    }

    struct OpenAssignment: Sendable {
        let person: PersonID
        let evaluation: Evaluation.ID
        let title: String
        let closesAt: Date
    }

    /// Open evaluations each of `people` has not answered yet.
    func openAssignments(
        of people: [UUID],
        now: Date,
        on connection: PostgresConnection
    ) async throws
        -> [OpenAssignment]
    {
        let rows = try await connection.query(
            """
            SELECT a.person_id, e.id, e.title, e.closes_at
            FROM evaluation_assignments a JOIN evaluations e ON e.id = a.evaluation_id
            WHERE a.person_id = ANY(\(people)) AND a.answered_on IS NULL
              AND e.opens_at <= \(now) AND e.closes_at > \(now)
            ORDER BY e.closes_at, e.id
            """,
            logger: PersonRepository.logger
        )
        var result: [OpenAssignment] = []
        for try await (person, evaluation, title, closes) in rows.decode((UUID, UUID, String, Date).self) {
            result.append(
                OpenAssignment(person: PersonID(person), evaluation: .init(evaluation), title: title, closesAt: closes)
            )
        }
        return result
    }

    /// Sets the link of each assignment to the digest's own; an earlier link stops working.
    func setLinks(_ links: [(OpenAssignment, hash: [UInt8])], on connection: PostgresConnection) async throws {
        guard !links.isEmpty else { return }
        try await connection.query(
            """
            UPDATE evaluation_assignments a SET link_hash = l.hash
            FROM unnest(\(links.map(\.0.evaluation.uuid))::uuid[], \(links.map(\.0.person.uuid))::uuid[],
                        \(links.map { ByteBuffer(bytes: $0.hash) })::bytea[]) AS l(evaluation_id, person_id, hash)
            WHERE a.evaluation_id = l.evaluation_id AND a.person_id = l.person_id
              AND a.link_hash IS DISTINCT FROM l.hash
            """,
            logger: PersonRepository.logger
        )
    }

    struct Happening: Sendable {
        let person: PersonID
        let at: Date
        let text: String
        let link: String?
    }

    /// Follow-ups published since `since` on evaluations each of `people` was asked to answer.
    func followUps(of people: [UUID], since: Date, on connection: PostgresConnection) async throws -> [Happening] {
        let rows = try await connection.query(
            """
            SELECT a.person_id, f.published_at, e.title, e.id
            FROM evaluation_follow_ups f
            JOIN evaluations e ON e.id = f.evaluation_id
            JOIN evaluation_assignments a ON a.evaluation_id = e.id
            WHERE a.person_id = ANY(\(people)) AND f.published_at > \(since)
            ORDER BY f.published_at
            """,
            logger: PersonRepository.logger
        )
        var result: [Happening] = []
        for try await (person, at, title, evaluation) in rows.decode((UUID, Date, String, UUID).self) {
            result.append(
                Happening(
                    person: PersonID(person),
                    at: at,
                    text: "What changed after \"\(title)\": a follow-up was published",
                    link: "/v1/me/evaluations/\(evaluation.lowercasedString)"
                )
            )
        }
        return result
    }

    /// IPO events since `since` for each of `people`: their own promotions and moves back to the
    /// waitlist, cancellations of activities they were on, and seats freed with nobody waiting
    /// in electives open for enrollment that they are not on (for trainees only).
    func ipoEvents(
        of people: [UUID],
        since: Date,
        now: Date,
        on connection: PostgresConnection
    ) async throws
        -> [Happening]
    {
        let rows = try await connection.query(
            """
            SELECT ev.person_id, ev.occurred_at, ev.kind, a.title, a.id
            FROM ipo_events ev JOIN ipo_activities a ON a.id = ev.activity_id
            WHERE ev.person_id = ANY(\(people)) AND ev.occurred_at > \(since)
              AND ev.kind IN ('promoted', 'moved_to_waitlist')
            UNION ALL
            SELECT en.person_id, ev.occurred_at, ev.kind, a.title, a.id
            FROM ipo_events ev JOIN ipo_activities a ON a.id = ev.activity_id
            JOIN ipo_enrollments en ON en.activity_id = ev.activity_id AND en.requested_at <= ev.occurred_at
                                   AND (en.ended_at IS NULL OR en.ended_at >= ev.occurred_at)
            WHERE en.person_id = ANY(\(people)) AND ev.occurred_at > \(since) AND ev.kind = 'activity_cancelled'
            UNION ALL
            SELECT t.person_id, ev.occurred_at, ev.kind, a.title, a.id
            FROM ipo_events ev
            JOIN ipo_activities a ON a.id = ev.activity_id AND a.cancelled_at IS NULL AND a.kind = 'elective'
                 AND a.enrollment_opens_at <= \(now) AND a.enrollment_closes_at > \(now) AND a.enrolled < a.capacity
            JOIN trainee_profiles t ON t.person_id = ANY(\(people)) AND t.status = 'active'
            WHERE ev.occurred_at > \(since) AND ev.kind = 'seat_freed'
              AND NOT EXISTS (SELECT 1 FROM ipo_enrollments en WHERE en.activity_id = a.id
                              AND en.person_id = t.person_id AND en.status IN ('enrolled', 'waitlisted'))
            ORDER BY 2
            """,
            logger: PersonRepository.logger
        )
        var result: [Happening] = []
        for try await (person, at, kind, title, activity) in rows.decode((UUID, Date, String, String, UUID).self) {
            let text =
                switch kind {
                case "promoted": "You have a seat in \"\(title)\": you moved up from the waitlist"
                case "moved_to_waitlist":
                    "\"\(title)\" has fewer seats now: you are back on its waitlist, first in line"
                case "activity_cancelled": "\"\(title)\" was cancelled"
                default: "A seat became free in \"\(title)\""
                }
            result.append(
                Happening(
                    person: PersonID(person),
                    at: at,
                    text: text,
                    link: "/v1/ipo/activities/\(activity.lowercasedString)"
                )
            )
        }
        return result
    }

    struct CompletedPortfolio: Sendable {
        let trainee: PersonID
        let portfolio: UUID
        let name: String
        let email: String
        let completedAt: CalendarDate
    }

    /// Completed trainees whose portfolio is still there and was completed after `since`: the
    /// ones whose download window may still be open.
    func completedPortfolios(
        completedOnOrAfter since: CalendarDate,
        on connection: PostgresConnection
    ) async throws -> [CompletedPortfolio] {
        let rows = try await connection.query(
            """
            SELECT t.person_id, p.id, pe.name, pe.email, to_char(t.completed_at, 'YYYY-MM-DD')
            FROM trainee_profiles t
            JOIN portfolios p ON p.trainee_id = t.person_id AND p.hidden_at IS NULL AND p.disposed_at IS NULL
            JOIN people pe ON pe.id = t.person_id
            WHERE t.status = 'completed' AND t.completed_at >= \(since.description)::date
            ORDER BY t.person_id
            """,
            logger: PersonRepository.logger
        )
        var result: [CompletedPortfolio] = []
        for try await (trainee, portfolio, name, email, completed) in rows.decode(
            (UUID, UUID, String, String, String).self
        ) {
            guard let completed = CalendarDate(completed) else { continue }
            result.append(
                CompletedPortfolio(
                    trainee: PersonID(trainee),
                    portfolio: portfolio,
                    name: name,
                    email: email,
                    completedAt: completed
                )
            )
        }
        return result
    }

    /// What coordinators are told every period, the same for all of them.
    struct InstituteFigures: Sendable {
        var evaluationsBelowTarget: [(id: UUID, title: String, rate: Int, target: Int)] = []
        var runsAwaitingApproval = 0
        var deadJobs = 0
        var mailProblems = 0
    }

    func instituteFigures(now: Date, on connection: PostgresConnection) async throws -> InstituteFigures {
        var figures = InstituteFigures()
        let evaluations = try await connection.query(
            """
            SELECT e.id, e.title, (count(a.answered_on) * 100 / count(*))::int, e.target_rate
            FROM evaluations e JOIN evaluation_assignments a ON a.evaluation_id = e.id
            WHERE e.target_rate IS NOT NULL AND e.opens_at <= \(now) AND e.closes_at > \(now)
            GROUP BY e.id
            HAVING count(a.answered_on) * 100 < e.target_rate * count(*)
            ORDER BY e.closes_at, e.id
            """,
            logger: PersonRepository.logger
        )
        for try await (id, title, rate, target) in evaluations.decode((UUID, String, Int, Int).self) {
            figures.evaluationsBelowTarget.append((id, title, rate, target))
        }
        let counts = try await connection.query(
            """
            SELECT (SELECT count(*)::int FROM retention_runs WHERE status = 'awaiting_approval'),
                   (SELECT count(*)::int FROM jobs WHERE state = 'dead'),
                   (SELECT count(*)::int FROM email_outbox WHERE status IN ('failed', 'unknown'))
            """,
            logger: PersonRepository.logger
        )
        for try await (runs, dead, mail) in counts.decode((Int, Int, Int).self) {
            figures.runsAwaitingApproval = runs
            figures.deadJobs = dead
            figures.mailProblems = mail
        }
        return figures
    }
}
