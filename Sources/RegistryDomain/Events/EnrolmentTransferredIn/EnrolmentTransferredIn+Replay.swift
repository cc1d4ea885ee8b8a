import EventLog

// What a ``EnrolmentTransferredIn`` means to the replay (``PersonFact``). A rare event: the replay decodes it fully.

extension EnrolmentTransferredIn {
    /// What the event means to the views.
    public var personFact: PersonFact { .transferredIn(insuranceType) }
}
