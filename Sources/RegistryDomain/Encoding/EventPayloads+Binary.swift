import Foundation
import EventLog

// The binary payload form of every event payload: the fields in declaration order, each in its
// `BinaryField` form (see BinaryPayloadWriter). Generated from one table, so the order never drifts.

extension PersonRegistered: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(citizenID)
        writer.write(name)
        writer.write(ethnicity)
        writer.write(hukouType)
        writer.write(hukouAddress)
        writer.write(hukouDivision)
        writer.write(residenceAddress)
        writer.write(residenceDivision)
        writer.write(phone)
        writer.write(employmentStatus)
        writer.write(source)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.citizenID = try reader.read()
        self.name = try reader.read()
        self.ethnicity = try reader.read()
        self.hukouType = try reader.read()
        self.hukouAddress = try reader.read()
        self.hukouDivision = try reader.read()
        self.residenceAddress = try reader.read()
        self.residenceDivision = try reader.read()
        self.phone = try reader.read()
        self.employmentStatus = try reader.read()
        self.source = try reader.read()
    }
}

extension PersonDataCorrected: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(corrections)
        writer.write(basis)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.corrections = try reader.read()
        self.basis = try reader.read()
        self.note = try reader.read()
    }
}

extension SourceObservationRecorded: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(department)
        writer.write(finding)
        writer.write(employer)
        writer.write(otherProvince)
        writer.write(reference)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.department = try reader.read()
        self.finding = try reader.read()
        self.employer = try reader.read()
        self.otherProvince = try reader.read()
        self.reference = try reader.read()
    }
}

extension PersonEnrolled: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(route)
        writer.write(employer)
        writer.write(division)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.route = try reader.read()
        self.employer = try reader.read()
        self.division = try reader.read()
    }
}

extension PersonEnrolledV1: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(employer)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.employer = try reader.read()
    }
}

extension ContributionInterrupted: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(reasonCode)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.reasonCode = try reader.read()
    }
}

extension ContributionResumed: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(route)
        writer.write(employer)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.route = try reader.read()
        self.employer = try reader.read()
    }
}

extension EnrolmentTerminated: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.reason = try reader.read()
    }
}

extension EnrolmentTransferredOut: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(destination)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.destination = try reader.read()
    }
}

extension EnrolmentTransferredIn: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(origin)
        writer.write(route)
        writer.write(employer)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.origin = try reader.read()
        self.route = try reader.read()
        self.employer = try reader.read()
    }
}

extension SurveyTaskDispatched: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(division)
        writer.write(reason)
        writer.write(assignee)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.division = try reader.read()
        self.reason = try reader.read()
        self.assignee = try reader.read()
    }
}

extension SurveyObservationRecorded: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(surveyorIDs)
        writer.write(deviceID)
        writer.write(visitedAt)
        writer.write(outcome)
        writer.write(name)
        writer.write(sex)
        writer.write(certificateNumber)
        writer.write(ethnicity)
        writer.write(phone)
        writer.write(employerName)
        writer.write(employerCode)
        writer.write(hukouType)
        writer.write(hukouPlace)
        writer.write(residence)
        writer.write(insuranceTypes)
        writer.write(reasonNotEnrolled)
        writer.write(employmentStatus)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.surveyorIDs = try reader.read()
        self.deviceID = try reader.read()
        self.visitedAt = try reader.read()
        self.outcome = try reader.read()
        self.name = try reader.read()
        self.sex = try reader.read()
        self.certificateNumber = try reader.read()
        self.ethnicity = try reader.read()
        self.phone = try reader.read()
        self.employerName = try reader.read()
        self.employerCode = try reader.read()
        self.hukouType = try reader.read()
        self.hukouPlace = try reader.read()
        self.residence = try reader.read()
        self.insuranceTypes = try reader.read()
        self.reasonNotEnrolled = try reader.read()
        self.employmentStatus = try reader.read()
    }
}

extension SurveyReviewed: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(level)
        writer.write(decision)
        writer.write(reviewerID)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.level = try reader.read()
        self.decision = try reader.read()
        self.reviewerID = try reader.read()
        self.reason = try reader.read()
    }
}

extension StatusMarked: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(mark)
        writer.write(reasonCode)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.mark = try reader.read()
        self.reasonCode = try reader.read()
        self.note = try reader.read()
    }
}

extension EmployerRegistered: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(creditCode)
        writer.write(name)
        writer.write(division)
        writer.write(isLabourDispatch)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.creditCode = try reader.read()
        self.name = try reader.read()
        self.division = try reader.read()
        self.isLabourDispatch = try reader.read()
    }
}

extension EmployerScreened: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(campaign)
        writer.write(staffCount)
        writer.write(unenrolledStaff)
        writer.write(suspectedLabourDispatch)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.campaign = try reader.read()
        self.staffCount = try reader.read()
        self.unenrolledStaff = try reader.read()
        self.suspectedLabourDispatch = try reader.read()
        self.note = try reader.read()
    }
}

extension PersonalDataRevealed: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(subject)
        writer.write(fields)
        writer.write(viewer)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.subject = try reader.read()
        self.fields = try reader.read()
        self.viewer = try reader.read()
        self.reason = try reader.read()
    }
}
