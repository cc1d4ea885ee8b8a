// Embedding the registry's event log in another Swift program: open the file store, append, replay.
import EventLog
import FileStore
import Foundation

let directory = CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory() + "embedding-example"
let store = try await FileEventStore.open(directory: directory)  // scans the log off the cooperative pool
let stream = try StreamID("person-120101198503170024")
let fact = ProposedEvent(type: "Noted", effectiveTime: .now, payload: Array("hello".utf8),
                         metadata: EventMetadata(actor: "example"))
let written = try await store.append([fact], to: stream, expecting: .any)
print("appended at position \(written.positions.lowerBound) as version \(written.streamVersion) of \(stream)")

var count = 0
for try await batch in store.readAll() {
    batch.withRecords { records in for record in records where record.typeIs("Noted") { count += 1 } }
}
print("replayed \(count) Noted events; \(await LogVerifier.verify(store))")
try await store.close()
