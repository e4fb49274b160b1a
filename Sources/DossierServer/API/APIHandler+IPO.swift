import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func listIpoActivities(
        _ input: Operations.ListIpoActivities.Input
    ) async throws
        -> Operations.ListIpoActivities.Output
    {
        let query = input.query
        let page = try await ipoActivities.list(
            .init(
                from: query.from.flatMap(CalendarDate.init),
                to: query.to.flatMap(CalendarDate.init),
                site: query.site.flatMap { IPOActivity.Site(rawValue: $0.rawValue) },
                kind: query.kind?.core,
                status: query.status.flatMap { IPOActivity.Status(rawValue: $0.rawValue) },
                freeSeats: query.freeSeats
            ),
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let now = clock.now()
        let items = page.items.map { Components.Schemas.IpoActivity($0, now: now) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createIpoActivity(
        _ input: Operations.CreateIpoActivity.Input
    ) async throws
        -> Operations.CreateIpoActivity.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let activity = try await ipoActivities.create(IPOActivityDraft(body), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, activity.etag)
        return .created(.init(body: .json(.init(activity, now: clock.now()))))
    }

    func getIpoActivity(_ input: Operations.GetIpoActivity.Input) async throws -> Operations.GetIpoActivity.Output {
        let activity = try await ipoActivities.get(try Self.id(input.path.id, "activity"), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, activity.etag)
        return .ok(.init(body: .json(.init(activity, now: clock.now()))))
    }

    func updateIpoActivity(
        _ input: Operations.UpdateIpoActivity.Input
    ) async throws
        -> Operations.UpdateIpoActivity.Output
    {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let activity = try await ipoActivities.update(
            try Self.id(input.path.id, "activity"),
            patch: try IPOActivityPatch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, activity.etag)
        return .ok(.init(body: .json(.init(activity, now: clock.now()))))
    }

    func cancelIpoActivity(
        _ input: Operations.CancelIpoActivity.Input
    ) async throws
        -> Operations.CancelIpoActivity.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let activity = try await ipoActivities.cancel(
            try Self.id(input.path.id, "activity"),
            reason: body.reason,
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, activity.etag)
        return .ok(.init(body: .json(.init(activity, now: clock.now()))))
    }
}

extension APIHandler {
    func listIpoEnrollments(
        _ input: Operations.ListIpoEnrollments.Input
    ) async throws
        -> Operations.ListIpoEnrollments.Output
    {
        let (page, activity) = try await ipoEnrollments.list(
            activity: try Self.id(input.path.id, "activity"),
            status: input.query.status.flatMap { IPOEnrollment.Status(rawValue: $0.rawValue) },
            page: try paging.request(limit: input.query.limit, cursor: input.query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map { Components.Schemas.IpoEnrollment($0, rule: activity.waitlistRule) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createIpoEnrollment(
        _ input: Operations.CreateIpoEnrollment.Input
    ) async throws
        -> Operations.CreateIpoEnrollment.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        var person: PersonID?
        if let text = body.personId {
            guard let id = PersonID(text) else {
                throw DossierError.validation([FieldError("/person_id", "must be a UUID")])
            }
            person = id
        }
        let (enrollment, activity) = try await ipoEnrollments.enroll(
            in: try Self.id(input.path.id, "activity"),
            person: person,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(enrollment, rule: activity.waitlistRule))))
    }

    func getIpoEnrollment(
        _ input: Operations.GetIpoEnrollment.Input
    ) async throws
        -> Operations.GetIpoEnrollment.Output
    {
        let (enrollment, activity) = try await ipoEnrollments.get(
            try Self.id(input.path.enrollmentId, "enrollment"),
            in: try Self.id(input.path.id, "enrollment"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(enrollment, rule: activity.waitlistRule))))
    }

