import ArgumentParser
import RegistryComparison
import EventLog
import RegistryDomain
import RegistryProjections

/// The exit statuses of `registry`, after sysexits(3), so that a cron job can tell "store locked, retry" from
/// "bad input" or "server down". Every status a command can end with is here, with its meaning (printed by
/// `registry --help` and listed in README); the mapping of errors to statuses is ``init(for:store:)``, in one place.
enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Done.
    case success = 0
    /// `verify` found damage (kept from earlier versions: scripts test for it).
    case damaged = 3
    /// EX_USAGE: a bad option or argument.
    case usage = 64
    /// EX_DATAERR: the data was refused: rejected import lines or feed rows (`import`, `compare`), an invalid citizen ID, a rule broken, a damaged
    /// or unreadable store a view cannot be built from.
    case dataError = 65
    /// EX_NOINPUT: no store where one was named, no input file, no facts about the person.
    case noInput = 66
    /// EX_UNAVAILABLE: the PostgreSQL server cannot be reached or failed.
    case unavailable = 69
    /// EX_SOFTWARE: an unexpected error (a bug: please report it).
    case software = 70
    /// EX_CANTCREAT: an output, checkpoint or demo store cannot be created.
    case cannotCreate = 73
    /// EX_IOERR: reading or writing failed (the file store's disk, the input, the output).
    case ioError = 74
    /// EX_TEMPFAIL: try again later: the store is locked by another writer, a concurrent append changed the
    /// stream, or the command was interrupted.
    case temporaryFailure = 75
    /// EX_NOPERM: permission denied (a PostgreSQL role without the privilege, a directory not writable).
    case noPermission = 77

    /// The status as ArgumentParser's exit code.
    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The list for `--help` and README: `  65  data error: …`.
    static var helpText: String {
        allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }

    /// What the status means, in a few words.
    var meaning: String {
        switch self {
        case .success: return "success"
        case .damaged: return "verify found damage"
        case .usage: return "usage error (bad option or argument)"
        case .dataError: return "data refused (rejected import lines or feed rows, invalid ID, rule broken, damaged store)"
        case .noInput: return "no such store, input file or person"
        case .unavailable: return "PostgreSQL server unavailable"
        case .software: return "unexpected error (a bug)"
        case .cannotCreate: return "cannot create an output file, checkpoint or store"
        case .ioError: return "input/output error"
        case .temporaryFailure: return "temporary failure: store locked by a writer, concurrent change, interrupted; retry"
        case .noPermission: return "permission denied"
        }
    }

    /// The status for an error a command met.
    init(for error: any Error, store: StoreLocation?) {
        switch error {
        case let failure as CommandFailure:
            self = failure.status
        case let e as EventLogError:
            self.init(eventLog: e, store: store)
        case is IdentifierError, is RuleViolation, is EventFormatError, is ProjectionError:
            self = .dataError
        case let e as ComparisonError:
            switch e.code {
            case .unreadableFeed: self = .noInput
            case .invalidArgument: self = .usage
            default: self = .dataError  // a bad header, encoding, quoting or mapping: the feed's data
            }
        case is CancellationError:
            self = .temporaryFailure
        default:
            self = .software
        }
    }

    /// The status for an event-log error, by its code.
    init(eventLog e: EventLogError, store: StoreLocation?) {
        switch e.code {
        case .storeLocked, .wrongExpectedVersion: self = .temporaryFailure
        case .corruptRecord, .hashChainBroken, .unsupportedFormat, .invalidEvent, .invalidStreamID, .duplicateEventID:
            self = .dataError
        case .unavailable: self = .unavailable
        case .permissionDenied: self = .noPermission
        case .storeNotFound: self = .noInput
        case .invalidArgument: self = .usage
        case .ioFailure:
            if case .postgres = store {
                self = .unavailable
            } else {
                self = e.message.contains("Permission denied") ? .noPermission : .ioError
            }
        default: self = .software
        }
    }
}
