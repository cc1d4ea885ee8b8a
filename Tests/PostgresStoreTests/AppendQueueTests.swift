import Testing
@testable import PostgresStore

@Suite("AppendQueue")
struct AppendQueueTests {
    typealias Q = AppendQueue<String, String, String>

    func commit(_ action: Q.DrainAction) -> [String]? {
        if case .commit(let entries) = action { return entries.map(\.call) }
        return nil
    }

    @Test("the first call starts a drain; calls meanwhile queue and go together, within the event limit")
    func groups() {
        var q = Q()
        do { let v = q.submit("a", events: 10); #expect(v == .startDrain) }
        do { let v = commit(q.nextGroup(limit: 100)); #expect(v == ["a"]) }
        do { let v = q.submit("b", events: 60); #expect(v == .queued) }
        do { let v = q.submit("c", events: 30); #expect(v == .queued) }
        do { let v = q.submit("d", events: 20); #expect(v == .queued) }
        do { let v = commit(q.nextGroup(limit: 100)); #expect(v == ["b", "c"]) }
        do { let v = q.submit("huge", events: 1000); #expect(v == .queued) }
        do { let v = commit(q.nextGroup(limit: 100)); #expect(v == ["d"]) }
        do { let v = commit(q.nextGroup(limit: 100)); #expect(v == ["huge"]) }  // a single larger call still goes whole
        guard case .idle = q.nextGroup(limit: 100) else { Issue.record("expected idle"); return }
        #expect(q.holder == .none)
        do { let v = q.submit("e", events: 1); #expect(v == .startDrain) }
    }

    @Test("an exclusive job waits for the drain, holds off calls, then hands them to a new drain")
    func exclusive() {
        var q = Q()
        do { let v = q.submit("a", events: 1); #expect(v == .startDrain) }
        guard case .wait = q.acquireExclusive("import") else { Issue.record("expected wait"); return }
        _ = q.nextGroup(limit: 10)
        guard case .idle(_, let waiters) = q.nextGroup(limit: 10) else { Issue.record("expected idle"); return }
        #expect(waiters == ["import"])
        guard case .run = q.acquireExclusive("import") else { Issue.record("expected run"); return }
        do { let v = q.submit("b", events: 1); #expect(v == .queued) }
        guard case .startDrain = q.releaseExclusive() else { Issue.record("expected a drain"); return }
        do { let v = commit(q.nextGroup(limit: 10)); #expect(v == ["b"]) }
    }

    @Test("closing refuses new calls and waits for the holder")
    func closing() {
        var q = Q()
        do { let v = q.close("early"); #expect(v) }
        do { let v = q.submit("x", events: 1); #expect(v == .refuse) }
        var r = Q()
        do { let v = r.submit("a", events: 1); #expect(v == .startDrain) }
        do { let v = r.close("closer"); #expect(!v) }
        do { let v = r.submit("b", events: 1); #expect(v == .refuse) }
        _ = r.nextGroup(limit: 10)
        guard case .idle(let closers, _) = r.nextGroup(limit: 10) else { Issue.record("expected idle"); return }
        #expect(closers == ["closer"])
        guard case .refuse = r.acquireExclusive("late") else { Issue.record("expected refuse"); return }
    }
}