    func cancelIpoEnrollment(
        _ input: Operations.CancelIpoEnrollment.Input
    ) async throws
        -> Operations.CancelIpoEnrollment.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let (enrollment, activity) = try await ipoEnrollments.cancel(
            try Self.id(input.path.enrollmentId, "enrollment"),
            in: try Self.id(input.path.id, "enrollment"),
            reason: body.reason,
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(enrollment, rule: activity.waitlistRule))))
    }

    func declineIpoEnrollment(
        _ input: Operations.DeclineIpoEnrollment.Input
    ) async throws
        -> Operations.DeclineIpoEnrollment.Output
    {
        let (enrollment, activity) = try await ipoEnrollments.decline(
            try Self.id(input.path.enrollmentId, "enrollment"),
            in: try Self.id(input.path.id, "enrollment"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(enrollment, rule: activity.waitlistRule))))
    }

    func listPersonIpoEnrollments(
        _ input: Operations.ListPersonIpoEnrollments.Input
    ) async throws
        -> Operations.ListPersonIpoEnrollments.Output
    {
        let page = try await ipoEnrollments.list(
            person: try Self.id(input.path.id, "person"),
            page: try paging.request(limit: input.query.limit, cursor: input.query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.IpoPersonEnrollment.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }
}

extension APIHandler {
    func recordIpoAttendance(
        _ input: Operations.RecordIpoAttendance.Input
    ) async throws
        -> Operations.RecordIpoAttendance.Output
    {
        let records: [IPOAttendanceRecord]
        switch input.body {
        case .json(let body):
            var errors: [FieldError] = []
            records = body.records.enumerated().compactMap { index, record in
                let pointer = "/records/\(index)/person_id"
                guard let id = PersonID(record.personId) else {
                    errors.append(FieldError(pointer, "must be a UUID"))
                    return nil
                }
                return IPOAttendanceRecord(person: .id(id), attended: record.attended, pointer: pointer)
            }
            if body.records.isEmpty { errors.append(FieldError("/records", "lists nobody")) }
            if body.records.count > 2_000 { errors.append(FieldError("/records", "must list at most 2000")) }
            guard errors.isEmpty else { throw DossierError.validation(errors) }
        case .csv(let body):
            let bytes = try await [UInt8](collecting: body, upTo: 1 << 20)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DossierError.validation([FieldError("/rows/1", "the file is not UTF-8 text")])
            }
            records = try IPOSignInSheet.parse(text)
        }
        let attendance = try await ipoAttendance.record(
            records,
            session: try Self.id(input.path.sessionId, "session"),
            of: try Self.id(input.path.id, "session"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(attendance))))
    }

    func listIpoAttendance(
        _ input: Operations.ListIpoAttendance.Input
    ) async throws
        -> Operations.ListIpoAttendance.Output
    {
        let attendance = try await ipoAttendance.list(
            session: try Self.id(input.path.sessionId, "session"),
            of: try Self.id(input.path.id, "session"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(attendance))))
    }

    func getIpoRequirement(
        _ input: Operations.GetIpoRequirement.Input
    ) async throws
        -> Operations.GetIpoRequirement.Output
    {
        let person: PersonID = try Self.id(input.path.id, "person")
        let requirement = try await ipoReports.requirement(of: person, caller: try currentCaller())
        return .ok(.init(body: .json(.init(requirement, of: person))))
    }

    func getIpoCompliance(
        _ input: Operations.GetIpoCompliance.Input
    ) async throws
        -> Operations.GetIpoCompliance.Output
    {
        let query = input.query
        let csv = Self.prefers(.csv, in: input.headers.accept)
        let compliance = try await ipoReports.compliance(
            group: try Self.id(query: query.groupId, "group_id"),
            trainingYear: query.trainingYear.map(Int.init),
            status: query.status.flatMap { IPORequirement.Status(rawValue: $0.rawValue) },
            page: csv ? nil : try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        guard csv else {
            return .ok(.init(body: .json(.init(compliance, nextCursor: paging.next(compliance.page)))))
        }
        return .ok(.init(body: .csv(HTTPBody(compliance.csv))))
    }

    func getIpoStatistics(
        _ input: Operations.GetIpoStatistics.Input
    ) async throws
        -> Operations.GetIpoStatistics.Output
    {
        let query = input.query
        let statistics = try await ipoReports.statistics(
            from: query.from.flatMap(CalendarDate.init),
            to: query.to.flatMap(CalendarDate.init),
            kind: query.kind?.core,
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(statistics))))
    }
}
