import Foundation

/// How every connection of a store is made: the libpq connection string, the `application_name` it shows in
/// `pg_stat_activity`, and the connect timeout.
package struct PGConnectionOptions: Sendable {
    /// A libpq connection string (`host=… dbname=…`) or URI (`postgresql://…`); empty for the `PG*` variables.
    package var connectionString: String
    /// Shown in `pg_stat_activity` unless the connection string or `PGAPPNAME` names one; when nil, each
    /// connection is named by its role (``naming(_:)``).
    package var applicationName: String?
    /// The connection's role, such as `event_log.writer`: its name when ``applicationName`` is nil.
    package var role: String?
    /// Seconds libpq waits for a connection (`connect_timeout`) unless the connection string or
    /// `PGCONNECT_TIMEOUT` gives one.
    package var connectTimeoutSeconds: Int

    /// Creates options.
    package init(_ connectionString: String, applicationName: String? = nil, connectTimeoutSeconds: Int = 10) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// The same options for a connection of this role.
    package func naming(_ role: String) -> PGConnectionOptions {
        var copy = self
        copy.role = role
        return copy
    }

    /// Connects.
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/connection``.
    package func connect() throws(PostgresError) -> PGConnection {
        try PGConnection(
            connectionString, applicationName: applicationName ?? role.map { "registry-\($0)" },
            connectTimeoutSeconds: connectTimeoutSeconds)
    }
}
