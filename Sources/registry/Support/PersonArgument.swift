import Foundation
import EventLog
import RegistryDomain

/// A person named on the command line by their citizen ID number.
enum PersonArgument {
    /// Validates a citizen ID number argument.
    /// - Throws: ``CommandFailure`` naming the rule broken, with the number masked.
    static func citizenID(_ text: String) throws -> CitizenID {
        do {
            return try CitizenID(text.trimmingCharacters(in: .whitespaces))
        } catch {
            throw CommandFailure(
                "\(Masking.mask(text)) is not a valid citizen ID number: \(error)",
                fix: "give the 18-character citizen ID number (公民身份号码), with X as its last character when the check is 10")
        }
    }

    /// An employer's credit code, when the argument is one and not a valid citizen ID number (credit codes are
    /// public: no masking).
    static func employer(_ text: String) -> CreditCode? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard CitizenID(validating: t) == nil else { return nil }
        return CreditCode(validating: t)
    }
}
