import Foundation
import Synchronization

/// Wakes waiting loops early: `ring` wakes whoever waits now (or the next waiter, so a wake-up
/// between two waits is not lost); `latch` wakes everyone for good (shutdown). A wait always ends
/// by its timeout at the latest, which is what makes LISTEN an optimisation and not a dependency.
final class WakeSignal: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Void, Never>
        let timer: Task<Void, Never>
    }

    private struct State {
        var pending = false
        var latched = false
        var waiters: [UUID: Waiter] = [:]
    }

    private let state = Mutex(State())

    var isLatched: Bool { state.withLock { $0.latched } }

    func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let timer = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.resume(id)
                }
                // Registration and the checks share the lock with `resume`, so a cancellation or a
                // ring either finds the waiter or is seen here: the continuation resumes exactly once.
                let now = state.withLock { state -> Bool in
                    if state.latched || state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = Waiter(continuation: continuation, timer: timer)
                    return false
                }
                if now {
                    timer.cancel()
                    continuation.resume()
                }
            }
        } onCancel: {
            resume(id)
        }
    }

    func ring() {
        let waiting = state.withLock { state in
            if state.waiters.isEmpty { state.pending = true }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiting {
            waiter.timer.cancel()
            waiter.continuation.resume()
        }
    }

    func latch() {
        state.withLock { $0.latched = true }
        ring()
    }

    private func resume(_ id: UUID) {
        guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) else { return }
        waiter.timer.cancel()
        waiter.continuation.resume()
    }
}
