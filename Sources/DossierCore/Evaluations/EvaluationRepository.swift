import Foundation
import PostgresNIO

/// SQL for evaluations themselves; who answers them and what they answered are in
/// `EvaluationAssignmentRepository.swift` and `EvaluationResultRepository.swift`.
public struct EvaluationRepository: Sendable {
    public init() {}

    public struct Filter: Sendable {
        public var subjectKind: Evaluation.SubjectKind?
        public var state: Evaluation.State?
        public var groupID: GroupID?
        public var teacherID: PersonID?
        /// Evaluations that open on or after this day and on or before `to`.
        public var from: CalendarDate?
        public var to: CalendarDate?

        public init(
            subjectKind: Evaluation.SubjectKind? = nil,
            state: Evaluation.State? = nil,
            groupID: GroupID? = nil,
            teacherID: PersonID? = nil,
            from: CalendarDate? = nil,
            to: CalendarDate? = nil
        ) {
            self.subjectKind = subjectKind
            self.state = state
            self.groupID = groupID
            self.teacherID = teacherID
            self.from = from
            self.to = to
        }
    }

    func insert(_ evaluation: Evaluation, by creator: PersonID?, on connection: PostgresConnection) async throws {
        let subject = evaluation.subject
        try await connection.query(
            """
            INSERT INTO evaluations (id, title, form_key, form_version, subject_kind, subject_name, subject_on, group_id,
                                     trainer_id, opens_at, closes_at, anonymous, min_responses, target_rate,
                                     created_by, created_at, updated_at)
            VALUES (\(evaluation.id.uuid), \(evaluation.title), \(evaluation.formKey), \(evaluation.formVersion),
                    \(subject.kind.rawValue), \(subject.name), \(subject.on?.description)::date, \(subject.groupID?.uuid),
                    \(subject.trainerID?.uuid), \(evaluation.opensAt), \(evaluation.closesAt), \(evaluation.anonymous),
                    \(evaluation.minimumResponses), \(evaluation.targetRate), \(creator?.uuid), \(evaluation.createdAt),
                    \(evaluation.updatedAt))
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            """
            INSERT INTO evaluation_teachers (evaluation_id, person_id)
            SELECT \(evaluation.id.uuid), unnest(\(subject.teacherIDs.map(\.uuid))::uuid[])
            """,
            logger: PersonRepository.logger
        )
    }

    /// The assignments, one per respondent, and every counter at zero: created in one go, so
    /// neither's order says anything about later answers.
    func insert(
        assignments people: [PersonID],
        counters: [EvaluationCounter],
        of evaluation: Evaluation.ID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO evaluation_assignments (evaluation_id, person_id)
            SELECT \(evaluation.uuid), unnest(\(people.map(\.uuid))::uuid[])
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            """
            INSERT INTO evaluation_counts (evaluation_id, question_id, item, value)
            SELECT \(evaluation.uuid), q, i, v
            FROM unnest(\(counters.map(\.questionID))::text[], \(counters.map(\.item))::text[],
                        \(counters.map(\.value))::text[]) AS c (q, i, v)
            """,
            logger: PersonRepository.logger
        )
    }

    public func find(_ id: Evaluation.ID, on connection: PostgresConnection) async throws -> Evaluation? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM evaluations e WHERE e.id = \(id.uuid)",
            logger: PersonRepository.logger
        )
        return try await Self.evaluations(rows).first
    }

    /// A page in creation order; `visibleTo` limits it to the evaluations that person teaches or is evaluated in.
    func list(
        _ filter: Filter,
        visibleTo person: PersonID?,
        now: Date,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [Evaluation] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM evaluations e
            WHERE (\(filter.subjectKind?.rawValue)::text IS NULL OR e.subject_kind = \(filter.subjectKind?.rawValue))
              AND (\(filter.groupID?.uuid)::uuid IS NULL OR e.group_id = \(filter.groupID?.uuid))
              AND (\(filter.teacherID?.uuid)::uuid IS NULL OR EXISTS (
                    SELECT 1 FROM evaluation_teachers t WHERE t.evaluation_id = e.id AND t.person_id = \(filter.teacherID?.uuid)))
              AND (\(filter.from?.description)::date IS NULL
                   OR (e.opens_at AT TIME ZONE 'Europe/Amsterdam')::date >= \(filter.from?.description)::date)
              AND (\(filter.to?.description)::date IS NULL
                   OR (e.opens_at AT TIME ZONE 'Europe/Amsterdam')::date <= \(filter.to?.description)::date)
              AND (\(filter.state?.rawValue)::text IS NULL
                   OR (\(filter.state?.rawValue) = 'upcoming' AND e.opens_at > \(now))
                   OR (\(filter.state?.rawValue) = 'open' AND e.opens_at <= \(now) AND e.closes_at > \(now))
                   OR (\(filter.state?.rawValue) = 'closed' AND e.closes_at <= \(now)))
              AND (\(person?.uuid)::uuid IS NULL OR e.trainer_id = \(person?.uuid) OR EXISTS (
                    SELECT 1 FROM evaluation_teachers t WHERE t.evaluation_id = e.id AND t.person_id = \(person?.uuid)))
              AND (\(page.after)::uuid IS NULL OR e.id > \(page.after))
            ORDER BY e.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.evaluations(rows)
    }

    /// The trainer's earlier evaluations on the same form version and with the same anonymity,
    /// newest first: what a trainer report pools.
    func earlierTrainerEvaluations(
        like evaluation: Evaluation,
        of trainer: PersonID,
        on connection: PostgresConnection
    ) async throws -> [Evaluation] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM evaluations e
            WHERE e.subject_kind = 'trainer' AND e.trainer_id = \(trainer.uuid) AND e.id <> \(evaluation.id.uuid)
              AND e.form_key = \(evaluation.formKey) AND e.form_version = \(evaluation.formVersion)
              AND e.anonymous = \(evaluation.anonymous) AND e.opens_at < \(evaluation.opensAt)
            ORDER BY e.opens_at DESC
            LIMIT 50
            """,
            logger: PersonRepository.logger
        )
        return try await Self.evaluations(rows)
    }

