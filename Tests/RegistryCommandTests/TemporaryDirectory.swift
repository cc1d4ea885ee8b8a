import Foundation

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes a file in the directory.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Runs `registry` here.
    func registry(_ arguments: String..., input: String = "") throws -> RegistryTool.Result {
        try RegistryTool.run(arguments, in: url, input: Data(input.utf8))
    }

    /// Runs `registry` here with an argument array.
    func registry(arguments: [String], input: String = "") throws -> RegistryTool.Result {
        try RegistryTool.run(arguments, in: url, input: Data(input.utf8))
    }

    /// Runs `registry` here with environment variables set (an empty value removes one).
    func registry(_ arguments: String..., environment: [String: String], input: String = "") throws -> RegistryTool.Result {
        try RegistryTool.run(arguments, in: url, input: Data(input.utf8), environment: environment)
    }
}
