import Foundation
import Synchronization

/// The source of "now" for business decisions (due dates, windows, schedules). Injected so tests
/// can pin time; SQL receives this value as a bound parameter instead of calling `now()`.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real time of the machine.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until a test moves it.
public final class FixedWallClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        self.current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(by interval: TimeInterval) { current.withLock { $0 += interval } }
}
