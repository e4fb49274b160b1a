import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting

extension World {
    /// An IPO activity planned by the coordinator: enrollment open from an hour ago for a week,
    /// one session on 2026-12-10 in Leiden unless `sessions` says otherwise.
    func ipoActivity(
        title: String = "Medicatieveiligheid met apothekers",
        kind: String = "elective",
        capacity: Int = 10,
        rule: String = "first_come",
        sessions: [(date: String, start: String, end: String)] = [("2026-12-10", "09:00", "17:00")],
        evaluationForm: String? = nil,
        opensAt: String? = nil,
        extra: String = ""
    ) async throws -> API.IpoActivity {
        let opens = opensAt ?? RFC3339.string(from: clock.now().addingTimeInterval(-3_600))
        let closes = RFC3339.string(from: clock.now().addingTimeInterval(7 * 86_400))
        let sessionJSON = sessions.map {
            #"{"date":"\#($0.date)","start_time":"\#($0.start)","end_time":"\#($0.end)","site":"leiden"}"#
        }.joined(separator: ",")
        let form = evaluationForm.map { #","evaluation_form_key":"\#($0)""# } ?? ""
        let response = try await request(
            .post,
            "/v1/ipo/activities",
            as: coordinator,
            body: #"""
                {"title":"\#(title)","kind":"\#(kind)","partner_professions":["pharmacy"],
                 "sessions":[\#(sessionJSON)],"capacity":\#(capacity),"waitlist_rule":"\#(rule)",
                 "enrollment_opens_at":"\#(opens)","enrollment_closes_at":"\#(closes)"\#(form)\#(extra)}
                """#
        )
        precondition(response.status == .created, "fixture activity: \(String(buffer: response.body))")
        return try response.decode(API.IpoActivity.self)
    }

    /// `actor` enrols themself.
    func enroll(_ actor: Actor, in activity: String) async throws -> TestResponse {
        try await request(.post, "/v1/ipo/activities/\(activity)/enrollments", as: actor, body: "{}")
    }

    func ipoActivity(_ id: String) async throws -> API.IpoActivity {
        try await request(.get, "/v1/ipo/activities/\(id)", as: coordinator).decode(API.IpoActivity.self)
    }

    /// Moves the clock and lets each actor's token record its use at the new time, so a digest
    /// taken afterwards sees only what the next request changes.
    func advance(by seconds: TimeInterval, using actors: [Actor]) async throws {
        clock.advance(by: seconds)
        for actor in actors { _ = try await request(.get, "/v1/me", as: actor) }
    }
}
