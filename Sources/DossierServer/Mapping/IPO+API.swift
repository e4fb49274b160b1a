import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.IpoActivity {
    init(_ activity: IPOActivity, now: Date) {
        self.init(
            id: activity.id.description,
            title: activity.title,
            description: activity.description,
            partnerProfessions: activity.partnerProfessions,
            kind: .init(activity.kind),
            status: .init(rawValue: activity.status(at: now).rawValue) ?? .planned,
            cancellationReason: activity.cancellationReason,
            sessions: activity.sessions.map(Components.Schemas.IpoSession.init),
            capacity: Int32(clamping: activity.capacity),
            enrolled: Int32(clamping: activity.enrolled),
            waitlisted: Int32(clamping: activity.waitlisted),
            freeSeats: Int32(clamping: activity.freeSeats),
            enrollmentOpensAt: activity.enrollmentOpensAt,
            enrollmentClosesAt: activity.enrollmentClosesAt,
            cancellationDeadline: activity.cancellationDeadline,
            countsTowardRequirement: activity.countsTowardRequirement,
            waitlistRule: .init(activity.waitlistRule),
            evaluationFormKey: activity.evaluationFormKey,
            evaluationId: activity.evaluationID?.description,
            createdAt: activity.createdAt,
            updatedAt: activity.updatedAt
        )
    }
}

extension Components.Schemas.IpoSession {
    init(_ session: IPOActivity.Session) {
        let local = session.local
        self.init(
            id: session.id.description,
            number: Int32(clamping: session.number),
            date: local.date,
            startTime: local.startTime,
            endTime: local.endTime,
            startsAt: session.startsAt,
            endsAt: session.endsAt,
            site: .init(rawValue: session.site.rawValue) ?? .online
        )
    }
}

extension Components.Schemas.IpoActivityKind {
    init(_ kind: IPOActivity.Kind) { self = .init(rawValue: kind.rawValue) ?? .elective }
    var core: IPOActivity.Kind { IPOActivity.Kind(rawValue: rawValue) ?? .elective }
}

extension Components.Schemas.IpoWaitlistRule {
    init(_ rule: IPOActivity.WaitlistRule) { self = .init(rawValue: rule.rawValue) ?? .firstCome }
    var core: IPOActivity.WaitlistRule { IPOActivity.WaitlistRule(rawValue: rawValue) ?? .firstCome }
}

extension IPOSessionInput {
    init(_ input: Components.Schemas.IpoSessionInput) {
        self.init(date: input.date, startTime: input.startTime, endTime: input.endTime, site: input.site.rawValue)
    }
}

extension IPOActivityDraft {
    init(_ body: Components.Schemas.IpoActivityCreate) {
        self.init(
            title: body.title,
            description: body.description,
            partnerProfessions: body.partnerProfessions ?? [],
            kind: body.kind.core,
            sessions: body.sessions.map(IPOSessionInput.init),
            capacity: Int(body.capacity),
            enrollmentOpensAt: body.enrollmentOpensAt,
            enrollmentClosesAt: body.enrollmentClosesAt,
            cancellationDeadline: body.cancellationDeadline,
            countsTowardRequirement: body.countsTowardRequirement,
            waitlistRule: body.waitlistRule?.core,
            evaluationFormKey: body.evaluationFormKey
        )
    }
}

extension IPOActivityPatch {
    /// Decodes a JSON Merge Patch of an activity by hand (see `MergePatch`); only the evaluation
    /// form can be cleared with null.
    init(mergePatch container: OpenAPIRuntime.OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            let pointer = "/\(key)"
            switch key {
            case "title": title = try MergePatch.required(value, pointer, as: String.self)
            case "description": description = try MergePatch.required(value, pointer, as: String.self)
            case "partner_professions": partnerProfessions = try MergePatch.required(value, pointer, as: [String].self)
            case "sessions": sessions = try Self.sessions(value)
            case "capacity": capacity = try MergePatch.required(value, pointer, as: Int.self)
            case "move_to_waitlist":
                moveToWaitlist = try MergePatch.required(value, pointer, as: [String].self).enumerated().map {
                    (index, text) throws(DossierError) in
                    guard let id = PersonID(text) else {
                        throw DossierError.validation([FieldError("\(pointer)/\(index)", "must be a person's UUID")])
                    }
                    return id
                }
            case "enrollment_opens_at": enrollmentOpensAt = try MergePatch.date(value, pointer)
            case "enrollment_closes_at": enrollmentClosesAt = try MergePatch.date(value, pointer)
            case "cancellation_deadline": cancellationDeadline = try MergePatch.date(value, pointer)
            case "counts_toward_requirement":
                countsTowardRequirement = try MergePatch.required(value, pointer, as: Bool.self)
            case "waitlist_rule":
                guard
                    let rule = IPOActivity.WaitlistRule(
                        rawValue: try MergePatch.required(value, pointer, as: String.self)
                    )
                else {
                    throw DossierError.validation([FieldError(pointer, "must be first_come or requirement_first")])
                }
                waitlistRule = rule
            case "evaluation_form_key":
                switch try MergePatch.field(value, pointer, as: String.self) {
                case .value(let key): evaluationFormKey = .some(key)
                case .null, .absent: evaluationFormKey = .some(nil)
                }
            case "id", "kind", "status", "enrolled", "waitlisted", "free_seats", "evaluation_id", "cancellation_reason",
                "created_at", "updated_at":
                throw DossierError.validation([FieldError(pointer, "is set by the server or fixed at creation")])
            default: throw MergePatch.unknown(pointer)
            }
        }
    }

    private static func sessions(_ value: (any Sendable)?) throws(DossierError) -> [IPOSessionInput] {
        guard let array = value as? [(any Sendable)?] else { throw MergePatch.wrongType("/sessions") }
        return try array.enumerated().map { (index, element) throws(DossierError) in
            let pointer = "/sessions/\(index)"
            guard let object = element as? [String: (any Sendable)?] else { throw MergePatch.wrongType(pointer) }
            if let unknown = object.keys.sorted().first(where: {
                !["date", "start_time", "end_time", "site"].contains($0)
            }) {
                throw MergePatch.unknown("\(pointer)/\(unknown)")
            }
            func text(_ name: String) throws(DossierError) -> String {
                guard let text = object[name] as? String else {
                    throw DossierError.validation([FieldError("\(pointer)/\(name)", "is required")])
                }
                return text
            }
            return IPOSessionInput(
                date: try text("date"),
                startTime: try text("start_time"),
                endTime: try text("end_time"),
                site: try text("site")
            )
        }
    }
}

