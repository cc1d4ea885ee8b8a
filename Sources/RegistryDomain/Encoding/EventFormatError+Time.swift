extension EventFormatError.Code {
    /// A stored time cannot be written as a calendar date (outside years 1 to 9999): damage or tampering.
    public static let timeOutOfRange = EventFormatError.Code(rawValue: "time-out-of-range")
}
