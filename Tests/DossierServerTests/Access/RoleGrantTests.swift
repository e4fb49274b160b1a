import DossierAPI
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Only an admin person grants or removes the admin and coordinator roles, on every path; a feed
/// from the source system (a service client with `people:write`) sets the other roles.
@Suite struct RoleGrantTests {
    /// A service client of the source system, which may write people.
    static func feed(_ world: World) async throws -> World.Actor {
        let created = try await world.request(
            .post,
            "/v1/service-clients",
            as: world.admin,
            body: #"{"name":"hr-feed","scopes":["people:read","people:write"]}"#
        ).decode(API.ServiceClient.self)
        let token = try await world.request(
            .post,
            "/v1/service-clients/\(created.id)/tokens",
            as: world.admin,
            body: #"{"name":"nightly"}"#
        ).decode(API.IssuedToken.self)
        let actor = World.Actor(id: created.id, token: token.secret)
        _ = try await world.request(.get, "/v1/me", as: actor)
        return actor
    }

    @Test(arguments: [
        ("POST /v1/people", #"{"name":"Eve","email":"eve@dossier.test","roles":["admin"]}"#, "/roles"),
        ("POST /v1/people", #"{"name":"Eve","email":"eve@dossier.test","roles":["teacher","coordinator"]}"#, "/roles"),
        ("import", "Eve,eve@dossier.test,admin,,,,,\n", "/rows/2/roles"),
        ("import", "Dirk Docent,dirk@dossier.test,teacher;admin,,,,,\n", "/rows/2/roles"),
        ("import", "Cora Coördinator,cora@dossier.test,teacher,,,,,\n", "/rows/2/roles"),
    ])
    func aServiceClientCannotGrantOrRemoveAdminOrCoordinator(path: String, body: String, pointer: String) async throws {
        try await World.test { world in
            let feed = try await Self.feed(world)
            let before = try await world.database.digest()

            let response =
                path == "import"
                ? try await world.request(
                    .post,
                    "/v1/people:import",
                    as: feed,
                    body: Fixture.peopleCSVHeader + body,
                    headers: Fixture.csvType
                )
                : try await world.request(.post, "/v1/people", as: feed, body: body)

            #expect(response.status == .forbidden, "\(String(buffer: response.body))")
            let problem = try response.problem()
            #expect(problem._type == "https://dossier.example/problems/role-grant-forbidden")
            #expect(problem.errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func theFeedSetsOtherRolesAndAnAdminGrantsCoordinator() async throws {
        try await World.test { world in
            let feed = try await Self.feed(world)

            let byFeed = try await world.request(
                .post,
                "/v1/people:import",
                as: feed,
                body: Fixture.peopleCSVHeader + "Dirk Docent,dirk@dossier.test,teacher;trainer,,,,,\n",
                headers: Fixture.csvType
            )
            let byAdmin = try await world.request(
                .post,
                "/v1/people:import",
                as: world.admin,
                body: Fixture.peopleCSVHeader + "Dirk Docent,dirk@dossier.test,teacher;trainer;coordinator,,,,,\n",
                headers: Fixture.csvType
            )
            let created = try await world.request(
                .post,
                "/v1/people",
                as: world.admin,
                body: #"{"name":"Eve","email":"eve@dossier.test","roles":["coordinator"]}"#
            )

            #expect(try byFeed.decode(API.PeopleImportReport.self).updated == 1)
            #expect(try byAdmin.decode(API.PeopleImportReport.self).updated == 1)
            #expect(created.status == .created)
            let dirk = try await world.request(.get, "/v1/people/\(world.teacher.id)", as: world.admin).decode(
                API.Person.self
            )
            #expect(Set(dirk.roles.map(\.rawValue)) == ["teacher", "trainer", "coordinator"])
        }
    }

    @Test func aCoordinatorCannotGrantRolesByPatch() async throws {
        try await World.test { world in
            let teacher = try await world.request(.get, "/v1/people/\(world.teacher.id)", as: world.coordinator)
            let etag = try #require(teacher.headers[.eTag])
            let before = try await world.database.digest()

            let response = try await world.request(
                .patch,
                "/v1/people/\(world.teacher.id)",
                as: world.coordinator,
                body: #"{"roles":["teacher","admin"]}"#,
                headers: [.contentType: "application/merge-patch+json", .ifMatch: etag]
            )

            #expect(response.status == .unprocessableContent)
            #expect(try response.problem().errors?.map(\.pointer) == ["/roles"])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func aNULInACSVFieldIsRefusedWithItsLine() async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(
                .post,
                "/v1/people:import",
                as: world.admin,
                body: Fixture.peopleCSVHeader + "Nul\u{0}l,nul@dossier.test,teacher,,,,,\n",
                headers: Fixture.csvType
            )

            #expect(response.status == .unprocessableContent)
            #expect(try response.problem().errors?.map(\.pointer) == ["/rows/2/name"])
            #expect(try await world.database.digest() == before)
        }
    }
}
