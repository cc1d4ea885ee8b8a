@testable import FileStore
import Testing

@Suite("Group commit state machine")
struct GroupCommitQueueTests {
    @Test("The first job starts a drain; jobs during it wait for the same next commit")
    func batching() {
        var q = GroupCommitQueue<Int>()
        #expect(q.enqueue(1) == .startDrain)
        #expect(q.enqueue(2) == .none)
        #expect(q.takeAll() == [1, 2])
        #expect(q.enqueue(3) == .none)
        #expect(q.enqueue(4) == .none)
        #expect(q.takeAll() == [3, 4])
        #expect(q.takeAll() == [])
        #expect(!q.draining)
        #expect(q.enqueue(5) == .startDrain)
    }
}
