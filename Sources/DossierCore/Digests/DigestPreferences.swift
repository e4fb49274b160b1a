import Foundation

/// How often a person wants the digest mail, and when, in their own time zone.
public struct DigestPreferences: Sendable, Equatable {
    public enum Frequency: String, Sendable, CaseIterable {
        case daily, weekly, off
    }

    /// ISO 8601 weekdays, Monday first.
    public static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    public var frequency: Frequency
    /// 1 (Monday) to 7, for a weekly digest only.
    public var weekday: Int?
    /// Minutes after local midnight.
    public var sendAt: Int
    public var timeZone: String
    /// No choice stored: the role's default.
    public var isDefault: Bool

    public init(frequency: Frequency, weekday: Int?, sendAt: Int, timeZone: String, isDefault: Bool) {
        self.frequency = frequency
        self.weekday = weekday
        self.sendAt = sendAt
        self.timeZone = timeZone
        self.isDefault = isDefault
    }

    /// Coordinators, who act on compliance and response rates, daily; everyone else weekly on
    /// Monday; at 07:30 in the institute's zone.
    public static func `default`(for roles: Set<Role>) -> DigestPreferences {
        let daily = roles.contains(.coordinator)
        return DigestPreferences(
            frequency: daily ? .daily : .weekly,
            weekday: daily ? nil : 1,
            sendAt: 7 * 60 + 30,
            timeZone: "Europe/Amsterdam",
            isDefault: true
        )
    }

    public var sendTime: String { String(format: "%02d:%02d", sendAt / 60, sendAt % 60) }
}

/// What a person sends, before it is checked.
public struct DigestPreferencesInput: Sendable {
    public var frequency: String
    public var weekday: String?
    public var sendTime: String?
    public var timeZone: String?

    public init(frequency: String, weekday: String?, sendTime: String?, timeZone: String?) {
        self.frequency = frequency
        self.weekday = weekday
        self.sendTime = sendTime
        self.timeZone = timeZone
    }

    /// The preferences, or every broken rule with its pointer.
    func validated() throws(DossierError) -> DigestPreferences {
        var errors: [FieldError] = []
        let frequency = DigestPreferences.Frequency(rawValue: frequency)
        if frequency == nil { errors.append(FieldError("/frequency", "must be daily, weekly or off")) }
        var weekday: Int?
        switch (frequency, self.weekday) {
        case (.weekly, nil):
            errors.append(FieldError("/weekday", "is required for a weekly digest"))
        case (.weekly, let name?):
            weekday = DigestPreferences.weekdays.firstIndex(of: name.lowercased()).map { $0 + 1 }
            if weekday == nil { errors.append(FieldError("/weekday", "must be a weekday: monday to sunday")) }
        case (_, .some):
            errors.append(FieldError("/weekday", "is only for a weekly digest"))
        default:
            break
        }
        let sendAt = sendTime.map(IPOActivityRules.minutes) ?? 7 * 60 + 30
        if sendAt == nil { errors.append(FieldError("/send_time", "must be a time HH:MM")) }
        let zone = timeZone ?? "Europe/Amsterdam"
        if zone.utf8.count > 64 || TimeZone(identifier: zone) == nil {
            errors.append(FieldError("/time_zone", "must be an IANA time zone, such as Europe/Amsterdam"))
        }
        guard errors.isEmpty, let frequency, let sendAt else { throw DossierError.validation(errors) }
        return DigestPreferences(
            frequency: frequency,
            weekday: weekday,
            sendAt: sendAt,
            timeZone: zone,
            isDefault: false
        )
    }
}
