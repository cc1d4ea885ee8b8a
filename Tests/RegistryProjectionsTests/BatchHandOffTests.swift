@testable import RegistryProjections
import Synchronization
import Testing

@Suite("Batch hand-off between the staged fold's producer and consumer")
struct BatchHandOffTests {
    struct Broken: Error, Equatable { var n: Int }

    @Test("Elements come out in order, the producer waits while the queue is full, and an error comes after them")
    func orderBoundAndError() async throws {
        let queue = BatchHandOff<Int>(capacity: 2)
        let put = Mutex(0)
        let producer = Task {
            for i in 0..<10 {
                #expect(await queue.put(i))
                put.withLock { $0 = i + 1 }
            }
            queue.finish(throwing: Broken(n: 10))
        }
        // Nothing taken yet: the producer fills the queue, then stops at the capacity.
        for _ in 0..<500 where put.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(put.withLock { $0 } == 2)
        var taken: [Int] = []
        let error = await #expect(throws: Broken.self) {
            while let i = try await queue.take() { taken.append(i) }
        }
        #expect(taken == Array(0..<10))
        #expect(error == Broken(n: 10))
        await producer.value
    }

    @Test("A finished queue ends after its elements; a consumer that gives up releases a waiting producer")
    func finishAndCancel() async throws {
        let queue = BatchHandOff<Int>(capacity: 1)
        #expect(await queue.put(1))
        queue.finish(throwing: nil)
        #expect(try await queue.take() == 1)
        #expect(try await queue.take() == nil)

        let full = BatchHandOff<Int>(capacity: 1)
        #expect(await full.put(1))
        let waiting = Task { await full.put(2) }
        try await Task.sleep(for: .milliseconds(100))
        full.cancel()
        #expect(await waiting.value == false)
        #expect(await full.put(3) == false)
    }
}
