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
/// they disagree, the fuzzer stops with that input too. With `CAIRN_FUZZ_POSTGRES` set to a
/// server's URL, every query also goes through the PostgreSQL gate, on a database of its own
/// (`PostgresFuzzHarness`).
///
/// Build and run (see docs/RELIABILITY.md):
///   swift build -c release --scratch-path .build-fuzz --product cairn-fuzz \
///     -Xswiftc -sanitize=fuzzer -Xswiftc -DCAIRN_FUZZ
///   .build-fuzz/release/cairn-fuzz Tests/FuzzCorpus -runs=1000000
///   CAIRN_FUZZ_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres .build-fuzz/release/cairn-fuzz Tests/FuzzCorpus -runs=20000
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""
    let harness = FuzzHarness.shared
    let postgres = PostgresFuzzHarness.shared
    if case .success(let seed) = SeedParser.parse(text, id: "2026-01-01-fuzz", path: "fuzz.sql") {
        for block in seed.blocks + (seed.downBlocks ?? []) {
            harness.probe(block.sql)
            postgres?.probe(block.sql)
        }
    }
    harness.probe(text)
    postgres?.probe(text)
    JSONDifferential.check(text)
    return 0
}

/// Compares the store's JSON parser with `JSONDecoder` on the same text.
enum JSONDifferential {
    /// Aborts when the parsers give different values for a text both accept, or
    /// when one accepts what the other refuses and SQLite's strict `json_valid`
    /// sides with `JSONDecoder`. `JSONDecoder` is lenient in ways the store is not
    /// on purpose (trailing commas, a number like `090` in a repeated key it skips,
    /// NUL bytes it skips or stops at); SQLite 3.40's `json_valid`, RFC 8259 without
    /// JSON5, is the arbiter here.
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
        // A raw NUL byte is never valid JSON (not whitespace, and a control character in a
        // string), but JSONDecoder and SQLite both read some texts only up to it.
        if text.utf8.contains(0) {
            if parsed != nil { report(text, decoded: decoded, parsed: parsed, failure: nil) }
            return
        }
        switch (decoded, parsed) {
        case (nil, nil):
            return
        case (let decoded?, let parsed?):
            if !same(decoded, parsed) { report(text, decoded: decoded, parsed: parsed, failure: nil) }
        case (_?, nil) where failure?.reason.contains("appears twice in one object") == true:
            // A repeated member name: JSONDecoder and SQLite keep one of the two; the store refuses it.
            return
        case (_?, nil) where failure?.reason.hasPrefix("number out of range") == true:
            // Valid syntax, but a number no double holds (1e999): JSONDecoder refuses it too
            // where it reads it, and lets it through only in a repeated key it skips.
            return
        default:
            if FuzzHarness.shared.jsonValid(text) != (parsed != nil) {
                report(text, decoded: decoded, parsed: parsed, failure: failure)
            }
        }
    }

    /// Equal values; numbers are equal when they are the same integer, or else the same double
    /// to within a few units in the last place: past 2^53 one parser may keep `1e16` as an
    /// integer and the other as a double, and JSONDecoder drops the fraction of a literal
    /// like 9007199254740993.5 where the store rounds it to the nearest double.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func close(_ x: Double, _ y: Double) -> Bool { x == y || abs(x - y) <= max(abs(x), abs(y)) * 4 * .ulpOfOne }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y || (abs(x) >= 1 << 53 && close(Double(x), Double(y)))
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return close(Double(x), y)
        case (.double(let x), .double(let y)): return close(x, y)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func report(_ text: String, decoded: JSONValue?, parsed: JSONValue?, failure: JSONParseError?) -> Never {
        FileHandle.standardError.write(Data("""
            JSON parsers disagree on: \(text.debugDescription)
            JSONDecoder: \(decoded.map(\.jsonText) ?? "refused")
            JSONParser: \(parsed.map(\.jsonText) ?? "refused: \(failure.map(String.init(describing:)) ?? "")")
            SQLite json_valid: \(FuzzHarness.shared.jsonValid(text))

            """.utf8))
        abort()
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
                "cairn-fuzz: \(harness.probes) queries through the gate, \(harness.accepted) accepted and run unguarded, no write got through; the JSON parsers agreed on every input\n".utf8))
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

    /// SQLite's verdict on `text` as JSON (`json_valid`, strict RFC 8259 in 3.40).
    func jsonValid(_ text: String) -> Bool {
        var statement: OpaquePointer?
        sqlite3_prepare_v2(oracle, "SELECT json_valid(?)", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(statement, 1, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        return sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_int(statement, 0) == 1
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
