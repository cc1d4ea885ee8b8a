import Synchronization

/// A bounded queue from one producer task to one consumer task: `put` waits while it holds `capacity` elements,
/// `take` while it is empty. The producer ends it (``finish(throwing:)``): the consumer takes what is left, then the
/// end or the error. The consumer gives up with ``cancel()``: a waiting or later `put` returns false.
final class BatchHandOff<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var consumer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds an element, waiting while the queue is full.
    /// - Returns: false when the consumer has given up (the element is dropped).
    func put(_ element: Element) async -> Bool {
        while true {
            let added: Bool? = state.withLock { s in
                if s.cancelled { return false }
                guard s.items.count < capacity else { return nil }
                s.items.append(element)
                s.consumer?.resume()
                s.consumer = nil
                return true
            }
            if let added { return added }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.cancelled || s.items.count < capacity { return true }
                    s.producer = c
                    return false
                }
                if now { c.resume() }
            }
        }
    }

    /// The next element, waiting while the queue is empty; nil once finished and empty.
    /// - Throws: the producer's error, once the elements before it are taken.
    func take() async throws -> Element? {
        while true {
            let next: Result<Element?, any Error>? = state.withLock { s in
                if !s.items.isEmpty {
                    let e = s.items.removeFirst()
                    s.producer?.resume()
                    s.producer = nil
                    return .success(e)
                }
                if let failure = s.failure { return .failure(failure) }
                return s.finished ? .success(nil) : nil
            }
            if let next { return try next.get() }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if !s.items.isEmpty || s.finished { return true }
                    s.consumer = c
                    return false
                }
                if now { c.resume() }
            }
        }
    }

    /// Ends the queue after the elements put, with an error or none.
    func finish(throwing error: (any Error)?) {
        state.withLock { s in
            s.finished = true
            s.failure = error
            s.consumer?.resume()
            s.consumer = nil
        }
    }

    /// The consumer gives up: the producer's waiting and later puts return false.
    func cancel() {
        state.withLock { s in
            s.cancelled = true
            s.producer?.resume()
            s.producer = nil
        }
    }
}
