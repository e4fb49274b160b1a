/// When progress reviews are due: every three months from the start date until the end of
/// training (domain rule 2), and which due dates the signed reviews cover.
public enum ProgressReviewSchedule {
    public static let intervalMonths = 3

    public enum Status: String, Sendable {
        case held, overdue, upcoming
    }

    public struct Item: Sendable, Equatable {
        public let number: Int
        public let dueOn: CalendarDate
        public let status: Status
        public let reviewID: ProgressRecord.ID?
    }

    /// The due dates from `start` (exclusive) to `end` (inclusive), each covered by the signed
    /// review of the same rank in date order: the n-th review held covers the n-th due date.
    public static func items(
        start: CalendarDate,
        end: CalendarDate,
        held: [(id: ProgressRecord.ID, heldOn: CalendarDate)],
        today: CalendarDate
    ) -> [Item] {
        let reviews = held.sorted { ($0.heldOn, $0.id) < ($1.heldOn, $1.id) }
        var items: [Item] = []
        var number = 1
        while true {
            let due = start.adding(months: intervalMonths * number)
            guard due <= end else { break }
            let review = reviews.indices.contains(number - 1) ? reviews[number - 1] : nil
            let status: Status = review != nil ? .held : due < today ? .overdue : .upcoming
            items.append(Item(number: number, dueOn: due, status: status, reviewID: review?.id))
            number += 1
        }
        return items
    }

    /// The oldest due date not covered by a review, if it has passed.
    public static func firstOverdue(
        start: CalendarDate,
        end: CalendarDate,
        held: [(id: ProgressRecord.ID, heldOn: CalendarDate)],
        today: CalendarDate
    ) -> CalendarDate? {
        items(start: start, end: end, held: held, today: today).first { $0.status == .overdue }?.dueOn
    }
}
