import Foundation
import Testing

@Suite("registry replay")
struct ReplayCommandTests {
    @Test func rebuildsAndReportsSpeed() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("replay", "--store", "store", "--checkpoint", "model.ckpt")
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("Replayed 9 events in "))
        #expect(lines[0].hasSuffix(" events/s"))
        #expect(lines[1] == "3 persons, up to position 9")
        #expect(lines[2] == "Checkpoint saved to model.ckpt at position 9")
        let size = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("model.ckpt").path)[.size] as? Int
        #expect((size ?? 0) > 20)
    }
}
