import CLibPQ

/// The PostgreSQL type OIDs this package sends and reads in binary form.
public enum PGType {
    public static let bool: Oid = 16
    public static let bytea: Oid = 17
    public static let int8: Oid = 20
    public static let int2: Oid = 21
    public static let int4: Oid = 23
    public static let text: Oid = 25
    public static let jsonb: Oid = 3802
    public static let timestamptz: Oid = 1184
    public static let uuid: Oid = 2950
    public static let textArray: Oid = 1009
    public static let uuidArray: Oid = 2951

    /// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01T00:00:00Z.
    public static let postgresEpochOffsetMicroseconds: Int64 = 946_684_800_000_000
}
