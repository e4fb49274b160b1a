/// How big a seeded world is. `demo` is for a new user to click through; `institute` is one
/// training institute; `national` is the data set the request-path benchmark runs on.
public enum SeedScale: String, CaseIterable, Sendable {
    case demo
    case institute
    case national

    public struct Counts: Sendable, Equatable {
        public let trainees: Int
        public let traineesPerTrainer: Int
        public let teachers: Int
        public let coordinators: Int
        public let groups: Int
        /// Entries per portfolio.
        public let entries: Int
        /// Above this many entries in all, they are written by one bulk statement per batch of
        /// portfolios instead of through `EntryService` (which would take many minutes).
        public let bulkEntries: Bool

        public var trainers: Int { (trainees + traineesPerTrainer - 1) / traineesPerTrainer }
    }

    public var counts: Counts {
        switch self {
        case .demo:
            Counts(
                trainees: 12,
                traineesPerTrainer: 2,
                teachers: 2,
                coordinators: 1,
                groups: 3,
                entries: 8,
                bulkEntries: false
            )
        case .institute:
            Counts(
                trainees: 400,
                traineesPerTrainer: 5,
                teachers: 12,
                coordinators: 3,
                groups: 12,
                entries: 30,
                bulkEntries: false
            )
        case .national:
            Counts(
                trainees: 4_000,
                traineesPerTrainer: 5,
                teachers: 60,
                coordinators: 10,
                groups: 60,
                entries: 125,
                bulkEntries: true
            )
        }
    }
}
