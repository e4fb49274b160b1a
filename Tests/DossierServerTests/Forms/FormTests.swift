import DossierAPI
import DossierCore
import Foundation
import HummingbirdTesting
import Testing

@testable import DossierServer

@Suite struct FormTests {
    static let definition =
        #"{"questions":[{"id":"overall","kind":"rating","label":"Overall","required":true,"levels":[{"value":1,"label":"Low"},{"value":2,"label":"High"}]}]}"#

    @Test func theSeedFormsAreInProductionAndMarkedAsExamples() async throws {
        try await World.test { world in
            let forms = try await world.request(.get, "/v1/forms", as: world.trainee).decode(API.FormList.self)
            let reviews = try await world.request(.get, "/v1/forms?purpose=progress_review", as: world.trainer)
                .decode(API.FormList.self)
            let combel = try await world.request(.get, "/v1/forms/combel-y1/versions/1", as: world.trainee)
                .decode(API.FormVersion.self)

            #expect(
                forms.items.map(\.key) == [
                    "apc-basics-y1", "combel-y1", "combel-y2", "combel-y3", "consultation-skills-y3",
                    "education-moment-evaluation", "internship-evaluation", "kba", "module-evaluation",
                    "progress-advice", "progress-decision", "progress-review", "trainer-evaluation",
                ]
            )
            #expect(forms.items.allSatisfy { $0.productionVersion == 1 })
            #expect(reviews.items.map(\.key) == ["progress-review"])
            #expect(combel.example && combel.status == .production)
            for form in forms.items {
                let seed = try await world.request(.get, "/v1/forms/\(form.key)/versions/1", as: world.trainee)
                    .decode(API.FormVersion.self)
                #expect(FormDefinitionRules.validate(FormDefinition(seed.definition)).isEmpty, "\(form.key)")
            }
            #expect(combel.definition.questions.first?.competencies?.count == 7)
        }
    }

    @Test func aVersionGoesFromDraftThroughTestingToProductionAndOnlyADraftChanges() async throws {
        try await World.test { world in
            let created = try await world.request(
                .post,
                "/v1/forms/combel-y1/versions",
                as: world.coordinator,
                body: #"{"definition":\#(Self.definition),"notes":"2027 items"}"#
            )
            let draft = try created.decode(API.FormVersion.self)
            let etag = try #require(created.headers[.eTag])
            let path = "/v1/forms/combel-y1/versions/\(draft.version)"
            let patched = try await world.request(
                .patch,
                path,
                as: world.coordinator,
                body: #"{"notes":null}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let skip = try await world.request(
                .post,
                "\(path)/status",
                as: world.coordinator,
                body: #"{"status":"production"}"#
            )
            let testing = try await world.request(
                .post,
                "\(path)/status",
                as: world.coordinator,
                body: #"{"status":"testing"}"#
            ).decode(API.FormVersion.self)
            let lockedETag = try #require(try await world.request(.get, path, as: world.coordinator).headers[.eTag])
            let locked = try await world.request(
                .patch,
                path,
                as: world.coordinator,
                body: #"{"notes":"late change"}"#,
                headers: Fixture.mergePatch(ifMatch: lockedETag)
            )
            let production = try await world.request(
                .post,
                "\(path)/status",
                as: world.coordinator,
                body: #"{"status":"production"}"#
            ).decode(API.FormVersion.self)
            let versions = try await world.request(.get, "/v1/forms/combel-y1/versions", as: world.trainee)
                .decode(API.FormVersionList.self)
            let form = try await world.request(.get, "/v1/forms/combel-y1", as: world.trainee).decode(API.Form.self)

            #expect(draft.version == 2 && draft.status == .draft && !draft.example)
            #expect(try patched.decode(API.FormVersion.self).notes == nil)
            #expect(skip.status == .conflict)
            #expect(try skip.problem()._type == "https://dossier.example/problems/invalid-transition")
            #expect(testing.status == .testing)
            #expect(locked.status == .conflict)
            #expect(try locked.problem()._type == "https://dossier.example/problems/form-version-locked")
            #expect(production.status == .production)
            #expect(versions.items.map(\.status) == [.production, .retired])
            #expect(form.productionVersion == 2 && form.latestVersion == 2)
        }
    }

    @Test func onlyCoordinatorsWriteFormsAndKeysAreUnique() async throws {
        try await World.test { world in
            let body = #"{"key":"mini-cex","title":"Mini-CEX","purpose":"assessment"}"#
            let byTrainer = try await world.request(.post, "/v1/forms", as: world.trainer, body: body)
            let created = try await world.request(.post, "/v1/forms", as: world.coordinator, body: body)
            let again = try await world.request(.post, "/v1/forms", as: world.coordinator, body: body)
            let draftByTrainee = try await world.request(
                .post,
                "/v1/forms/mini-cex/versions",
                as: world.trainee,
                body: #"{"definition":\#(Self.definition)}"#
            )

            #expect(byTrainer.status == .forbidden)
            #expect(created.status == .created)
            #expect(again.status == .conflict)
            #expect(try again.problem()._type == "https://dossier.example/problems/duplicate-key")
            #expect(draftByTrainee.status == .forbidden)
        }
    }

    @Test(arguments: [
        (
            #"{"key":"Bad Key","title":"","purpose":"fun"}"#, "/v1/forms", 422, "validation-failed",
            ["/key", "/title", "/purpose"]
        ),
        (
            #"{"definition":{"questions":[{"id":"a","kind":"rating","label":"A","levels":[{"value":1,"label":"x"}]},{"id":"a","kind":"single_choice","label":"B"}]}}"#,
            "/v1/forms/kba/versions", 422, "validation-failed",
            ["/definition/questions/0/levels", "/definition/questions/1/id", "/definition/questions/1/options"]
        ),
        (
            #"{"definition":{"questions":[{"id":"a","kind":"essay","label":"A"}]}}"#, "/v1/forms/kba/versions", 400,
            "malformed-request", []
        ),
        (#"{"definition":\#(definition),"colour":"red"}"#, "/v1/forms/kba/versions", 400, "unknown-field", []),
        (#"{"definition":\#(definition)}"#, "/v1/forms/nope/versions", 404, "not-found", []),
    ])
    func aBadFormIsRefusedAndNothingChanges(
        body: String,
        path: String,
        status: Int,
        slug: String,
        pointers: [String]
    ) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(.post, path, as: world.coordinator, body: body)

            #expect(response.status.code == status)
            let problem = try response.problem()
            #expect(problem._type == "https://dossier.example/problems/\(slug)")
            if !pointers.isEmpty { #expect(problem.errors?.map(\.pointer) == pointers) }
            #expect(try await world.database.digest() == before)
        }
    }
}
