import Foundation

/// Python's `eventsourcing` library doing the bench's apply on SQLite, in its best mode:
/// the script `Benchmarks/peers/eventsourcing_apply.py`, run as a child process.
///
/// `build` writes the peer's own store once (memberships with three events of history);
/// each `apply` copies it and gives every aggregate one more event, 256 aggregates per
/// save (one transaction each: the library's fastest mode here, see docs/PERFORMANCE.md),
/// and returns the seconds the script measured around that loop, without the
/// interpreter's start.
struct PythonPeer {
    /// The interpreter, `python3` unless `--python` says otherwise.
    let python: String
    /// The peer script.
    let script: String
    /// The library's version, as the script reports it.
    private(set) var version = "?"

    /// A peer that runs `script` with `python`; fails with what to install when the library is missing.
    init(python: String, script: String) throws {
        self.python = python
        self.script = script
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchError("--peer: the peer script \(script) is not there; run cairn-bench from the package's folder")
        }
        let probe = try Self.run([python, "-c", "from importlib import metadata; print(metadata.version('eventsourcing'))"])
        guard probe.status == 0 else {
            throw BenchError("--peer needs Python's eventsourcing library for \(python): pip install eventsourcing==9.5.6")
        }
        version = probe.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes the peer's store of `aggregates` memberships.
    func build(store: String, aggregates: Int) throws {
        for file in [store, store + "-wal", store + "-shm", store + ".ids.json"] { try? FileManager.default.removeItem(atPath: file) }
        let result = try Self.run([python, script, "build", "--store", store, "--aggregates", String(aggregates)])
        guard result.status == 0 else { throw BenchError("the Python peer could not build its store: \(result.output)") }
    }

    /// Applies the workload to a fresh copy of `store` at `copy`; returns the seconds it took.
    func apply(store: String, copy: String) throws -> Double {
        for file in [copy, copy + "-wal", copy + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        let result = try Self.run([python, script, "apply", "--store", copy, "--batch", "256"])
        guard result.status == 0, let data = result.output.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let seconds = object["seconds"] as? Double else {
            throw BenchError("the Python peer's apply failed: \(result.output)")
        }
        return seconds
    }

    /// Runs `arguments` and returns its exit status and its standard output and error together.
    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The script in this package's source tree.
    static var defaultScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/peers/eventsourcing_apply.py").path
    }
}
