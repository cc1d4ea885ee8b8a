/// The values of one row in `EventRow/columns` order, wherever they come from (a result, a COPY row).
protocol EventRowFields {
    /// The bytes of a column (empty for NULL); `row` is ignored by single-row sources.
    func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer
    /// Whether a column is NULL.
    func isNull(_ row: Int, _ column: Int) -> Bool
}

/// One row of a binary result.
struct ResultRow: EventRowFields {
    let result: PGResult
    let row: Int
    func bytes(_: Int, _ column: Int) -> UnsafeRawBufferPointer { result.bytes(row, column) }
    func isNull(_: Int, _ column: Int) -> Bool { result.isNull(row, column) }
}
