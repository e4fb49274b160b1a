import DossierAPI
import DossierCore

extension Components.Schemas.DigestPreferences {
    init(_ preferences: DigestPreferences) {
        self.init(
            frequency: .init(rawValue: preferences.frequency.rawValue) ?? .off,
            weekday: preferences.weekday.flatMap { .init(rawValue: DigestPreferences.weekdays[($0 - 1) % 7]) },
            sendTime: preferences.sendTime,
            timeZone: preferences.timeZone,
            _default: preferences.isDefault
        )
    }
}
