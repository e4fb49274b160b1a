import DossierCore
import Foundation
import Testing

@Suite struct PersonRulesTests {
    static func input(
        email: String = "anna@example.org",
        roles: [String] = ["trainee"],
        start: String? = "2025-03-01",
        end: String? = "2028-03-01",
        year: Int? = 1,
        site: String? = "leiden"
    ) -> PersonInput {
        PersonInput(
            name: "Anna",
            email: email,
            roles: roles,
            trainee: .init(startDate: start, expectedEndDate: end, trainingYear: year, site: site, groupID: nil)
        )
    }

    static func pointers(_ input: PersonInput) -> [String] {
        do {
            _ = try PersonRules.validate(input)
            return []
        } catch {
            return error.fieldErrors.map(\.pointer)
        }
    }

    @Test func aValidTraineeIsAccepted() throws {
        let person = try PersonRules.validate(Self.input())

        #expect(person.roles == [.trainee])
        #expect(person.trainee?.startDate == CalendarDate("2025-03-01"))
        #expect(person.trainee?.status == .active)
    }

    @Test(arguments: ["anna", "anna@", "@example.org", "anna@example", "an na@example.org", "a@b@example.org"])
    func anInvalidEmailIsRejected(email: String) {
        #expect(Self.pointers(Self.input(email: email)) == ["/email"])
    }

    @Test func everyBrokenRuleIsReportedAtOnce() {
        let pointers = Self.pointers(
            Self.input(email: "x", roles: ["trainee", "wizard"], start: nil, year: 4, site: "utrecht")
        )

        #expect(pointers == ["/email", "/roles/1", "/trainee/start_date", "/trainee/training_year", "/trainee/site"])
    }

    @Test func theEndMustBeAfterTheStart() {
        #expect(Self.pointers(Self.input(start: "2025-03-01", end: "2025-03-01")) == ["/trainee/expected_end_date"])
        #expect(Self.pointers(Self.input(start: "2025-02-30")) == ["/trainee/start_date"])
    }

    @Test func aTraineeProfileBelongsOnlyToTrainees() {
        #expect(Self.pointers(Self.input(roles: ["trainer"])) == ["/trainee"])
        #expect(
            Self.pointers(PersonInput(name: "T", email: "t@example.org", roles: ["trainee"], trainee: nil)) == [
                "/trainee"
            ]
        )
    }

    @Test func completionCorrectionsNeedACoordinatorAndAReason() {
        var profile = TraineeProfile(
            startDate: CalendarDate("2025-03-01")!,
            expectedEndDate: CalendarDate("2028-03-01")!,
            trainingYear: 3,
            site: .leiden,
            groupID: nil
        )
        let today = CalendarDate("2026-11-23")!
        #expect(
            throws: DossierError.validation([FieldError("/completed_at", "must not be in the future")])
        ) {
            try CompletionRules.validate(
                completedAt: "2026-11-24",
                outcome: "completed",
                reason: nil,
                trainee: profile,
                today: today,
                correctedByCoordinator: true
            )
        }

        profile.status = .completed
        profile.completedAt = CalendarDate("2026-10-01")

        #expect(
            throws: DossierError.validation([FieldError("/reason", "is required to correct a recorded completion")])
        ) {
            try CompletionRules.validate(
                completedAt: "2026-10-02",
                outcome: "completed",
                reason: nil,
                trainee: profile,
                today: today,
                correctedByCoordinator: true
            )
        }
        #expect(throws: DossierError.self) {
            try CompletionRules.validate(
                completedAt: "2026-10-02",
                outcome: "completed",
                reason: "typo",
                trainee: profile,
                today: today,
                correctedByCoordinator: false
            )
        }
        let corrected = try? CompletionRules.validate(
            completedAt: "2026-10-02",
            outcome: "stopped",
            reason: "typo",
            trainee: profile,
            today: today,
            correctedByCoordinator: true
        )
        #expect(corrected?.outcome == .stopped)
    }
}
