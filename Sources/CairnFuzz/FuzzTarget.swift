import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import GRDBSQLite

/// libFuzzer entry point for the seed parser and the read-only gate.
///
/// Each input is parsed as a seed file (it must never crash), and its raw text and
/// every parsed block go through the gate. When the gate accepts a query, the query
/// is run on a plain, writable connection inside a transaction: if it changed
/// anything, the gate let a write through, and the fuzzer stops with that input.
///
/// Build and run (see docs/RELIABILITY.md):
///   swift build -c release --scratch-path .build-fuzz --product cairn-fuzz \
///     -Xswiftc -sanitize=fuzzer -Xswiftc -DCAIRN_FUZZ
///   .build-fuzz/release/cairn-fuzz Tests/FuzzCorpus -runs=1000000
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""
    let harness = FuzzHarness.shared
    if case .success(let seed) = SeedParser.parse(text, id: "2026-01-01-fuzz", path: "fuzz.sql") {
        for block in seed.blocks + (seed.downBlocks ?? []) {
            harness.probe(block.sql)
        }
    }
    harness.probe(text)
    return 0
}

/// A demo database, the gate over it, and an unguarded connection to catch bypasses.
final class FuzzHarness: @unchecked Sendable {
    static let shared = FuzzHarness()

    let gate: QueryGate
    let oracle: OpaquePointer
    var probes = 0
    var accepted = 0

    private init() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("fuzz.sqlite").path
        let store = try! EventStore(path: path, domain: DemoApplication.domain, mode: .createIfNeeded)
        _ = try! DemoGenerator().build(into: store, size: .small) { _ in }
        try! store.pool.close()
        gate = try! QueryGate(databasePath: path)
        var connection: OpaquePointer?
        precondition(sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        oracle = connection!
        // Stop runaway queries on the oracle after about a million VM steps.
        sqlite3_progress_handler(oracle, 1_000_000, { _ in 1 }, nil)
        atexit {
            let harness = FuzzHarness.shared
            FileHandle.standardError.write(Data(
                "cairn-fuzz: \(harness.probes) queries through the gate, \(harness.accepted) accepted and run unguarded, no write got through\n".utf8))
        }
    }

    /// Checks `sql` with the gate; when accepted, proves it writes nothing.
    func probe(_ sql: String) {
        probes += 1
        guard case .success = gate.check(sql) else { return }
        accepted += 1
        sqlite3_exec(oracle, "BEGIN", nil, nil, nil)
        let changesBefore = sqlite3_total_changes(oracle)
        let schemaBefore = schemaVersion()
        var statement: OpaquePointer?
        if sqlite3_prepare_v2(oracle, sql, -1, &statement, nil) == SQLITE_OK, let statement {
            var steps = 0
            while sqlite3_step(statement) == SQLITE_ROW && steps < 10_000 { steps += 1 }
            sqlite3_finalize(statement)
        }
        let changed = sqlite3_total_changes(oracle) != changesBefore || schemaVersion() != schemaBefore
            || sqlite3_get_autocommit(oracle) != 0
        sqlite3_exec(oracle, "ROLLBACK", nil, nil, nil)
        if changed {
            FileHandle.standardError.write(Data("read-only bypass: the gate accepted a statement that wrote:\n\(sql)\n".utf8))
            abort()
        }
    }

    private func schemaVersion() -> Int32 {
        var statement: OpaquePointer?
        sqlite3_prepare_v2(oracle, "PRAGMA schema_version", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        return sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1
    }
}

#if CAIRN_FUZZ
/// libFuzzer's driver, linked by -sanitize=fuzzer. SwiftPM gives executables an entry
/// point of their own, so the fuzzer is started from it rather than from libFuzzer's main.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Without the fuzzer, the executable only says how to build it with one.
@main
enum FuzzUsage {
    static func main() {
        print("""
            cairn-fuzz is a libFuzzer target. Build and run it with:
              swift build -c release --scratch-path .build-fuzz --product cairn-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DCAIRN_FUZZ
              .build-fuzz/release/cairn-fuzz Tests/FuzzCorpus -runs=1000000
            """)
    }
}
#endif