extension Components.Schemas.IpoEnrollment {
    init(_ enrollment: IPOEnrollment, rule: IPOActivity.WaitlistRule) {
        self.init(
            id: enrollment.id.description,
            activityId: enrollment.activityID.description,
            personId: enrollment.personID.description,
            status: .init(rawValue: enrollment.status.rawValue) ?? .cancelled,
            position: enrollment.position.map { Int32(clamping: $0) },
            waitlistRule: .init(rule),
            waitlistRuleExplained: rule.explanation,
            requestedAt: enrollment.requestedAt,
            enrolledAt: enrollment.enrolledAt,
            promotedAt: enrollment.promotedAt,
            promotionReason: enrollment.promotionReason,
            endedAt: enrollment.endedAt,
            endReason: enrollment.endReason,
            declinable: enrollment.isDeclinable
        )
    }
}

extension Components.Schemas.IpoPersonEnrollment {
    init(_ item: IPOEnrollmentRepository.PersonEnrollment) {
        self.init(
            enrollment: .init(item.enrollment, rule: item.waitlistRule),
            title: item.title,
            kind: .init(item.kind),
            startsAt: item.startsAt,
            activityCancelled: item.cancelled
        )
    }
}

extension Components.Schemas.IpoAttendance {
    init(_ attendance: IPOSessionAttendance) {
        self.init(
            activityId: attendance.activityID.description,
            session: .init(attendance.session),
            enrolled: Int32(clamping: attendance.enrolled),
            marks: attendance.marks.map {
                .init(personId: $0.personID.description, attended: $0.attended, recordedAt: $0.recordedAt)
            },
            evaluationId: attendance.evaluationID?.description
        )
    }
}

extension Components.Schemas.IpoRequirement {
    init(_ requirement: IPORequirement, of person: PersonID) {
        func activity(_ activity: IPORequirement.Activity) -> Components.Schemas.IpoRequirementActivity {
            .init(
                activityId: activity.activityID.description,
                title: activity.title,
                state: .init(rawValue: activity.state.rawValue) ?? .missing,
                on: activity.on.description
            )
        }
        self.init(
            personId: person.description,
            status: .init(rawValue: requirement.status.rawValue) ?? .notPlanned,
            satisfied: requirement.satisfied,
            extraActivityRequired: requirement.extraActivityRequired,
            mandatoryModule: .init(rawValue: requirement.mandatoryModule.rawValue) ?? .missing,
            mandatoryModuleActivity: requirement.mandatoryModuleActivity.map(activity),
            completedElectives: requirement.completedElectives.map(activity),
            plannedElectives: requirement.plannedElectives.map(activity),
            dueBy: requirement.dueBy.description
        )
    }
}

extension Components.Schemas.IpoCompliance {
    init(_ compliance: IPOCompliance, nextCursor: String?) {
        self.init(
            summary: compliance.summary.map { count in
                .init(
                    groupId: count.groupID?.description,
                    groupName: count.groupName,
                    trainingYear: Int32(clamping: count.trainingYear),
                    trainees: Int32(clamping: count.trainees),
                    satisfied: Int32(clamping: count.byStatus[.satisfied] ?? 0),
                    onTrack: Int32(clamping: count.byStatus[.onTrack] ?? 0),
                    atRisk: Int32(clamping: count.byStatus[.atRisk] ?? 0),
                    notPlanned: Int32(clamping: count.byStatus[.notPlanned] ?? 0)
                )
            },
            items: compliance.page.items.map { row in
                .init(
                    personId: row.personID.description,
                    name: row.name,
                    groupId: row.groupID?.description,
                    groupName: row.groupName,
                    trainingYear: Int32(clamping: row.trainingYear),
                    requirement: .init(row.requirement, of: row.personID)
                )
            },
            nextCursor: nextCursor
        )
    }
}

extension Components.Schemas.IpoStatistics {
    init(_ statistics: IPOStatistics) {
        self.init(
            months: statistics.months.map { .init(month: $0.month, figures: .init($0.figures)) },
            activities: statistics.activities.map {
                .init(
                    activityId: $0.activityID.description,
                    title: $0.title,
                    kind: .init($0.kind),
                    month: $0.month,
                    cancelled: $0.cancelled,
                    figures: .init($0.figures)
                )
            }
        )
    }
}

extension Components.Schemas.IpoStatisticsFigures {
    init(_ figures: IPOStatistics.Figures) {
        self.init(
            activities: Int32(clamping: figures.activities),
            capacity: Int32(clamping: figures.capacity),
            enrolled: Int32(clamping: figures.enrolled),
            waitlisted: Int32(clamping: figures.waitlisted),
            fillRate: figures.fillRate,
            noShowRate: figures.noShowRate,
            enrollments: Int32(clamping: figures.enrollments),
            medianLeadDays: figures.medianLeadDays,
            meanLeadDays: figures.meanLeadDays,
            lastMinuteShare: figures.lastMinuteShare
        )
    }
}
