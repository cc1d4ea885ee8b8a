import EventLog

// What a ``EnrolmentTerminated`` means to the replay (``PersonFact``). A rare event: the replay decodes it fully.

extension EnrolmentTerminated {
    /// What the event means to the views.
    public var personFact: PersonFact { .terminated(insuranceType) }
}
