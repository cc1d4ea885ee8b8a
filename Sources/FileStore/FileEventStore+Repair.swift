import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileEventStore {
    /// What ``repair(directory:actor:options:)`` found and did.
    public struct RepairReport: Sendable, Hashable {
        /// The damage found, or nil when the log was whole (then nothing was moved).
        public var damage: EventLogError?
        /// The records kept: positions 1 through this one.
        public var keptRecords: LogPosition
        /// The folder, relative to the store, where the damaged segment and every later one were moved.
        public var folder: String?
        /// The segment and index files moved into ``folder``.
        public var setAside: [String] = []
        /// The segment rewritten with the whole records before the damage, if the damaged one held any.
        public var rewritten: String?
        /// Index files rewritten because they did not match their segments.
        public var indexesRebuilt: Int = 0
        /// Where the repair was recorded in the log (stream ``repairStream``), when something was repaired.
        public var recordedAt: LogPosition?

        /// What was done, one line per step, for people.
        public var lines: [String] {
            guard let damage else {
                return ["no damage found: the log is whole up to position \(keptRecords); nothing was moved"]
                    + (indexesRebuilt > 0 ? ["rewrote \(indexesRebuilt) index file(s) that did not match their segments"] : [])
            }
            var out = ["found: \(damage)"]
            if let folder { out.append("moved \(setAside.joined(separator: ", ")) to \(folder)/ (kept there unchanged)") }
            if let rewritten { out.append("wrote \(rewritten) again with the whole records before the damage") }
            out.append("kept positions 1 to \(keptRecords); the next append takes position \(keptRecords + 2)")
            if indexesRebuilt > 0 { out.append("rewrote \(indexesRebuilt) index file(s) that did not match their segments") }
            if let recordedAt { out.append("recorded the repair at position \(recordedAt) (stream \(FileEventStore.repairStream), event LogRepaired)") }
            return out
        }
    }

    /// The stream where a repair is recorded.
    public static let repairStream = "ops-repair"

    /// Repairs a damaged store: keeps every whole record before the first damage, sets the rest aside, and records
    /// the repair in the log.
    ///
    /// The whole log is walked as `verify` does (headers, frames, positions, the hash chain). At the first damage,
    /// the segment holding it and every later segment (with their index files) are moved, unchanged, into
    /// `damaged/<time>/` inside the store; the damaged segment is written again with its whole records before the
    /// damage (to a temporary file, synced, renamed). Then the store is opened for writing (which rewrites index
    /// files that do not match their segments) and a `LogRepaired` event is appended to ``repairStream``, saying
    /// what was found, kept and moved. A log without damage is left as it is.
    ///
    /// - Important: Records after the damage are no longer in the log: they stay in the `damaged/` folder for an
    ///   operator to recover from another copy (an export, a backup) and re-import.
    /// - Parameters:
    ///   - directory: the store.
    ///   - actor: who repairs, recorded in the event's metadata.
    ///   - options: store options (the clock names the folder and times the event).
    /// - Throws: `EventLogError` (`EventLogError/Code/storeNotFound`, `EventLogError/Code/storeLocked`,
    ///   `EventLogError/Code/unsupportedFormat`, `EventLogError/Code/ioFailure`).
    public static func repair(directory: String, actor: String = "", options: Options = Options()) async throws -> RepairReport {
        let numbers = try Recoverer.segmentNumbers(directory)
        guard !numbers.isEmpty else {
            throw EventLogError(.storeNotFound, "the directory holds no store (no segment files)", location: directory)
        }
        let lock = try WriterLock(directory: directory)
        var found = try findFirstDamage(directory: directory, numbers: numbers)
        var report = RepairReport(damage: found?.damage, keptRecords: found?.kept ?? 0)
        if var cut = found {
            var folder = "damaged/" + folderStamp(options.clock())
            if Directory.exists(directory + "/" + folder) {
                var n = 2
                while Directory.exists(directory + "/" + folder + "-\(n)") { n += 1 }
                folder += "-\(n)"
            }
            try Directory.create(directory + "/damaged")
            try Directory.create(directory + "/" + folder)
            let number = numbers[cut.segment]
            let name = SegmentFormat.segmentName(number)
            if cut.keepBytes > SegmentFormat.headerSize {
                let source = try POSIXFile.open(directory + "/" + name, flags: O_RDONLY)
                let kept = try source.read(count: cut.keepBytes, at: 0)
                let temporary = try POSIXFile.open(directory + "/" + name + ".tmp", flags: O_RDWR | O_TRUNC, create: true)
                try temporary.write(kept, at: 0)
                try temporary.fullSync()
                report.rewritten = name
            }
            for n in numbers[cut.segment...] {
                for file in [SegmentFormat.segmentName(n), SegmentFormat.indexName(n)] where Directory.exists(directory + "/" + file) {
                    try Directory.rename(directory + "/" + file, to: directory + "/" + folder + "/" + file)
                    report.setAside.append(file)
                }
            }
            if report.rewritten != nil {
                try Directory.rename(directory + "/" + name + ".tmp", to: directory + "/" + name)
            }
            try Directory.sync(directory + "/" + folder)
            try Directory.sync(directory)
            report.folder = folder
            cut.folder = folder
            found = cut
        }
        lock.release()

        let store = try FileEventStore(directory: directory, options: options)
        do {
            report.indexesRebuilt = store.recovery.indexesRebuilt
            if let damage = store.recovery.damage {
                throw EventLogError(damage.code, "the store is still damaged after the repair: \(damage.message)",
                                    position: damage.position, location: damage.location)
            }
            if let cut = found {
                var payload = "{\"damagedAt\":\(cut.damage.position ?? cut.kept + 1),\"code\":\"\(cut.damage.code)\""
                payload += ",\"reason\":\(jsonString(cut.damage.message)),\"location\":\(jsonString(cut.damage.location ?? ""))"
                payload += ",\"keptUpTo\":\(cut.kept),\"setAsideIn\":\(jsonString(cut.folder)),\"files\":["
                payload += report.setAside.map(jsonString).joined(separator: ",") + "]}"
                let event = ProposedEvent(type: "LogRepaired", effectiveTime: options.clock(), payload: Array(payload.utf8),
                                          metadata: EventMetadata(actor: actor))
                let result = try await store.append([event], to: try StreamID(repairStream))
                report.recordedAt = result.positions.lowerBound
            } else {
                report.keptRecords = try await store.headPosition()
            }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        return report
    }

    struct Cut {
        var segment: Int
        var keepBytes: Int
        var kept: LogPosition
        var damage: EventLogError
        var folder = ""
    }

    /// Walks every segment as `verify` would, from the genesis hash; the first damage and where to cut.
    static func findFirstDamage(directory: String, numbers: [UInt64]) throws -> Cut? {
        var head: LogPosition = 0
        var previous = RecordHash.genesis
        for (i, number) in numbers.enumerated() {
            let path = directory + "/" + SegmentFormat.segmentName(number)
            let file = try POSIXFile.open(path, flags: O_RDONLY)
            let headerBytes = try file.read(count: SegmentFormat.headerSize, at: 0)
            let isLast = i == numbers.count - 1
            if isLast && headerBytes.count < SegmentFormat.headerSize && headerBytes.allSatisfy({ $0 == 0 }) {
                return nil  // a segment whose creation was cut short: the normal open writes its header again
            }
            do {
                let header = try SegmentFormat.parseSegmentHeader(headerBytes, path: path)
                guard header.number == number, header.firstPosition == head + 1 else {
                    return Cut(segment: i, keepBytes: 0, kept: head, damage: EventLogError(
                        .corruptRecord, "the segment starts at position \(header.firstPosition) where \(head + 1) belongs",
                        position: head + 1, location: path))
                }
            } catch var error as EventLogError where error.code == .corruptRecord {
                error.position = head + 1
                return Cut(segment: i, keepBytes: 0, kept: head, damage: error)
            }
            var scanner = SegmentScanner(file: file, firstPosition: head + 1)
            scanner.chainFrom = previous
            let scan = try scanner.scan { _, _ in }
            let damage: EventLogError?
            switch scan.ending {
            case .clean:
                damage = nil
            case .torn where isLast:
                damage = nil  // a torn tail: the normal open cuts it
            case .torn(let offset):
                damage = EventLogError(.corruptRecord, "a sealed segment ends inside a record", position: head + LogPosition(scan.recordCount) + 1,
                                       location: "\(path) offset \(offset)")
            case .damaged(let offset, let reason):
                damage = EventLogError(.corruptRecord, reason, position: head + LogPosition(scan.recordCount) + 1, location: "\(path) offset \(offset)")
            case .chainBroken(let offset):
                damage = EventLogError(.hashChainBroken, "the record's chain hash does not follow from the previous record: it was altered",
                                       position: head + LogPosition(scan.recordCount) + 1, location: "\(path) offset \(offset)")
            }
            if let damage {
                return Cut(segment: i, keepBytes: scan.dataEnd, kept: head + LogPosition(scan.recordCount), damage: damage)
            }
            head += LogPosition(scan.recordCount)
            if let last = scan.lastHash { previous = last }
        }
        return nil
    }

    static func folderStamp(_ time: Timestamp) -> String {
        var t = time_t(time.microsecondsSinceEpoch.floorDividedBy(1_000_000))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

extension Int64 {
    fileprivate func floorDividedBy(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
