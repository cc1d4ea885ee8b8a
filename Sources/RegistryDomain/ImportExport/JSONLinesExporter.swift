import Foundation
import EventLog

/// Exports a stream, a category or the whole log as JSON Lines (``JSONEventLine``) that import back to the same
/// log: same ids, types, schema versions, payloads, effective times and metadata.
///
/// Old schema versions are exported as stored (not upcast), so a re-import writes the same payload bytes.
/// Reads go batch by batch (``EventStore/readAll(from:filter:batchSize:)``); memory stays flat.
///
/// Records of the store's own operations streams (category ``operationsCategory``, such as the file store's
/// `ops-repair` record of a repair) describe that store, not the registry: the whole-log export leaves them out.
///
/// - Important: Lines carry full personal values: export files are confidential.
public struct JSONLinesExporter<Store: EventStore>: Sendable {
    /// The store exported from.
    public let store: Store
    /// Records per read.
    public var batchSize: Int

    /// Creates an exporter.
    public init(store: Store, batchSize: Int = 4096) {
        self.store = store
        self.batchSize = max(1, batchSize)
    }

    /// Exports one stream, oldest first.
    /// - Parameter write: called with each line (no trailing newline).
    /// - Returns: the number of lines.
    /// - Throws: ``EventFormatError`` for a record that is not a registry event, store errors, or `write`'s error.
    @discardableResult
    public func exportStream(_ stream: StreamID, to write: (String) throws -> Void) async throws -> Int {
        let encoder = JSONEventLine.makeEncoder()
        var count = 0
        for event in try await store.readStream(stream) {
            try write(try JSONEventLine(Self.checkedTimes(event)).jsonText(using: encoder))
            count += 1
        }
        return count
    }

    /// Exports every stream of a category (`person`, `employer`, `audit`) in global order.
    /// - Returns: the number of lines.
    /// - Throws: as ``exportStream(_:to:)``.
    @discardableResult
    public func exportCategory(_ category: String, to write: (String) throws -> Void) async throws -> Int {
        try await export(filter: .category(category), to: write)
    }

    /// Exports the whole log in global order.
    /// - Returns: the number of lines.
    /// - Throws: as ``exportStream(_:to:)``.
    @discardableResult
    public func exportAll(to write: (String) throws -> Void) async throws -> Int {
        try await export(filter: .all, to: write)
    }

    /// Exports the records a filter keeps as an array of lines (convenient for small exports and tests).
    /// - Throws: as ``exportStream(_:to:)``.
    public func lines(filter: LogFilter = .all) async throws -> [String] {
        var lines: [String] = []
        _ = try await export(filter: filter) { lines.append($0) }
        return lines
    }

    func export(filter: LogFilter, to write: (String) throws -> Void) async throws -> Int {
        let encoder = JSONEventLine.makeEncoder()
        var count = 0
        for try await batch in store.readAll(from: 1, filter: filter, batchSize: batchSize) {
            for event in batch.events where event.stream.category != Self.operationsCategory {
                try write(try JSONEventLine(Self.checkedTimes(event)).jsonText(using: encoder))
                count += 1
            }
        }
        return count
    }

    /// The category of a store's operations streams (`ops-…`), left out of whole-log exports.
    public static var operationsCategory: String { "ops" }

    /// The event, when its times can be written as ISO 8601 (years 1 to 9999).
    /// - Throws: ``EventFormatError`` with code ``EventFormatError/Code/timeOutOfRange`` naming the position.
    static func checkedTimes(_ event: RecordedEvent) throws(EventFormatError) -> RecordedEvent {
        for (name, time) in [("effective", event.effectiveTime), ("recorded", event.recordedTime)] where !time.isInCalendarRange {
            throw EventFormatError(
                .timeOutOfRange,
                "the record at position \(event.position) has a\(name == "effective" ? "n" : "") \(name) time of \(time.microsecondsSinceEpoch) µs, outside years 1 to 9999: damage or tampering",
                stream: event.stream)
        }
        return event
    }
}
