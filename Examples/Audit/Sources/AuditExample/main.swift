// An audit of one disputed record: `swift run AuditExample [STORE-DIR [CITIZEN-ID MOMENT]]`.
//
// With a store, a citizen ID and a moment (an ISO 8601 instant, such as 2024-02-01T00:00:00Z), it replays that
// person's facts as the registry knew them at the moment (recorded by then), then lists what was recorded since and
// by whom. With a directory alone it first writes a small history there (a person registered by the police, enrolled,
// moved and corrected by one operator, interrupted by another), each fact recorded on its own day, and audits it.
// Every personal value is printed masked.
import EventLog
import FileStore
import Foundation
import RegistryDomain
import RegistryProjections
import Synchronization

let arguments = Array(CommandLine.arguments.dropFirst())
let directory = arguments.first ?? NSTemporaryDirectory() + "registry-audit-example"

/// A clock the example moves, so that each fact is recorded on the day it says.
final class ExampleClock: Sendable {
    let now = Mutex(Timestamp(iso8601: "2024-01-10T09:00:00Z")!)
    func set(_ text: String) { now.withLock { $0 = Timestamp(iso8601: text)! } }
    var read: @Sendable () -> Timestamp { { self.now.withLock { $0 } } }
}

let person: CitizenID
let moment: Timestamp
if arguments.count >= 3 {
    person = try CitizenID(arguments[1])
    guard let given = Timestamp(iso8601: arguments[2]) else { throw EventLogError(.invalidArgument, "the moment is not an ISO 8601 instant") }
    moment = given
} else {
    person = try CitizenID("120101198503170024")
    moment = Timestamp(iso8601: "2024-02-01T00:00:00Z")!
    try? FileManager.default.removeItem(atPath: directory)
    let clock = ExampleClock()
    let writer = try await FileEventStore.open(directory: directory, options: .init(clock: clock.read))
    let importer = JSONLinesImporter(store: writer)
    let history: [(recorded: String, line: String)] = [
        ("2024-01-10T09:00:00Z", #"{"actor":"source:police","data":{"citizenID":"120101198503170024","employmentStatus":"employed","hukouAddress":"天津市和平区南京路123号","hukouDivision":"120101","name":"张三","phone":"13812345678","residenceAddress":"天津市和平区南营门街道1号","residenceDivision":"120101001001","source":"publicSecurity"},"effective":"2024-01-10","id":"6F1C1E64-2B7A-4A43-9A51-0000000000A1","stream":"person-120101198503170024","type":"PersonRegistered","version":1}"#),
        ("2024-01-15T10:00:00Z", #"{"actor":"operator:ops-1","data":{"employer":"91350100M000100Y43","insuranceType":"employeePension","route":"employer"},"effective":"2024-01-15","id":"6F1C1E64-2B7A-4A43-9A51-0000000000A2","stream":"person-120101198503170024","type":"PersonEnrolled","version":2}"#),
        ("2024-03-02T11:00:00Z", #"{"actor":"operator:ops-1","data":{"basis":"personalDeclaration","corrections":[{"field":"phone","value":"13900001111"},{"field":"residenceDivision","value":"120101001002"}],"note":"moved"},"effective":"2024-03-01","id":"6F1C1E64-2B7A-4A43-9A51-0000000000A3","stream":"person-120101198503170024","type":"PersonDataCorrected","version":1}"#),
        ("2024-05-03T08:30:00Z", #"{"actor":"operator:ops-2","data":{"insuranceType":"employeePension","reasonCode":"left-employer"},"effective":"2024-05-01","id":"6F1C1E64-2B7A-4A43-9A51-0000000000A4","stream":"person-120101198503170024","type":"ContributionInterrupted","version":1}"#),
    ]
    for (recorded, line) in history {
        clock.set(recorded)
        let report = try await importer.importText(line)
        guard report.rejectedCount == 0 else { throw EventLogError(.invalidEvent, "the example history was refused: \(report)") }
    }
    try await writer.close()
}

// The audit reads only: it opens the store read-only, so it can run beside the writing service.
let store = try await FileEventStore.open(directory: directory, options: .init(readOnly: true))
let events = try await store.readStream(StreamID.person(person))
guard !events.isEmpty else { throw EventLogError(.invalidArgument, "no facts about \(person.masked) in \(directory)") }

let then = try RegistryFold.explain(events, cutoff: ReplayCutoff(recordedBy: moment))
let now = try RegistryFold.explain(events)
let known = Set(events.filter { $0.recordedTime <= moment }.map(\.position))

print("Audit of \(person.masked) in \(directory)")
print("\nAs the registry knew it at \(moment) (\(known.count) facts recorded by then):")
for conclusion in then.conclusions { print("  \(conclusion)") }

let since = now.steps.filter { !known.contains($0.position) }
print("\nRecorded since (\(since.count)):")
for step in since {
    let event = try RegistryEvent.decode(events.first { $0.position == step.position }!)
    print("  position \(step.position), recorded \(step.recorded) by \(step.actor), effective \(step.effective): \(step.type)")
    print("    \(event.description)")
    for change in step.changes { print("    changed: \(change)") }
}

print("\nAs it stands now:")
for conclusion in now.conclusions { print("  \(conclusion)") }
print("\n\(await LogVerifier.verify(store))")
try await store.close()
