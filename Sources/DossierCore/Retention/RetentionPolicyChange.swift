/// A new version of the retention policy as an admin asks for it.
public struct RetentionPolicyChange: Sendable {
    public var keepMonths: Int
    public var downloadMonths: Int
    public var graceDays: Int
    public var autoApproveMax: Int
    public var fourEyes: Bool
    public var reason: String

    public init(
        keepMonths: Int,
        downloadMonths: Int,
        graceDays: Int,
        autoApproveMax: Int,
        fourEyes: Bool = true,
        reason: String
    ) {
        self.keepMonths = keepMonths
        self.downloadMonths = downloadMonths
        self.graceDays = graceDays
        self.autoApproveMax = autoApproveMax
        self.fourEyes = fourEyes
        self.reason = reason
    }

    /// Every broken rule at once. The retention must outlast the download window plus the grace
    /// period, or a trainee could find their portfolio hidden while it is still theirs to download.
    public func validated() throws(DossierError) -> String {
        var errors: [FieldError] = []
        if !(1...1200).contains(keepMonths) { errors.append(FieldError("/keep_months", "must be 1-1200")) }
        if !(1...1200).contains(downloadMonths) { errors.append(FieldError("/download_months", "must be 1-1200")) }
        if !(0...365).contains(graceDays) { errors.append(FieldError("/grace_days", "must be 0-365")) }
        if !(0...100_000).contains(autoApproveMax) {
            errors.append(FieldError("/auto_approve_max", "must be 0-100000"))
        }
        let reason = RetentionText.required(reason, pointer: "/reason", maximum: 2000, into: &errors)
        if errors.isEmpty && !outlastsTheDownloadWindow {
            errors.append(
                FieldError(
                    "/keep_months",
                    "must outlast the download window (\(downloadMonths) months) plus the grace period (\(graceDays) days)"
                )
            )
        }
        guard errors.isEmpty, let reason else { throw DossierError.validation(errors) }
        return reason
    }

    /// Whether every completion date, over a whole four-year leap cycle (month ends clamp
    /// differently in each month), is hidden only after its download window has closed.
    private var outlastsTheDownloadWindow: Bool {
        let start = CalendarDate(year: 2024, month: 1, day: 1)
        return (0..<1461).allSatisfy { offset in
            let completion = start.adding(days: offset)
            let hideOn = completion.adding(months: keepMonths).adding(days: 1 - graceDays)
            return hideOn > completion.adding(months: downloadMonths)
        }
    }
}
