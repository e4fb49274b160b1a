import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@Suite struct TokenTests {
    @Test func aPersonalTokenIsShownOnceWorksAndIsStoredOnlyAsAHash() async throws {
        try await World.test { world in
            let created = try await world.request(
                .post,
                "/v1/tokens",
                as: world.trainer,
                body: #"{"name":"laptop","scopes":["people:read"],"expires_in_days":7}"#
            )
            let issued = try created.decode(API.IssuedToken.self)
            let me = try await world.request(.get, "/v1/me", as: World.Actor(id: "", token: issued.secret)).decode(
                API.Me.self
            )
            let list = try await world.request(.get, "/v1/tokens", as: world.trainer)

            #expect(created.status == .created)
            #expect(issued.secret.hasPrefix("dos_"))
            #expect(issued.token.scopes == [.people_colon_read])
            #expect(issued.token.issuedBy == world.trainer.id)
            #expect(issued.token.expiresAt == world.clock.now().addingTimeInterval(7 * 86_400))
            #expect(me.person?.id == world.trainer.id)
            #expect(me.scopes == [.people_colon_read])
            #expect(me.supervisions.map(\.traineeId) == [world.trainee.id])
            #expect(!String(buffer: list.body).contains(issued.secret))
            #expect(try list.decode(API.TokenList.self).items.contains { $0.id == issued.token.id })
            let stored = try await world.database.withOwnerClient { client in
                try await client.query(
                    "SELECT count(*)::int FROM api_tokens WHERE encode(token_hash, 'escape') LIKE '%dos_%'"
                )
                .collect().first?.decode(Int.self)
            }
            #expect(stored == 0)
        }
    }

    @Test func lastUsedIsWrittenOnlyWhenTheValueReadWithTheTokenIsOverAMinuteOld() async throws {
        try await World.test { world in
            let start = world.clock.now()
            let first = try await world.request(.get, "/v1/me", as: world.trainer)
            let stamped = try await Self.lastUsed(world.trainer, world)

            world.clock.advance(by: 60)
            let second = try await world.request(.get, "/v1/me", as: world.trainer)
            let kept = try await Self.lastUsed(world.trainer, world)

            world.clock.advance(by: 1)
            let third = try await world.request(.get, "/v1/me", as: world.trainer)
            let restamped = try await Self.lastUsed(world.trainer, world)

            #expect([first.status, second.status, third.status] == [.ok, .ok, .ok])
            #expect(stamped == start)
            #expect(kept == start)
            #expect(restamped == start.addingTimeInterval(61))
        }
    }

    private static func lastUsed(_ actor: World.Actor, _ world: World) async throws -> Date? {
        try await world.database.withOwnerClient { client in
            try await client.query(
                "SELECT last_used_at FROM api_tokens WHERE token_hash = sha256(convert_to(\(actor.token), 'UTF8'))"
            ).collect().first?.decode(Date?.self)
        }
    }

    @Test func aNarrowedTokenCannotUseTheRestOfItsOwnersRights() async throws {
        try await World.test { world in
            let issued = try await world.request(
                .post,
                "/v1/tokens",
                as: world.coordinator,
                body: #"{"name":"read only","scopes":["people:read","tokens:write"]}"#
            ).decode(API.IssuedToken.self)
            let narrow = World.Actor(id: world.coordinator.id, token: issued.secret)
            let readOnly = try await world.request(
                .post,
                "/v1/tokens",
                as: world.coordinator,
                body: #"{"name":"no tokens","scopes":["people:read"]}"#
            ).decode(API.IssuedToken.self)
            let mint = try await world.request(
                .post,
                "/v1/tokens",
                as: World.Actor(id: world.coordinator.id, token: readOnly.secret),
                body: #"{"name":"another","scopes":["people:read"]}"#
            )

            let read = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: narrow)
            let write = try await world.request(
                .post,
                "/v1/groups",
                as: narrow,
                body: #"{"name":"G","kind":"year","training_year":1,"site":"leiden"}"#
            )
            let widen = try await world.request(
                .post,
                "/v1/tokens",
                as: narrow,
                body: #"{"name":"wider","scopes":["people:read","people:write"]}"#
            )

            #expect(read.status == .ok)
            #expect(write.status == .forbidden)
            #expect(mint.status == .forbidden)
            #expect(widen.status == .unprocessableContent)
            #expect(try widen.problem().errors?.map(\.pointer) == ["/scopes/1"])
        }
    }

    @Test(arguments: [
        (#"{"name":"x","scopes":["forms:write"]}"#, "/scopes/0"),
        (#"{"name":"x","scopes":["root"]}"#, "/scopes/0"),
        (#"{"name":"x","expires_in_days":400}"#, "/expires_in_days"),
        (#"{"name":""}"#, "/name"),
    ])
    func aTokenAskingForMoreThanItsOwnerHasIsRefused(body: String, pointer: String) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(.post, "/v1/tokens", as: world.trainee, body: body)

            #expect(response.status == .unprocessableContent)
            #expect(try response.problem().errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func anAdminCannotCreateATokenForAPerson() async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let forPerson = try await world.request(
                .post,
                "/v1/tokens",
                as: world.admin,
                body: #"{"name":"for anna","person_id":"\#(world.trainee.id)"}"#
            )
            let asServiceClient = try await world.request(
                .post,
                "/v1/service-clients/\(world.trainee.id)/tokens",
                as: world.admin,
                body: #"{"name":"for anna"}"#
            )

            #expect(forPerson.status == .badRequest)
            #expect(try forPerson.problem()._type == "https://dossier.example/problems/unknown-field")
            #expect(try forPerson.problem().errors?.map(\.pointer) == ["/person_id"])
            #expect(asServiceClient.status == .notFound)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func revokedExpiredUnknownAndMalformedTokensAre401() async throws {
        try await World.test { world in
            let short = try await world.request(
                .post,
                "/v1/tokens",
                as: world.trainee,
                body: #"{"name":"short","expires_in_days":1}"#
            ).decode(API.IssuedToken.self)
            let revoked = try await world.request(.post, "/v1/tokens", as: world.trainee, body: #"{"name":"gone"}"#)
                .decode(API.IssuedToken.self)
            let revocation = try await world.request(.delete, "/v1/tokens/\(revoked.token.id)", as: world.trainee)
            let again = try await world.request(.delete, "/v1/tokens/\(revoked.token.id)", as: world.trainee)
            let othersToken = try await world.request(.delete, "/v1/tokens/\(short.token.id)", as: world.otherTrainee)

            #expect(revocation.status == .noContent)
            #expect(again.status == .notFound)
            #expect(othersToken.status == .notFound)

            let revokedUse = try await world.request(.get, "/v1/me", as: World.Actor(id: "", token: revoked.secret))
            let unknown = try await world.request(
                .get,
                "/v1/me",
                as: World.Actor(id: "", token: "dos_" + String(repeating: "x", count: 43))
            )
            let basic = try await world.request(
                .get,
                "/v1/me",
                as: nil,
                headers: [.authorization: "Basic YWRtaW46YWRtaW4="]
            )
            world.clock.advance(by: 2 * 86_400)
            let expired = try await world.request(.get, "/v1/me", as: World.Actor(id: "", token: short.secret))
            world.clock.advance(by: -2 * 86_400)

            for (response, detail) in [
                (revokedUse, "The token was revoked."), (unknown, "The token is not known."),
                (basic, "The Authorization header must be Bearer followed by a token."),
            ] {
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="dossier""#)
                #expect(try response.problem().detail == detail)
            }
            #expect(expired.status == .unauthorized)
            #expect(try expired.problem().detail?.hasPrefix("The token expired at ") == true)
        }
    }

    @Test func aTokenInTheQueryStringIsRefusedEvenWithAValidHeader() async throws {
        try await World.test { world in
            let named = try await world.request(.get, "/v1/me?access_token=abc", as: world.trainee)
            let smuggled = try await world.request(.get, "/v1/people?q=\(world.trainee.token)", as: world.admin)

            #expect(named.status == .badRequest)
            #expect(try named.problem()._type == "https://dossier.example/problems/token-in-query")
            #expect(try named.problem().errors?.map(\.pointer) == ["#/query/access_token"])
            #expect(smuggled.status == .badRequest)
        }
    }

    @Test func anIdempotencyKeyReplaysTheFirstResponseAndRefusesAnotherBody() async throws {
        try await World.test { world in
            let body = #"{"name":"Jaar 3 Den Haag","kind":"year","training_year":3,"site":"den_haag"}"#
            let key: HTTPFields = [.init("Idempotency-Key")!: "group-2026-3"]

            let first = try await world.request(.post, "/v1/groups", as: world.coordinator, body: body, headers: key)
            let replay = try await world.request(.post, "/v1/groups", as: world.coordinator, body: body, headers: key)
            let otherBody = try await world.request(
                .post,
                "/v1/groups",
                as: world.coordinator,
                body: body.replacingOccurrences(of: "3", with: "2"),
                headers: key
            )
            let otherCaller = try await world.request(.post, "/v1/groups", as: world.admin, body: body, headers: key)

            #expect(first.status == .created)
            #expect(replay.status == .created)
            #expect(replay.headers[.init("Idempotency-Replayed")!] == "true")
            #expect(try replay.decode(API.Group.self).id == first.decode(API.Group.self).id)
            #expect(otherBody.status == .unprocessableContent)
            #expect(try otherBody.problem()._type == "https://dossier.example/problems/idempotency-key-reused")
            #expect(otherCaller.status == .conflict)
            #expect(try otherCaller.problem()._type == "https://dossier.example/problems/duplicate-name")
            let groups = try await world.request(.get, "/v1/groups", as: world.coordinator).decode(API.GroupList.self)
            #expect(groups.items.count == 1)
        }
    }

    @Test func aResponseCarryingASecretIsNeverStoredForReplay() async throws {
        try await World.test { world in
            let key: HTTPFields = [.init("Idempotency-Key")!: "token-1"]

            let first = try await world.request(
                .post,
                "/v1/tokens",
                as: world.trainee,
                body: #"{"name":"ci"}"#,
                headers: key
            )
            let again = try await world.request(
                .post,
                "/v1/tokens",
                as: world.trainee,
                body: #"{"name":"ci"}"#,
                headers: key
            )

            #expect(first.status == .created)
            #expect(again.status == .conflict)
            #expect(try again.problem()._type == "https://dossier.example/problems/idempotency-key-not-replayable")
            let stored = try await world.database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int FROM idempotency_keys WHERE body IS NOT NULL AND withheld")
                    .collect().first?.decode(Int.self)
            }
            #expect(stored == 0)
        }
    }
}
