extension PersonEnrolledV1 {
    /// The event as version 2 (``PersonEnrolled``).
    ///
    /// Version 1 recorded no route. It is derived: an employer means ``EnrolmentRoute/employer``; otherwise a
    /// resident scheme means ``EnrolmentRoute/resident`` and any other type ``EnrolmentRoute/flexibleEmployment``.
    /// No division was recorded.
    public func upcast() -> PersonEnrolled {
        let route: EnrolmentRoute =
            employer != nil ? .employer : (insuranceType.isResidentScheme ? .resident : .flexibleEmployment)
        return PersonEnrolled(insuranceType: insuranceType, route: route, employer: employer, division: nil)
    }
}
