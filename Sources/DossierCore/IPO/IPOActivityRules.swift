import Foundation

/// The checks of an activity that need no database, each broken rule with its pointer.
public enum IPOActivityRules {
    static let maximumSessions = 50
    static let maximumCapacity = 1000
    /// The default cancellation deadline: a week before the first session.
    static let defaultCancellationLead: TimeInterval = 7 * 86_400

    /// The sessions as instants, numbered in order, or every problem with them: each must be a
    /// real day and time, end after it starts, and start after the one before it has ended.
    static func sessions(
        _ inputs: [IPOSessionInput],
        pointer: String = "/sessions"
    ) -> (sessions: [IPOActivity.Session], errors: [FieldError]) {
        var errors: [FieldError] = []
        if inputs.isEmpty { errors.append(FieldError(pointer, "must list at least one session")) }
        if inputs.count > maximumSessions {
            errors.append(FieldError(pointer, "must list at most \(maximumSessions) sessions"))
        }
        var sessions: [IPOActivity.Session] = []
        for (index, input) in inputs.prefix(maximumSessions).enumerated() {
            let at = "\(pointer)/\(index)"
            let day = CalendarDate(input.date)
            if day == nil { errors.append(FieldError("\(at)/date", "must be a date YYYY-MM-DD")) }
            let start = minutes(input.startTime)
            let end = minutes(input.endTime)
            if start == nil { errors.append(FieldError("\(at)/start_time", "must be a time HH:MM")) }
            if end == nil { errors.append(FieldError("\(at)/end_time", "must be a time HH:MM")) }
            let site = IPOActivity.Site(rawValue: input.site)
            if site == nil { errors.append(FieldError("\(at)/site", "must be leiden, den_haag or online")) }
            guard let day, let start, let end, let site else { continue }
            guard end > start else {
                errors.append(FieldError("\(at)/end_time", "must be after start_time"))
                continue
            }
            let startsAt = instant(day, minutes: start)
            let endsAt = instant(day, minutes: end)
            if let previous = sessions.last, index == sessions.count, startsAt < previous.endsAt {
                errors.append(
                    FieldError(
                        at,
                        "must start after \(pointer)/\(index - 1) ends: sessions are in order and do not overlap"
                    )
                )
            }
            sessions.append(.init(id: .generate(), number: index + 1, startsAt: startsAt, endsAt: endsAt, site: site))
        }
        return (sessions, errors)
    }

    /// Every broken rule of the fields, given the sessions they are checked against.
    static func check(_ activity: IPOActivity) -> [FieldError] {
        var errors: [FieldError] = []
        let title = activity.title
        if !(1...200).contains(title.count) || title.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            errors.append(FieldError("/title", "must be 1-200 characters without control characters"))
        }
        if activity.description.count > 10_000 {
            errors.append(FieldError("/description", "must be at most 10000 characters"))
        }
        if activity.partnerProfessions.count > 20 {
            errors.append(FieldError("/partner_professions", "must list at most 20"))
        }
        for (index, profession) in activity.partnerProfessions.enumerated()
        where !(1...100).contains(profession.count) || profession.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            errors.append(
                FieldError("/partner_professions/\(index)", "must be 1-100 characters without control characters")
            )
        }
        if !(1...maximumCapacity).contains(activity.capacity) {
            errors.append(FieldError("/capacity", "must be from 1 to \(maximumCapacity) seats"))
        }
        if activity.enrollmentClosesAt <= activity.enrollmentOpensAt {
            errors.append(FieldError("/enrollment_closes_at", "must be after enrollment_opens_at"))
        }
        if let first = activity.sessions.first {
            if activity.enrollmentClosesAt > first.startsAt {
                errors.append(FieldError("/enrollment_closes_at", "must be at or before the first session's start"))
            }
            if activity.cancellationDeadline > first.startsAt {
                errors.append(FieldError("/cancellation_deadline", "must be at or before the first session's start"))
            }
        }
        if let key = activity.evaluationFormKey, !(1...64).contains(key.count) {
            errors.append(FieldError("/evaluation_form_key", "must be 1-64 characters"))
        }
        return errors
    }

    /// Minutes after midnight of `HH:MM` (00:00-23:59).
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count == 5, parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    static func instant(_ day: CalendarDate, minutes: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .institute
        let components = DateComponents(
            year: day.year,
            month: day.month,
            day: day.day,
            hour: minutes / 60,
            minute: minutes % 60
        )
        return calendar.date(from: components) ?? day.start().addingTimeInterval(TimeInterval(minutes * 60))
    }
}

extension IPOActivity.Session {
    /// The session's day and times as the institute reads them (Europe/Amsterdam).
    public var local: (date: String, startTime: String, endTime: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .institute
        func time(_ instant: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: instant)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        return (CalendarDate(startsAt).description, time(startsAt), time(endsAt))
    }
}
