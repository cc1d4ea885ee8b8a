import EventLog

// What a ``EnrolmentTransferredOut`` means to the replay (``PersonFact``). A rare event: the replay decodes it fully.

extension EnrolmentTransferredOut {
    /// What the event means to the views.
    public var personFact: PersonFact { .transferredOut(insuranceType) }
}
