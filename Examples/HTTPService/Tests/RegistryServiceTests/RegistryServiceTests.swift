import EventLog
import FileStore
import Foundation
import Hummingbird
import HummingbirdTesting
import RegistryDomain
import RegistryProjections
import RegistryService
import Testing

/// The service end to end over a real loopback socket (HummingbirdTesting's `.live`: the server listens on
/// 127.0.0.1 and the client connects to it), on a real file store, with the views folded live by a subscription.
@Suite("HTTP service")
struct RegistryServiceTests {
    /// B lives in community 120101001002 (inside the surveyor's street 120101001) and has a survey task there;
    /// C lives in 120101002001 (another street) and has one too.
    static let b = "120101200005050134"
    static let c = "120101199509090468"
    static let taskB = "7D444840-9DC0-11D1-B245-5FFDCE74FAD2"
    static let seed = #"""
    {"actor":"source:police","data":{"citizenID":"120101200005050134","hukouAddress":"天津市和平区某路1号","residenceAddress":"天津市和平区某街道2号","residenceDivision":"120101001002","name":"李四","phone":"13812345678","source":"publicSecurity"},"effective":"2024-02-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000001","stream":"person-120101200005050134","type":"PersonRegistered","version":1}
    {"actor":"operator:ops-1","data":{"assignee":"team-12","division":"120101001002","reason":"unenrolledAfterComparison","taskID":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2"},"effective":"2024-02-10","id":"6F1C1E64-2B7A-4A43-9A51-000000000002","stream":"person-120101200005050134","type":"SurveyTaskDispatched","version":1}
    {"actor":"source:police","data":{"citizenID":"120101199509090468","hukouAddress":"天津市和平区某路3号","residenceAddress":"天津市和平区某街道3号","residenceDivision":"120101002001","name":"赵六","source":"publicSecurity"},"effective":"2024-01-20","id":"6F1C1E64-2B7A-4A43-9A51-000000000003","stream":"person-120101199509090468","type":"PersonRegistered","version":1}
    {"actor":"operator:ops-1","data":{"assignee":"team-13","division":"120101002001","reason":"unenrolledAfterComparison","taskID":"8D444840-9DC0-11D1-B245-5FFDCE74FAD2"},"effective":"2024-02-10","id":"6F1C1E64-2B7A-4A43-9A51-000000000004","stream":"person-120101199509090468","type":"SurveyTaskDispatched","version":1}
    """#

    static let observation = #"""
    {"person":"120101200005050134","observation":{"certificateNumber":"120101200005050134","deviceID":"PAD-1","hukouPlace":"天津市和平区某路1号","name":"李四","outcome":"completed","phone":"13812345678","residence":"天津市和平区某街道2号","sex":"male","surveyorIDs":["S-1"],"taskID":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2","visitedAt":"2024-03-01T10:00:00Z"}}
    """#

    static let tokens: [String: Principal] = [
        "surveyor": Principal(id: "S-1", role: .surveyor(grid: try! DivisionCode("120101001"))),
        "reviewer": Principal(id: "R-1", role: .reviewer(level: .street)),
        "staff": Principal(id: "ops-7", role: .staff),
    ]

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test("surveyor posts, reviewer decides, the worklist follows live; out-of-grid refused; responses masked; 4xx name field and rule")
    func endToEnd() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-http-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await FileEventStore.open(directory: directory)
        let seeded = try await JSONLinesImporter(store: store).importText(Self.seed)
        #expect(seeded.acceptedCount == 4)
        let live = LiveProjection(RegistryFold(), following: store, name: "http-test")
        let service = RegistryService(store: store, live: live, tokens: Self.tokens)
        let app = Application(
            router: service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [live])

        try await app.test(.live) { client in
            // The worklist of B's community, as the views stand: B's task is dispatched.
            let before = try await client.execute(uri: "/communities/120101001002/worklist?after=4", method: .get, headers: Self.bearer("surveyor"))
            #expect(before.status == .ok)
            let entries = try #require(try Self.json(before.body)["entries"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["person"] as? String == "1201**********0134")
            #expect(entries.first?["state"] as? String == RegistryFold.TaskState.dispatched.description)

            // A surveyor's post: the visit is recorded.
            let posted = try await client.execute(uri: "/observations", method: .post, headers: Self.bearer("surveyor"), body: ByteBuffer(string: Self.observation))
            #expect(posted.status == .created, "\(String(buffer: posted.body))")
            let visitPosition = try #require(try Self.json(posted.body)["position"] as? Int)

            // The live worklist follows: the task is visited.
            let visited = try await client.execute(uri: "/communities/120101001002/worklist?after=\(visitPosition)", method: .get, headers: Self.bearer("surveyor"))
            let afterVisit = try #require(try Self.json(visited.body)["entries"] as? [[String: Any]])
            #expect(afterVisit.first?["state"] as? String == RegistryFold.TaskState.visited.description)

            // A reviewer's decision: approved at street level, and the worklist shows it.
            let review = #"{"person":"\#(Self.b)","review":{"decision":"approve","level":"street","reviewerID":"R-1","taskID":"\#(Self.taskB)"}}"#
            let decided = try await client.execute(uri: "/reviews", method: .post, headers: Self.bearer("reviewer"), body: ByteBuffer(string: review))
            #expect(decided.status == .created, "\(String(buffer: decided.body))")
            let reviewPosition = try #require(try Self.json(decided.body)["position"] as? Int)
            let approved = try await client.execute(uri: "/communities/120101001002/worklist?after=\(reviewPosition)", method: .get, headers: Self.bearer("surveyor"))
            let afterReview = try #require(try Self.json(approved.body)["entries"] as? [[String: Any]])
            #expect(afterReview.first?["state"] as? String == RegistryFold.TaskState.streetApproved.description)

            // Out of the surveyor's grid: refused, for reading and for recording.
            let outside = try await client.execute(uri: "/communities/120101002001/worklist", method: .get, headers: Self.bearer("surveyor"))
            #expect(outside.status == .forbidden)
            #expect(try Self.json(outside.body)["error"].flatMap { $0 as? [String: Any] }?["rule"] as? String == "outside-grid")
            let foreign = Self.observation.replacingOccurrences(of: Self.b, with: Self.c)
            let refused = try await client.execute(uri: "/observations", method: .post, headers: Self.bearer("surveyor"), body: ByteBuffer(string: foreign))
            #expect(refused.status == .forbidden, "\(String(buffer: refused.body))")

            // A bad request: 400 naming the field and the rule.
            let noSex = Self.observation.replacingOccurrences(of: #""sex":"male","#, with: "")
            let bad = try await client.execute(uri: "/observations", method: .post, headers: Self.bearer("surveyor"), body: ByteBuffer(string: noSex))
            #expect(bad.status == .badRequest)
            let error = try #require(try Self.json(bad.body)["error"] as? [String: Any])
            #expect(error["field"] as? String == "observation.sex")
            #expect(error["rule"] as? String == "required")
            let badID = try await client.execute(uri: "/observations", method: .post, headers: Self.bearer("surveyor"),
                                                 body: ByteBuffer(string: Self.observation.replacingOccurrences(of: #""person":"120101200005050134""#, with: #""person":"120101200005050135""#)))
            #expect(badID.status == .badRequest)
            #expect(!String(buffer: badID.body).contains("120101200005050135"), "the invalid number is masked too")
            let anonymous = try await client.execute(uri: "/areas/120101/coverage", method: .get)
            #expect(anonymous.status == .unauthorized)

            // A masked response: the history names B only masked, and no name, phone or address appears.
            let history = try await client.execute(uri: "/persons/\(Self.b)/history", method: .get, headers: Self.bearer("staff"))
            #expect(history.status == .ok)
            let text = String(buffer: history.body)
            #expect(text.contains("1201**********0134"))
            for personal in [Self.b, "李四", "13812345678", "某街道2号"] { #expect(!text.contains(personal), "\(personal) unmasked") }
            let coverage = try await client.execute(uri: "/areas/120101001/coverage", method: .get, headers: Self.bearer("surveyor"))
            #expect(coverage.status == .ok)
            #expect(!String(buffer: coverage.body).contains(Self.b))

            // A reveal is recorded in the log before anything is shown.
            let revealed = try await client.execute(uri: "/persons/\(Self.b)/reveal", method: .post, headers: Self.bearer("staff"),
                                                    body: ByteBuffer(string: #"{"reason":"call back about the survey"}"#))
            #expect(revealed.status == .ok)
            #expect(try Self.json(revealed.body)["name"] as? String == "李四")
            let noReason = try await client.execute(uri: "/persons/\(Self.b)/reveal", method: .post, headers: Self.bearer("staff"), body: ByteBuffer(string: "{}"))
            #expect(noReason.status == .badRequest)
        }
        var reveals = 0
        for try await batch in store.readAll() {
            batch.withRecords { for r in $0 where r.typeIs("PersonalDataRevealed") { reveals += 1 } }
        }
        #expect(reveals == 1, "one reveal, recorded")
        try await store.close()
    }
}
