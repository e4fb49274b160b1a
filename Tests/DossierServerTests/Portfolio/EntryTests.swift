import DossierAPI
import DossierCore
import Foundation
import HummingbirdTesting
import Testing

@Suite struct EntryTests {
    @Test func draftsAreTheTraineesAloneAndSharedEntriesTakeFeedback() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/entries"
            let draft = try await world.request(
                .post,
                path,
                as: world.trainee,
                body: #"{"kind":"reflection","title":"Eerste week","body":"Nog niet delen."}"#
            ).decode(API.Entry.self)
            let shared = try await world.request(
                .post,
                path,
                as: world.trainee,
                body:
                    #"{"kind":"case","title":"Casus COPD","body":"<script>alert(1)</script>","tags":["longen"],"activities":["KBA-3"],"shared":true}"#
            ).decode(API.Entry.self)

            let mine = try await world.request(.get, path, as: world.trainee).decode(API.EntryList.self)
            let trainers = try await world.request(.get, path, as: world.trainer).decode(API.EntryList.self)
            let draftAsTrainer = try await world.request(.get, "/v1/entries/\(draft.id)", as: world.trainer)
            let former = try await world.request(.get, path, as: world.formerTrainer)
            let coordinator = try await world.request(.get, path, as: world.coordinator)  // no reason stated
            let commented = try await world.request(
                .post,
                "/v1/entries/\(shared.id)/comments",
                as: world.trainer,
                body: #"{"body":"Goed onderbouwd."}"#
            )
            let onDraft = try await world.request(
                .post,
                "/v1/entries/\(draft.id)/comments",
                as: world.trainer,
                body: #"{"body":"?"}"#
            )
            let read = try await world.request(.get, "/v1/entries/\(shared.id)", as: world.trainee).decode(
                API.Entry.self
            )

            #expect(mine.items.map(\.id) == [draft.id, shared.id])
            #expect(trainers.items.map(\.id) == [shared.id])
            #expect(shared.body == "<script>alert(1)</script>")
            #expect(draftAsTrainer.status == .notFound)
            #expect(former.status == .notFound)
            #expect(coordinator.status == .forbidden)
            #expect(commented.status == .created)
            #expect(onDraft.status == .notFound)
            #expect(read.comments.map(\.body) == ["Goed onderbouwd."])
            #expect(read.comments.first?.authorId == world.trainer.id)
            let rows = try await world.accessLogRows(about: world.trainee.id).filter { $0.resource.hasPrefix("entr") }
            #expect(rows.map(\.resource) == ["entries", "entry_comment"])
            #expect(rows.allSatisfy { $0.actor == world.trainer.id && $0.rule == "supervisor:trainer" })
        }
    }

    @Test func aCoordinatorReadsEntriesOnlyWithAStatedReasonWhichTheLogKeeps() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/entries"
            _ = try await world.request(
                .post,
                path,
                as: world.trainee,
                body: #"{"kind":"other","title":"draft","body":"y"}"#
            )
            _ = try await world.request(
                .post,
                path,
                as: world.trainee,
                body: #"{"kind":"other","title":"shared","body":"y","shared":true}"#
            )

            let without = try await world.request(.get, path, as: world.coordinator)
            let tooShort = try await world.request(
                .get,
                path,
                as: world.coordinator,
                headers: [.init("X-Access-Reason")!: "why"]
            )
            let with = try await world.request(
                .get,
                path,
                as: world.coordinator,
                headers: [.init("X-Access-Reason")!: "Bezwaar voortgangsbeslissing 2026-14"]
            )

            #expect(without.status == .forbidden)
            #expect(tooShort.status == .badRequest)
            #expect(try tooShort.problem().errors?.map(\.pointer) == ["#/header/X-Access-Reason"])
            // Drafts stay the trainee's alone, whatever the reason.
            #expect(try with.decode(API.EntryList.self).items.map(\.title) == ["shared"])
            let reasons = try await world.database.withOwnerClient { client in
                try await client.query("SELECT rule, reason FROM access_log WHERE resource_type = 'entries'").collect()
                    .map { try $0.decode((String, String?).self) }
            }
            #expect(reasons.map(\.0) == ["coordinator:stated-reason"])
            #expect(reasons.map(\.1) == ["Bezwaar voortgangsbeslissing 2026-14"])
        }
    }

    @Test(arguments: [
        (#"{"kind":"poem","title":"x","body":"y"}"#, 422, "/kind"),
        (#"{"kind":"case","title":"","body":"y"}"#, 422, "/title"),
        (#"{"kind":"case","title":"x","body":"\#(String(repeating: "é", count: 50_001))"}"#, 422, "/body"),
        (#"{"kind":"case","title":"x","body":"y","mood":"good"}"#, 400, "/mood"),
    ])
    func aBadEntryIsRefusedAndNothingIsStored(body: String, status: Int, pointer: String) async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let before = try await world.database.digest()

            let response = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainee,
                body: body
            )

            #expect(Int(response.status.code) == status)
            #expect(try response.problem().errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func nobodyWritesInSomeoneElsesPortfolioNorAfterCompletion() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/entries"
            let entry = #"{"kind":"other","title":"x","body":"y"}"#
            let before = try await world.database.digest()

            let other = try await world.request(.post, path, as: world.otherTrainee, body: entry)
            let trainer = try await world.request(.post, path, as: world.trainer, body: entry)
            #expect(other.status == .notFound)
            #expect(trainer.status == .forbidden)
            #expect(try await world.database.digest() == before)

            _ = try await world.request(
                .post,
                "/v1/people/\(world.trainee.id)/completion",
                as: world.coordinator,
                body: #"{"completed_at":"2026-11-01","outcome":"completed"}"#
            )
            let afterCompletion = try await world.request(.post, path, as: world.trainee, body: entry)
            #expect(afterCompletion.status == .conflict)
            #expect(try afterCompletion.problem()._type == "https://dossier.example/problems/portfolio-completed")
        }
    }

    @Test func theTraineeEditsTheirEntryWithTheCurrentETagAndNobodyElseCan() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let created = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainee,
                body: #"{"kind":"reflection","title":"Concept","body":"eerste versie"}"#
            )
            let entry = try created.decode(API.Entry.self)
            let etag = try #require(created.headers[.eTag])
            let path = "/v1/entries/\(entry.id)"
            let before = try await world.database.digest()

            let missing = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"shared":true}"#,
                headers: Fixture.mergePatch
            )
            let stale = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"shared":true}"#,
                headers: Fixture.mergePatch(ifMatch: "\"old\"")
            )
            let cleared = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"title":null,"comments":[]}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let other = try await world.request(
                .patch,
                path,
                as: world.otherTrainee,
                body: #"{"shared":true}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            #expect(missing.status == .preconditionRequired)
            #expect(stale.status == .preconditionFailed)
            #expect(try cleared.problem().errors?.map(\.pointer) == ["/comments", "/title"])
            #expect(other.status == .notFound)
            #expect(try await world.database.digest() == before)

            let changed = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"shared":true,"body":"tweede versie"}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let updated = try changed.decode(API.Entry.self)
            #expect(updated.shared)
            #expect(updated.body == "tweede versie")
            #expect(updated.title == "Concept")
            #expect(changed.headers[.eTag] != etag)
            #expect(try await world.request(.get, path, as: world.trainer).status == .ok)
        }
    }
}
