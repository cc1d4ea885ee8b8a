import Foundation

/// Runs the built `registry` executable as a subprocess, the way an operator would.
///
/// The executable is found, in order: `REGISTRY_EXECUTABLE`; next to the running test binary (SwiftPM puts the
/// test bundle and the products in the same build directory); in a `debug` or `release` build directory of the
/// package (any `.build*` scratch path).
enum RegistryTool {
    /// What a run printed and how it ended.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The output lines, without the trailing empty one.
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty }

        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The executable's path.
    static func executable() throws -> String {
        if let path = located { return path }
        throw NotFound(description: "the registry executable was not found (build it, or set REGISTRY_EXECUTABLE); looked in: \(candidates.joined(separator: ", "))")
    }

    private static let located: String? = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }

    private static var candidates: [String] {
        var list: [String] = []
        if let named = ProcessInfo.processInfo.environment["REGISTRY_EXECUTABLE"], !named.isEmpty { list.append(named) }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: selfPath).deletingLastPathComponent()
        // macOS: …/debug/X.xctest/Contents/MacOS/X
        for _ in 0..<4 {
            list.append(dir.appendingPathComponent("registry").path)
            dir = dir.deletingLastPathComponent()
        }
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { list.append(bundle.appendingPathComponent("registry").path) }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if let scratch = try? FileManager.default.contentsOfDirectory(atPath: package.path).filter({ $0.hasPrefix(".build") }).sorted() {
            for s in scratch {
                list.append(package.path + "/\(s)/debug/registry")
                list.append(package.path + "/\(s)/release/registry")
            }
        }
        return list
    }

    /// Runs `registry` with arguments in a directory.
    /// - Parameters:
    ///   - arguments: the arguments after `registry`.
    ///   - directory: the working directory.
    ///   - input: standard input (empty by default).
    ///   - environment: variables set (or, with an empty value, removed) for this run.
    static func run(_ arguments: [String], in directory: URL, input: Data = Data(), environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value.isEmpty ? nil : value }
        process.environment = env
        process.currentDirectoryURL = directory
        // Outputs go to files: no pipe can fill up and block the child.
        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent(".out-\(id)"), errURL = directory.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        inputPipe.fileHandleForWriting.write(input)
        try inputPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

extension Array where Element == String {
    var dropLastIfEmpty: [String] { last == "" ? Array(dropLast()) : self }
}
