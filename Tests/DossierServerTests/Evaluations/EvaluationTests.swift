import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@Suite struct EvaluationTests {
    @Test func anAnonymousResultShowsOnlyOnceTheFoldHasCountedTheThreshold() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(4)
            let id = try await world.evaluation(of: respondents, minimum: 3)
            for (index, trainee) in respondents.prefix(2).enumerated() {
                let answered = try await world.answer(
                    id,
                    as: trainee,
                    World.answers(overall: 4 + index, keep: "De casus")
                )
                #expect(answered.status == .created)
            }
            let foldedEarly = try await world.fold()
            let early = try await world.request(.get, "/v1/evaluations/\(id)/report", as: world.coordinator)

            let third = try await world.answer(id, as: respondents[2], World.answers(overall: 5))
            let folded = try await world.fold()
            let report = try await world.request(.get, "/v1/evaluations/\(id)/report", as: world.teacher)
                .decode(API.EvaluationReport.self)
            let rate = try await world.request(.get, "/v1/evaluations/\(id)/response-rate", as: world.coordinator)
                .decode(API.EvaluationResponseRate.self)
            let mine = try await world.request(.get, "/v1/me/evaluations", as: respondents[0])
                .decode(API.MyEvaluationList.self)

            #expect(foldedEarly == 0)
            #expect(
                String(buffer: early.body) == #"{"evaluation_id":"\#(id)","needed":3,"responses":0,"suppressed":true}"#
            )
            #expect(third.status == .created)
            #expect(folded == 3)
            #expect(!report.suppressed && report.responses == 3)
            let overall = try #require(report.questions?.first { $0.id == "overall" }?.distribution)
            #expect(overall.answered == 3)
            #expect(overall.buckets.map(\.count) == [0, 0, 0, 1, 2])
            #expect(overall.mean == 4.67 && overall.median == 5)
            let keep = try #require(report.questions?.first { $0.id == "keep" })
            #expect(keep.texts == ["De casus", "De casus"] && keep.textsWithheld == 0)
            #expect(rate.invited == 4 && rate.responded == 3 && rate.rate == 75)
            #expect(mine.items.first?.answered == true && mine.items.first?.answeredOn == "2026-11-23")
        }
    }

    @Test func aClosedEvaluationFoldsWhatIsLeftAndALoneTextStaysWithheldUnlessAllowed() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(4)
            let id = try await world.evaluation(of: respondents, minimum: 3)
            for trainee in respondents.prefix(3) {
                _ = try await world.answer(id, as: trainee, World.answers(overall: 3))
            }
            _ = try await world.fold()
            let lone = try await world.answer(
                id,
                as: respondents[3],
                World.answers(overall: 2, keep: "Alleen ik schreef iets")
            )
            let whileOpen = try await world.fold()
            world.clock.advance(by: 8 * 86_400)
            let atClose = try await world.fold()
            let report = try await world.request(.get, "/v1/evaluations/\(id)/report", as: world.coordinator)
                .decode(API.EvaluationReport.self)

            #expect(lone.status == .created)
            #expect(whileOpen == 0 && atClose == 1)
            #expect(report.responses == 4)
            let keep = try #require(report.questions?.first { $0.id == "keep" })
            #expect(keep.texts.isEmpty && keep.textsWithheld == 1)
        }
    }

    /// Domain rule 4: with every table, `xmin` and `ctid` in view, nothing joins an answer to a person.
    @Test func aSuperuserFindsNoLinkFromAnAnswerToItsRespondent() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(5)
            let id = try await world.evaluation(of: respondents, minimum: 5)
            for (index, trainee) in respondents.enumerated() {
                _ = try await world.answer(id, as: trainee, World.answers(overall: 1 + index, keep: "tekst \(index)"))
            }
            let sealedBeforeFold = try await world.database.withSuperuserClient { client in
                try await Self.strings(
                    client,
                    "SELECT encode(sealed, 'escape') FROM evaluation_inbox WHERE evaluation_id = \(UUID(uuidString: id))"
                )
            }
            _ = try await world.fold()
            let superuser = try await world.database.withSuperuserClient { client in
                try await Self.strings(client, "SELECT current_setting('is_superuser')")
            }
            let (assignmentXmins, answerXmins, inbox, textIDs, answered, columns) =
                try await world.database.withSuperuserClient { client in
                    (
                        try await Self.strings(
                            client,
                            "SELECT xmin::text FROM evaluation_assignments WHERE evaluation_id = \(UUID(uuidString: id))"
                        ),
                        try await Self.strings(
                            client,
                            """
                            SELECT xmin::text FROM evaluation_counts WHERE evaluation_id = \(UUID(uuidString: id)) AND count > 0
                            UNION SELECT xmin::text FROM evaluation_texts WHERE evaluation_id = \(UUID(uuidString: id))
                            """
                        ),
                        try await Self.strings(client, "SELECT id::text FROM evaluation_inbox"),
                        try await Self.strings(
                            client,
                            "SELECT id::text FROM evaluation_texts WHERE evaluation_id = \(UUID(uuidString: id)) ORDER BY ctid"
                        ),
                        try await Self.strings(
                            client,
                            "SELECT answered_on::text FROM evaluation_assignments WHERE evaluation_id = \(UUID(uuidString: id))"
                        ),
                        try await Self.strings(
                            client,
                            """
                            SELECT table_name || '.' || column_name FROM information_schema.columns
                            WHERE table_name IN ('evaluation_counts', 'evaluation_texts', 'evaluation_assignments')
                              AND (data_type LIKE 'timestamp%' OR column_name LIKE '%person%')
                            ORDER BY 1
                            """
                        )
                    )
                }

            #expect(sealedBeforeFold.count == 5)
            #expect(sealedBeforeFold.allSatisfy { !$0.contains("tekst") && !$0.contains("overall") })
            #expect(inbox.isEmpty)
            #expect(Set(assignmentXmins).isDisjoint(with: answerXmins))
            #expect(textIDs.count == 5)
            // Random ids: version 4, not the time-ordered version 7 used elsewhere.
            #expect(textIDs.allSatisfy { Array($0)[14] == "4" })
            #expect(answered.allSatisfy { $0.count == 10 })
            #expect(columns == ["evaluation_assignments.person_id"])
            #expect(superuser == ["on"])
        }
    }

    @Test func fiftyConcurrentSubmissionsForOneAssignmentCountOnce() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await world.answer(id, as: respondents[0], World.answers(overall: 3)).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let inbox = try await world.database.withOwnerClient { client in
                try await Self.strings(
                    client,
                    "SELECT id::text FROM evaluation_inbox WHERE evaluation_id = \(UUID(uuidString: id))"
                )
            }

            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 49)
            #expect(inbox.count == 1)
        }
    }

    @Test func aNamedReportIsAccessLoggedPerRespondent() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents, anonymous: false)
            for trainee in respondents {
                _ = try await world.answer(id, as: trainee, World.answers(overall: 4))
            }
            let report = try await world.request(.get, "/v1/evaluations/\(id)/report", as: world.coordinator)
                .decode(API.EvaluationReport.self)
            var rows: [(actor: String?, rule: String, action: String, resource: String)] = []
            for trainee in respondents {
                rows += try await world.accessLogRows(about: trainee.id).filter { $0.resource == "evaluation_response" }
            }

            #expect(report.responses == 3 && !report.suppressed)
            #expect(rows.count == 3, "\(rows)")
            #expect(
                rows.allSatisfy { $0.actor == world.coordinator.id && $0.rule == "coordinator" && $0.action == "R" },
                "\(rows)"
            )
        }
    }

    @Test func teachersSeeTheirOwnSubjectsAndOthersAreRefused() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let taught = try await world.evaluation(of: respondents)
            let other = try await world.evaluation(of: respondents, teachers: [])
            let list = try await world.request(.get, "/v1/evaluations", as: world.teacher)
                .decode(API.EvaluationList.self)
            let own = try await world.request(.get, "/v1/evaluations/\(taught)", as: world.teacher)
            let foreign = try await world.request(.get, "/v1/evaluations/\(other)", as: world.teacher)
            let rate = try await world.request(.get, "/v1/evaluations/\(taught)/response-rate", as: world.teacher)
            let asTrainee = try await world.request(.get, "/v1/evaluations", as: world.trainee)
            let all = try await world.request(
                .get,
                "/v1/evaluations?state=open&subject_kind=education_moment",
                as: world.coordinator
            )
            .decode(API.EvaluationList.self)
            let none = try await world.request(.get, "/v1/evaluations?state=closed", as: world.coordinator)
                .decode(API.EvaluationList.self)

            #expect(list.items.map(\.id) == [taught])
            #expect(own.status == .ok && own.headers[.eTag] != nil)
            #expect(foreign.status == .forbidden)
            #expect(rate.status == .forbidden)
            #expect(asTrainee.status == .forbidden)
            #expect(all.items.map(\.id) == [taught, other])
            #expect(none.items.isEmpty)
        }
    }

    @Test func aFollowUpReachesTheRespondentsAndOnlyTheSubjectsStaffPublishOne() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let path = "/v1/evaluations/\(id)/follow-ups"
            let published = try await world.request(
                .post,
                path,
                as: world.teacher,
                body: #"{"body":"We beginnen voortaan met een casus."}"#
            )
            let before = try await world.database.digest()
            let byTrainer = try await world.request(.post, path, as: world.trainer, body: #"{"body":"x"}"#)
            let empty = try await world.request(.post, path, as: world.coordinator, body: #"{"body":"  "}"#)
            let unchanged = try await world.database.digest()
            let seen = try await world.request(.get, "/v1/me/evaluations/\(id)", as: respondents[1])
                .decode(API.MyEvaluation.self)
            let stranger = try await world.request(.get, "/v1/me/evaluations/\(id)", as: world.otherTrainee)

            #expect(published.status == .created)
            #expect(byTrainer.status == .forbidden)
            #expect(empty.status == .unprocessableContent)
            #expect(try empty.problem().errors?.map(\.pointer) == ["/body"])
            #expect(unchanged == before)
            #expect(seen.followUps?.map(\.body) == ["We beginnen voortaan met een casus."])
            #expect(seen.followUps?.first?.authorId == world.teacher.id)
            #expect(!seen.answered)
            #expect(stranger.status == .notFound)
        }
    }

    @Test func responseRatesComparePeriodsAndHideSmallCells() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(6)
            let earlier = try await world.evaluation(of: respondents, opensOn: "2025-06-01")
            let now = try await world.evaluation(of: respondents)
            let small = try await world.evaluation(of: Array(respondents.prefix(2)), teachers: [])
            for trainee in respondents.prefix(2) {
                _ = try await world.answer(earlier, as: trainee, World.answers(overall: 3))
            }
            for trainee in respondents.prefix(3) {
                _ = try await world.answer(now, as: trainee, World.answers(overall: 3))
            }
            _ = try await world.answer(small, as: respondents[0], World.answers(overall: 3))

            let byTeacher = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=teacher",
                as: world.coordinator
            ).decode(API.ResponseRateOverview.self)
            let byMonth = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=month&from=2026-11-01&to=2026-11-30",
                as: world.coordinator
            ).decode(API.ResponseRateOverview.self)
            let byGroupOfOne = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=subject_kind&from=2026-11-23&to=2026-11-23",
                as: world.coordinator
            ).decode(API.ResponseRateOverview.self)
            let asTeacher = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=site",
                as: world.teacher
            )
            let backwards = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=site&from=2026-11-30&to=2026-11-01",
                as: world.coordinator
            )
            let unknown = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=colour",
                as: world.coordinator
            )

            let teacherRow = try #require(byTeacher.items.first)
            #expect(byTeacher.items.count == 1 && teacherRow.label == "Dirk Docent")
            #expect(
                teacherRow.current.invited == 6 && teacherRow.current.responded == 3 && teacherRow.current.rate == 50
            )
            #expect(teacherRow.previous?.rate == 33.3 && teacherRow.change == 16.7)
            #expect(byMonth.items.map(\.key) == ["2026-11"] && byMonth.items.first?.previous == nil)
            #expect(byMonth.items.first?.current.invited == 8)
            // One evaluation day: the small evaluation's two invitations add to the moment's six.
            #expect(byGroupOfOne.items.first?.current.invited == 8)
            #expect(byGroupOfOne.previousFrom == "2026-11-22")
            #expect(asTeacher.status == .forbidden)
            #expect(backwards.status == .unprocessableContent)
            #expect(unknown.status == .unprocessableContent)
        }
    }

    @Test func aCellBelowFiveInvitationsShowsNoResponses() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(2)
            let id = try await world.evaluation(of: respondents)
            _ = try await world.answer(id, as: respondents[0], World.answers(overall: 3))
            let overview = try await world.request(
                .get,
                "/v1/evaluations:response-rates?group_by=site",
                as: world.coordinator
            ).decode(API.ResponseRateOverview.self)
            let row = try #require(overview.items.first)

            #expect(row.key == "leiden" && row.current.invited == 2)
            #expect(row.current.responded == nil && row.current.rate == nil)
        }
    }

    @Test func aTrainerReportPoolsEarlierPeriodsUntilTheThresholdAndNamesThem() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(5)
            let closes = RFC3339.string(from: world.clock.now().addingTimeInterval(7 * 86_400))
            func trainerEvaluation(opens: String, _ people: [World.Actor]) async throws -> String {
                let ids = people.map { #""\#($0.id)""# }.joined(separator: ",")
                return try await world.request(
                    .post,
                    "/v1/evaluations",
                    as: world.coordinator,
                    body: #"""
                        {"title":"leoh","form_key":"trainer-evaluation","subject":{"kind":"trainer","trainer_id":"\#(world.trainer.id)","name":"Praktijk De Linde"},
                         "respondents":{"kind":"people","people":[\#(ids)]},"opens_at":"\#(opens)","closes_at":"\#(closes)","min_responses":3}
                        """#
                ).decode(API.Evaluation.self).id
            }
            let oldest = try await trainerEvaluation(opens: "2024-09-01T08:00:00Z", [respondents[0], respondents[1]])
            let earlier = try await trainerEvaluation(opens: "2025-09-01T08:00:00Z", [respondents[2], respondents[3]])
            let latest = try await trainerEvaluation(opens: "2026-09-01T08:00:00Z", [respondents[4]])
            let answers =
                #"{"answers":{"aspects":{"availability":3,"feedback":4,"learning_climate":3,"role_model":4},"overall":4}}"#
            for (evaluation, people) in [
                (oldest, respondents[0...1]), (earlier, respondents[2...3]), (latest, respondents[4...4]),
            ] {
                for trainee in people {
                    _ = try await world.answer(evaluation, as: trainee, answers)
                }
            }
            world.clock.advance(by: 8 * 86_400)
            let folded = try await world.fold()
            let trainer = try await world.freshToken(email: "tom@dossier.test", role: .trainer)
            let report = try await world.request(.get, "/v1/evaluations/\(latest)/report", as: trainer)
                .decode(API.EvaluationReport.self)
            let oldestAlone = try await world.request(.get, "/v1/evaluations/\(oldest)/report", as: world.coordinator)
                .decode(API.EvaluationReport.self)

            #expect(folded == 5)
            #expect(!report.suppressed && report.responses == 3)
            #expect(report.periods?.map(\.evaluationId) == [latest, earlier])
            let aspects = try #require(report.questions?.first { $0.id == "aspects" })
            #expect(aspects.items.first { $0.value == "feedback" }?.distribution.buckets.map(\.count) == [0, 0, 0, 3])
            #expect(oldestAlone.suppressed && oldestAlone.responses == 2 && oldestAlone.periods == nil)
        }
    }

    @Test func remindersGoToTheUnansweredNearTheCloseOnlyWhileBelowThresholdOrTarget() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(4)
            let below = try await world.evaluation(of: respondents, minimum: 3)
            let reached = try await world.evaluation(of: respondents, minimum: 3)
            for trainee in respondents.prefix(3) {
                _ = try await world.answer(reached, as: trainee, World.answers(overall: 3))
            }
            _ = try await world.answer(below, as: respondents[0], World.answers(overall: 3))
            func due() async throws -> [EvaluationReminders.Reminder] {
                try await world.database.withAppClient { client in
                    try await EvaluationReminders(database: Database(client: client, logger: TestLogger.make("test")))
                        .due(at: world.clock.now())
                }
            }
            let early = try await due()
            world.clock.advance(by: 5 * 86_400)
            let near = try await due()
            let etag = try #require(
                try await world.request(.get, "/v1/evaluations/\(reached)", as: world.coordinator).headers[.eTag]
            )
            _ = try await world.request(
                .patch,
                "/v1/evaluations/\(reached)",
                as: world.coordinator,
                body: #"{"target_rate":80}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let withTarget = try await due()

            #expect(early.isEmpty)
            #expect(Set(near.map(\.evaluation.description)) == [below])
            #expect(Set(near.map(\.person.description)) == Set(respondents.dropFirst().map(\.id)))
            #expect(
                withTarget.filter { $0.evaluation.description == reached }.map(\.person.description) == [
                    respondents[3].id
                ]
            )
        }
    }

    @Test func theReportComesAsCSVWithFormulasDefused() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let suppressed = try await world.request(
                .get,
                "/v1/evaluations/\(id)/report",
                as: world.coordinator,
                headers: [.accept: "text/csv"]
            )
            for (index, trainee) in respondents.enumerated() {
                _ = try await world.answer(
                    id,
                    as: trainee,
                    World.answers(overall: 5, keep: index == 0 ? "=HYPERLINK(\\\"x\\\"), \\\"quoted\\\"" : "goed")
                )
            }
            _ = try await world.fold()
            let shown = try await world.request(
                .get,
                "/v1/evaluations/\(id)/report",
                as: world.coordinator,
                headers: [.accept: "application/json;q=0.5, text/csv"]
            )
            let lines = String(buffer: shown.body).components(separatedBy: "\r\n")

            #expect(suppressed.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(String(buffer: suppressed.body) == "suppressed,responses,needed\r\ntrue,0,3\r\n")
            #expect(lines.first == "question_id,kind,item,value,label,count")
            #expect(lines.contains("overall,rating,,5,Excellent,3"))
            #expect(lines.contains(#"keep,text,,text,"'=HYPERLINK(""x""), ""quoted""","#))
        }
    }

    @Test func aBreakdownBySiteShowsOnlyCellsAtTheThresholdAndNoneForAnAnonymousEvaluation() async throws {
        try await World.test { world in
            let leiden = try await world.trainees(3)
            let denHaag = try await world.trainees(3, site: "den_haag")
            let named = try await world.evaluation(of: leiden + denHaag, anonymous: false)
            let anonymous = try await world.evaluation(of: leiden + denHaag)
            for trainee in leiden + [denHaag[0]] {
                for id in [named, anonymous] {
                    _ = try await world.answer(id, as: trainee, World.answers(overall: 4))
                }
            }
            _ = try await world.fold()
            let before = try await world.database.digest()
            let small = try await world.request(
                .get,
                "/v1/evaluations/\(named)/report?breakdown=site",
                as: world.coordinator
            )
            let unavailable = try await world.request(
                .get,
                "/v1/evaluations/\(anonymous)/report?breakdown=site",
                as: world.coordinator
            )
            let unchanged = try await world.database.digest()
            for trainee in denHaag.dropFirst() {
                _ = try await world.answer(named, as: trainee, World.answers(overall: 2))
            }
            let shown = try await world.request(
                .get,
                "/v1/evaluations/\(named)/report?breakdown=site",
                as: world.coordinator
            )
            .decode(API.EvaluationReport.self)

            #expect(small.status == .unprocessableContent)
            #expect(try small.problem()._type == "https://dossier.example/problems/breakdown-below-threshold")
            #expect(try small.problem().errors?.map(\.pointer) == ["#/query/breakdown"])
            #expect(unavailable.status == .unprocessableContent)
            #expect(try unavailable.problem()._type == "https://dossier.example/problems/breakdown-unavailable")
            #expect(unchanged == before)
            #expect(shown.breakdown?.map(\.key) == ["den_haag", "leiden"])
            #expect(shown.breakdown?.map(\.responses) == [3, 3])
            let denHaagOverall = shown.breakdown?.first?.questions.first { $0.id == "overall" }?.distribution
            #expect(denHaagOverall?.buckets.map(\.count) == [0, 2, 0, 1, 0])
        }
    }

    @Test func aServiceClientWithEvaluationsReadGetsReportsAndNothingElse() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let created = try await world.request(
                .post,
                "/v1/service-clients",
                as: world.admin,
                body: #"{"name":"quality-dashboard","scopes":["evaluations:read"]}"#
            ).decode(API.ServiceClient.self)
            let issued = try await world.request(
                .post,
                "/v1/service-clients/\(created.id)/tokens",
                as: world.admin,
                body: #"{"name":"dashboard"}"#
            ).decode(API.IssuedToken.self)
            let client = World.Actor(id: created.id, token: issued.secret)

            let report = try await world.request(.get, "/v1/evaluations/\(id)/report", as: client)
            let evaluation = try await world.request(.get, "/v1/evaluations/\(id)", as: client)
            let list = try await world.request(.get, "/v1/evaluations", as: client)
            let rate = try await world.request(.get, "/v1/evaluations/\(id)/response-rate", as: client)
            let answer = try await world.answer(id, as: client, World.answers(overall: 3))

            #expect(report.status == .ok)
            #expect(try report.decode(API.EvaluationReport.self).suppressed)
            #expect(
                [evaluation.status, list.status, rate.status, answer.status] == [
                    .forbidden, .forbidden, .forbidden, .forbidden,
                ]
            )
        }
    }

    static func strings(_ client: PostgresClient, _ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await client.query(query).decode(String.self) {
            values.append(value)
        }
        return values
    }
}