    /// Writes the changed fields if the version is still `expectedVersion`; false when stale.
    func update(
        _ evaluation: Evaluation,
        expectedVersion: Int,
        at now: Date,
        on connection: PostgresConnection
    )
        async throws -> Bool
    {
        let rows = try await connection.query(
            """
            UPDATE evaluations SET title = \(evaluation.title), opens_at = \(evaluation.opensAt),
                closes_at = \(evaluation.closesAt), anonymous = \(evaluation.anonymous),
                min_responses = \(evaluation.minimumResponses), target_rate = \(evaluation.targetRate),
                version = version + 1, updated_at = \(now)
            WHERE id = \(evaluation.id.uuid) AND version = \(expectedVersion)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    func hasAnswers(_ evaluation: Evaluation.ID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM evaluation_assignments WHERE evaluation_id = \(evaluation.uuid) AND answered_on IS NOT NULL
            LIMIT 1
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// The trainees of a group, of the trainer's current supervisions, or the listed people who exist.
    func respondents(
        _ respondents: EvaluationRespondents,
        subject: Evaluation.Subject,
        today: CalendarDate,
        on connection: PostgresConnection
    ) async throws -> [PersonID] {
        let group: UUID?
        let trainer: UUID?
        var listed: [UUID] = []
        switch respondents {
        case .group(let id): (group, trainer) = (id.uuid, nil)
        case .people(let people): (group, trainer, listed) = (nil, nil, people.map(\.uuid))
        case .subject:
            (group, trainer) = (subject.groupID?.uuid, subject.kind == .trainer ? subject.trainerID?.uuid : nil)
        }
        let rows = try await connection.query(
            """
            SELECT p.id FROM people p
            WHERE p.id = ANY(\(listed)::uuid[])
               OR p.id IN (SELECT person_id FROM trainee_profiles WHERE group_id = \(group))
               OR p.id IN (SELECT trainee_id FROM supervisions
                           WHERE supervisor_id = \(trainer) AND kind IN ('trainer', 'stand_in_trainer')
                             AND valid_from <= \(today.description)::date
                             AND (valid_until IS NULL OR valid_until >= \(today.description)::date))
            ORDER BY p.id
            """,
            logger: PersonRepository.logger
        )
        var people: [PersonID] = []
        for try await id in rows.decode(UUID.self) { people.append(PersonID(id)) }
        return people
    }

    static let columns = """
        e.id, e.title, e.form_key, e.form_version, e.subject_kind, e.subject_name, e.subject_on::text, e.group_id,
        e.trainer_id, e.opens_at, e.closes_at, e.anonymous, e.min_responses, e.target_rate, e.responses,
        e.version::int, e.created_at, e.updated_at,
        ARRAY(SELECT t.person_id FROM evaluation_teachers t WHERE t.evaluation_id = e.id ORDER BY t.person_id)
        """

    typealias Row = (
        UUID, String, String, Int, String, String?, String?, UUID?, UUID?, Date, Date, Bool, Int, Int?, Int, Int,
        Date, Date, [UUID]
    )

    static func evaluation(_ row: PostgresRow) throws -> Evaluation {
        let (
            id, title, formKey, formVersion, kind, name, on, group, trainer, opens, closes, anonymous, minimum, target,
            responses, version, created, updated, teachers
        ) = try row.decode(Row.self)
        return Evaluation(
            id: .init(id),
            title: title,
            formKey: formKey,
            formVersion: formVersion,
            subject: .init(
                kind: Evaluation.SubjectKind(rawValue: kind) ?? .module,
                name: name,
                on: on.flatMap(CalendarDate.init),
                groupID: group.map(GroupID.init),
                teacherIDs: teachers.map(PersonID.init),
                trainerID: trainer.map(PersonID.init)
            ),
            opensAt: opens,
            closesAt: closes,
            anonymous: anonymous,
            minimumResponses: minimum,
            targetRate: target,
            responses: responses,
            version: version,
            createdAt: created,
            updatedAt: updated
        )
    }

    static func evaluations(_ rows: PostgresRowSequence) async throws -> [Evaluation] {
        var evaluations: [Evaluation] = []
        for try await row in rows { evaluations.append(try evaluation(row)) }
        return evaluations
    }
}
