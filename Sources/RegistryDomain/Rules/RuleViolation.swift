import EventLog

/// A command refused by a registry rule: nothing was appended.
///
/// A struct with an open ``Rule`` naming the rule broken, so callers can match on it:
///
/// ```swift
/// catch let v as RuleViolation where v.rule == .alreadyEnrolled { ... }
/// ```
///
/// - Important: The ``message`` names types, tasks and states, never personal data; the stream shows masked.
public struct RuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// A registry rule.
    public struct Rule: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The rule's stable name.
        public var rawValue: String
        /// Creates a rule name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The rule's stable name.
        public var description: String { rawValue }

        /// The person (or employer) must be registered before anything else is recorded about them.
        public static let notRegistered = Rule(rawValue: "not-registered")
        /// A person or employer is registered once.
        public static let alreadyRegistered = Rule(rawValue: "already-registered")
        /// No second enrolment in a type while one is active (enrolled or interrupted).
        public static let alreadyEnrolled = Rule(rawValue: "already-enrolled")
        /// No interruption, termination or transfer out of a type the person is not enrolled in.
        public static let notEnrolled = Rule(rawValue: "not-enrolled")
        /// No resumption without an interruption.
        public static let notInterrupted = Rule(rawValue: "not-interrupted")
        /// An employer route needs the employer's credit code.
        public static let employerRequired = Rule(rawValue: "employer-required")
        /// After death only corrections, reviews, withdrawals, findings ended and terminations for death are recorded.
        public static let personDeceased = Rule(rawValue: "person-deceased")
        /// A survey task id is used once per person.
        public static let duplicateSurveyTask = Rule(rawValue: "duplicate-survey-task")
        /// Observations and reviews refer to a dispatched task.
        public static let unknownSurveyTask = Rule(rawValue: "unknown-survey-task")
        /// An observation is recorded only on a task waiting for a visit (dispatched or sent back).
        public static let surveyTaskNotOpen = Rule(rawValue: "survey-task-not-open")
        /// A review only of a recorded observation.
        public static let observationNotRecorded = Rule(rawValue: "observation-not-recorded")
        /// The street reviews before the district.
        public static let streetReviewFirst = Rule(rawValue: "street-review-first")
        /// A task the district confirmed is closed.
        public static let surveyTaskClosed = Rule(rawValue: "survey-task-closed")
        /// A rejection needs a reason.
        public static let reasonRequired = Rule(rawValue: "reason-required")
        /// An observation names at least one surveyor and a device (002 art. 18, 20, 33).
        public static let surveyorRequired = Rule(rawValue: "surveyor-required")
        /// A status mark's reason code must be in the configured list for that mark.
        public static let unknownReasonCode = Rule(rawValue: "unknown-reason-code")
        /// A correction changes at least one field, with a valid value for fields that have a form.
        public static let invalidCorrection = Rule(rawValue: "invalid-correction")
        /// A mark is withdrawn, or a finding ended, only while it is set; a death is undone by a vital-status correction.
        public static let notSet = Rule(rawValue: "not-set")
        /// The event belongs in another stream.
        public static let wrongStream = Rule(rawValue: "wrong-stream")
        /// An employer screening task id is used once per employer.
        public static let duplicateScreeningTask = Rule(rawValue: "duplicate-screening-task")
        /// A screening outcome names a task dispatched on this employer.
        public static let unknownScreeningTask = Rule(rawValue: "unknown-screening-task")
        /// A screening outcome may not follow the task's state (see `EmployerScreeningTask.State`).
        public static let screeningStepNotAllowed = Rule(rawValue: "screening-step-not-allowed")
        /// A screening task names at least one reason.
        public static let screeningReasonRequired = Rule(rawValue: "screening-reason-required")
        /// A target's period runs forwards, its value is a finite number at least 0, and a rate is at most 100.
        public static let invalidTarget = Rule(rawValue: "invalid-target")
        /// The event's data contradicts itself (such as a screening with more unenrolled staff than staff).
        public static let inconsistentData = Rule(rawValue: "inconsistent-data")

        /// Every rule this build checks, for the rejection catalogue (docs/REJECTIONS.md).
        public static let all: [Rule] = [
            .notRegistered, .alreadyRegistered, .alreadyEnrolled, .notEnrolled, .notInterrupted, .employerRequired,
            .personDeceased, .duplicateSurveyTask, .unknownSurveyTask, .surveyTaskNotOpen, .observationNotRecorded,
            .streetReviewFirst, .surveyTaskClosed, .reasonRequired, .surveyorRequired, .unknownReasonCode,
            .invalidCorrection, .notSet, .wrongStream, .inconsistentData, .duplicateScreeningTask, .unknownScreeningTask,
            .screeningStepNotAllowed, .screeningReasonRequired, .invalidTarget,
        ]
    }

    /// The rule broken.
    public var rule: Rule
    /// What was refused and why, without personal data.
    public var message: String
    /// The stream the command was for (shown masked).
    public var stream: StreamID?

    /// Creates a violation.
    public init(_ rule: Rule, _ message: String, stream: StreamID? = nil) {
        self.rule = rule
        self.message = message
        self.stream = stream
    }

    /// `already-enrolled: ... [stream person-1201**********0024]`
    public var description: String {
        var text = "\(rule): \(message)"
        if let stream { text += " [stream \(stream.masked)]" }
        return text
    }
}
