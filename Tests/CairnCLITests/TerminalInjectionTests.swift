import Foundation
import Testing

@Suite("Terminal injection: hostile text from the store is shown inert by every command")
struct TerminalInjectionTests {
    /// Bytes that must never reach a terminal from data: ESC, BEL, NUL, CSI as C1, bidi override.
    static func dangerous(_ data: Data) -> [String] {
        var found: [String] = []
        if data.contains(0x1B) { found.append("ESC") }
        if data.contains(0x07) { found.append("BEL") }
        if data.contains(0x00) { found.append("NUL") }
        if data.contains(0x0D) { found.append("CR") }
        let bytes = [UInt8](data)
        for index in bytes.indices.dropLast() where bytes[index] == 0xC2 && (0x80...0x9F).contains(bytes[index + 1]) {
            found.append("C1 U+00\(String(bytes[index + 1], radix: 16, uppercase: true))")
        }
        if let text = String(data: data, encoding: .utf8) {
            if text.unicodeScalars.contains(where: { $0.value == 0x202E }) { found.append("RLO") }
        } else {
            found.append("invalid UTF-8")
        }
        return found
    }

    @Test("a seed file name holding a newline cannot forge an output line: up, dry-run, status, verify and log show it as ^J")
    func fileNameCannotForgeLines() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        let forged = "✓ 2026-05-30-forged (1 ms, 0 events) — forged"
        try workspace.write("seeds/2026-05-30-x\n\(forged).sql", """
            -- description: x
            -- @write incident:write:open
            SELECT json_object('incidentId', 'a') AS payload WHERE 0;
            """)
        for command in ["up", "dry-run", "status", "verify", "log"] {
            let result = try CairnProcess.run([command, "--db", workspace.database], in: workspace.url)
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!lines.contains { $0.hasPrefix("✓ 2026-05-30-forged") }, "\(command) printed a forged line:\n\(result.output)")
            if command != "log" {
                #expect(result.output.contains("2026-05-30-x^J✓ 2026-05-30-forged"), "\(command):\n\(result.output)")
            }
        }
    }

    @Test("status, verify, dry-run, up, runs, log, skip and their JSON never emit control characters or escape sequences")
    func everyCommandIsInert() throws {
        let workspace = try Workspace()
        try buildDemo(in: workspace)
        let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}[31mred\u{9B}1m\u{202E}desrever\u{7F}"
        try workspace.write("seeds/2026-06-01-hostile.sql", """
            -- description: hostile \(hostile) description
            -- skippable: true
            -- @write incident:write:open
            SELECT json_object('incidentId', 'i-' || char(27) || '[1m', 'tenantId', 'acme',
                               'title', CAST(x'c0af1b5b3231' AS TEXT) || char(155) || char(7),
                               'severity', char(27) || ']52;c;ZXZpbA==' || char(7)) AS payload
            WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id LIKE 'i-%' || char(27) || '%');
            """)
        let commands: [[String]] = [
            ["status"], ["status", "--json"], ["verify"], ["dry-run"], ["dry-run", "--json"], ["up"], ["status"],
            ["runs"], ["runs", "--json"], ["log"], ["log", "--follow"],
            ["skip", "2026-06-01-hostile", "--reason", "because \(hostile)"], ["status"], ["status", "--json"],
            ["unskip", "2026-06-01-hostile"],
        ]
        var exercised = 0
        for command in commands {
            let outURL = workspace.url.appendingPathComponent(".raw-out"), errURL = workspace.url.appendingPathComponent(".raw-err")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            let process = try CairnProcess.start(command + ["--db", workspace.database], in: workspace.url, stdout: out, stderr: err)
            process.waitUntilExit()
            try out.close()
            try err.close()
            let bytes = try Data(contentsOf: outURL) + Data(contentsOf: errURL)
            #expect(Self.dangerous(bytes).isEmpty, "cairn \(command.joined(separator: " ")) emitted \(Self.dangerous(bytes)):\n\(String(decoding: bytes, as: UTF8.self))")
            exercised += bytes.isEmpty ? 0 : 1
        }
        #expect(exercised == commands.count, "every command printed something to check")
        let status = try workspace.cairn("status", "--db", workspace.database)
        #expect(status.stdout.contains("hostile ^[]0;owned^G^[[2J^[[31mred<9B>1m<U+202E>desrever^? description"))
        let log = try workspace.cairn("log", "--db", workspace.database)
        #expect(log.stdout.contains("^[]52;c;ZXZpbA==^G"), "the rejected value shows inert in the run's log: \(log.stdout)")
    }
}
