import Foundation
import EventLog

// The binary payload form of ``SurveyObservationRecorded``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`SurveyObservationRecorded+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

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
