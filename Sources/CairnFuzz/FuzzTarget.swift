import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import GRDBSQLite

/// libFuzzer entry point for the seed parser, the read-only gate and the JSON parser.
///
/// Each input is parsed as a seed file (it must never crash), and its raw text and
/// every parsed block go through the gate. When the gate accepts a query, the query
/// is run on a plain, writable connection inside a transaction: if it changed
/// anything, the gate let a write through, and the fuzzer stops with that input.
/// The same text also goes to the store's JSON parser and to `JSONDecoder`: when
/// they disagree, the fuzzer stops with that input too.
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
    JSONDifferential.check(text)
    return 0
}

/// Compares the store's JSON parser with `JSONDecoder` on the same text.
enum JSONDifferential {
    /// Aborts when the two disagree: one accepts what the other refuses (other than the
    /// trailing comma the store refuses on purpose), or they give different JSON text.
    static func check(_ text: String) {
        let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let parsed: JSONValue?
        var failure: JSONParseError?
        do { parsed = try JSONValue(parsing: text) } catch let error as JSONParseError {
            parsed = nil
            failure = error
        } catch {
            parsed = nil
        }
        switch (decoded, parsed) {
        case (nil, nil):
            return
        case (let decoded?, let parsed?) where decoded.jsonText == parsed.jsonText:
            return
        case (_?, nil) where failure.map { isTrailingComma(text, at: $0.offset) } == true:
            return
        default:
            FileHandle.standardError.write(Data("""
                JSON parsers disagree on: \(text.debugDescription)
                JSONDecoder: \(decoded.map(\.jsonText) ?? "refused")
                JSONParser: \(parsed.map(\.jsonText) ?? "refused: \(failure.map(String.init(describing:)) ?? "")")

                """.utf8))
            abort()
        }
    }

    /// True when the byte at `offset` closes an array or object right after a comma.
    static func isTrailingComma(_ text: String, at offset: Int?) -> Bool {
        guard let offset else { return false }
        let bytes = Array(text.utf8)
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "]") || bytes[offset] == UInt8(ascii: "}") else { return false }
        var before = offset - 1
        while before >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[before]) { before -= 1 }
        return before >= 0 && bytes[before] == UInt8(ascii: ",")
    }
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
