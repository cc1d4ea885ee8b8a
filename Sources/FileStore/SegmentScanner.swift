import EventLog

/// Walks the records of a segment file from its header to its end, checking each frame.
struct SegmentScanner {
    /// How a scan ended.
    enum Ending: Equatable {
        /// At the end of the file, after a whole record.
        case clean
        /// Inside a record that was never completely written (a torn tail): safe to cut at `offset`.
        case torn(offset: Int)
        /// At a record that is complete but wrong: damage, never to be returned as data.
        case damaged(offset: Int, reason: String)
    }

    struct Result {
        var recordCount = 0
        /// The offset just past the last whole, valid record.
        var dataEnd = SegmentFormat.headerSize
        var ending = Ending.clean
        var lastHash: RecordHash?
    }

    let file: POSIXFile
    let firstPosition: LogPosition
    var chunkSize = 8 << 20

    /// Scans the segment, calling `visit` with each valid record and the offset of its frame.
    func scan(from start: Int = SegmentFormat.headerSize, startingPosition: LogPosition? = nil,
              visit: (RecordView, Int) throws -> Void) throws -> Result {
        let fileSize = try file.size
        var result = Result()
        result.dataEnd = start
        var expected = startingPosition ?? firstPosition
        var offset = start
        while offset < fileSize {
            let want = min(chunkSize, fileSize - offset)
            let chunk = try file.read(count: want, at: offset)
            let atEOF = offset + chunk.count >= fileSize
            var consumed = 0
            var stop: Ending?
            var needMore = 0
            try chunk.withUnsafeBytes { raw in
                while consumed < raw.count {
                    switch SegmentFormat.checkFrame(raw, at: consumed) {
                    case .record(let bodyOffset, let length):
                        let view = RecordView(body: UnsafeRawBufferPointer(rebasing: raw[bodyOffset..<(bodyOffset + length)]))
                        guard view.position == expected else {
                            stop = .damaged(offset: offset + consumed, reason: "the record holds position \(view.position) where \(expected) belongs")
                            return
                        }
                        try visit(view, offset + consumed)
                        result.recordCount += 1
                        result.lastHash = view.hash
                        expected += 1
                        consumed = bodyOffset + length
                        result.dataEnd = offset + consumed
                    case .truncated:
                        if atEOF {
                            stop = .torn(offset: offset + consumed)
                        } else {
                            // The frame continues in the next chunk.
                            if consumed == 0, raw.count >= SegmentFormat.frameHeaderSize {
                                needMore = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))) + SegmentFormat.frameHeaderSize
                            }
                        }
                        return
                    case .damaged(let reason):
                        stop = .damaged(offset: offset + consumed, reason: reason)
                        return
                    }
                }
            }
            if let stop {
                if case .damaged(let at, _) = stop, try isZero(from: at, to: fileSize) {
                    result.ending = .torn(offset: at)
                } else {
                    result.ending = stop
                }
                return result
            }
            if consumed == 0 {
                // One frame larger than the chunk: read it whole.
                let frame = try file.read(count: min(max(needMore, want * 2), fileSize - offset), at: offset)
                let check = frame.withUnsafeBytes { SegmentFormat.checkFrame($0, at: 0) }
                switch check {
                case .record:
                    var big = self
                    big.chunkSize = frame.count
                    let rest = try big.scan(from: offset, startingPosition: expected, visit: visit)
                    result.recordCount += rest.recordCount
                    result.dataEnd = rest.dataEnd
                    result.ending = rest.ending
                    result.lastHash = rest.lastHash ?? result.lastHash
                    return result
                case .truncated:
                    result.ending = .torn(offset: offset)
                    return result
                case .damaged(let reason):
                    result.ending = try isZero(from: offset, to: fileSize) ? .torn(offset: offset) : .damaged(offset: offset, reason: reason)
                    return result
                }
            }
            offset += consumed
        }
        return result
    }

    private func isZero(from start: Int, to end: Int) throws -> Bool {
        var offset = start
        while offset < end {
            let chunk = try file.read(count: min(1 << 20, end - offset), at: offset)
            if chunk.contains(where: { $0 != 0 }) { return false }
            offset += chunk.count
        }
        return true
    }
}
