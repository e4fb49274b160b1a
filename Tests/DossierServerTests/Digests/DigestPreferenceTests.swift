import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct DigestPreferenceTests {
    @Test func eachRoleHasADefaultUntilThePersonChoosesAndTheChoiceIsKept() async throws {
        try await World.test { world in
            let trainee = try await world.request(.get, "/v1/me/digest-preferences", as: world.trainee)
                .decode(API.DigestPreferences.self)
            let coordinator = try await world.request(.get, "/v1/me/digest-preferences", as: world.coordinator)
                .decode(API.DigestPreferences.self)
            let chosen = try await world.request(
                .put,
                "/v1/me/digest-preferences",
                as: world.trainee,
                body: #"{"frequency":"weekly","weekday":"Thursday","send_time":"18:15","time_zone":"Europe/Brussels"}"#
            )
            let after = try await world.request(.get, "/v1/me/digest-preferences", as: world.trainee)
                .decode(API.DigestPreferences.self)
            let off = try await world.request(
                .put,
                "/v1/me/digest-preferences",
                as: world.coordinator,
                body: #"{"frequency":"off"}"#
            ).decode(API.DigestPreferences.self)
            let byClient = try await world.request(.get, "/v1/me/digest-preferences", as: world.reportingClient)

            #expect(trainee.frequency == .weekly && trainee.weekday == .monday && trainee._default)
            #expect(trainee.sendTime == "07:30" && trainee.timeZone == "Europe/Amsterdam")
            #expect(coordinator.frequency == .daily && coordinator.weekday == nil)
            #expect(chosen.status == .ok)
            #expect(after.frequency == .weekly && after.weekday == .thursday && after.sendTime == "18:15")
            #expect(after.timeZone == "Europe/Brussels" && !after._default)
            #expect(off.frequency == .off && off.weekday == nil && !off._default)
            #expect(byClient.status == .forbidden)
        }
    }

    @Test(
        arguments: [
            (#"{"frequency":"weekly","weekday":"someday"}"#, "/weekday"),
            (#"{"frequency":"weekly"}"#, "/weekday"),
            (#"{"frequency":"daily","weekday":"monday"}"#, "/weekday"),
            (#"{"frequency":"daily","time_zone":"Europe/Atlantis"}"#, "/time_zone"),
            (#"{"frequency":"daily","send_time":"25:00"}"#, "/send_time"),
            (#"{"frequency":"hourly"}"#, "/frequency"),
        ]
    )
    func aBadPreferenceIsRefusedByPointerAndNothingIsStored(body: String, pointer: String) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let refused = try await world.request(.put, "/v1/me/digest-preferences", as: world.trainee, body: body)

            #expect(refused.status == .unprocessableContent, "\(String(buffer: refused.body))")
            #expect(try refused.problem().errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }
}
