import CairnStore
import CairnText
import Dispatch
import Foundation
import GRDB
import Testing

/// A note on a shelf: a tiny domain of the embedding API's own, single-tenant.
private struct Note: Codable, Equatable {
    struct Author: Codable, Equatable { var name: String; var age: Int }
    var noteId: String
    var text: String
    var pinned: Bool
    var weight: Double
    var author: Author
}

private let write = QualifiedName(validated: "note:write:put")
private let desk = Actor(role: .admin, id: "desk")

private struct PutNote: CommandHandler {
    let name = write
    let access = AccessRule.roles(.admin)
    func handle(_ payload: Payload, in context: HandlerContext) throws {
        let note = try payload.decode(Note.self)
        let stream = try context.load(note.noteId)  // the default tenant
        try context.append([try NewEvent(type: "note.put", encoding: note)], to: stream, streamType: "note")
    }
}

/// Writes its table as the context names it: what every projection must do.
private struct NotesProjection: Projection {
    let name = "notes"
    let version = 1
    let tables = [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL", primaryKey: ["id"])]
    let eventTypes: Set<String> = ["note.put"]
    func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let note = try event.decodePayload(as: Note.self)
        try context.execute("""
            INSERT INTO \(context.table("notes")) (id, text) VALUES (?, ?)
            ON CONFLICT (id) DO UPDATE SET text = excluded.text
            """, [note.noteId, note.text])
    }
}

/// The mistake the rebuild must catch: the literal table name instead of `context.table`.
private struct LiteralNameProjection: Projection {
    let name = "notes"
    let version = 1
    let tables = [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL", primaryKey: ["id"])]
    let eventTypes: Set<String> = ["note.put"]
    func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        let note = try event.decodePayload(as: Note.self)
        try context.execute("INSERT INTO Notes (id, text) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET text = excluded.text",
                            [note.noteId, note.text])
    }
}

/// Writes somewhere else entirely: its own table stays empty in a rebuild.
private struct ElsewhereProjection: Projection {
    let name = "notes"
    let version = 1
    let tables = [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL", primaryKey: ["id"])]
    let eventTypes: Set<String> = ["note.put"]
    func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        try context.execute("CREATE TABLE IF NOT EXISTS note_log (id TEXT)")
        try context.execute("INSERT INTO note_log (id) VALUES (?)", [event.streamId])
    }
}

/// Adds a row and removes it for every event: a read model that is rightly empty after a rebuild.
private struct NetEmptyProjection: Projection {
    let name = "notes"
    let version = 1
    let tables = [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL", primaryKey: ["id"])]
    let eventTypes: Set<String> = ["note.put"]
    func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
        try context.execute("INSERT INTO \(context.table("notes")) (id, text) VALUES (?, 'x')", [event.streamId])
        try context.execute("DELETE FROM \(context.table("notes")) WHERE id = ?", [event.streamId])
    }
}

private func note(_ id: String, _ text: String = "hello") -> Note {
    Note(noteId: id, text: text, pinned: true, weight: 1.5, author: .init(name: "Ada", age: 36))
}

private func store(_ scratch: Scratch, _ projection: any Projection = NotesProjection()) throws -> EventStore {
    try EventStore(path: scratch.path("notes.sqlite"),
                   domain: Domain(handlers: [PutNote()], projections: [projection]), mode: .createIfNeeded)
}

@Suite("Embedding API")
struct EmbeddingAPITests {
    @Test("a Codable command round-trips through an event and its payload, in the default tenant")
    func codableRoundTrip() throws {
        let scratch = try Scratch()
        let notes = try store(scratch)
        let events = try notes.execute(Command(write, payload: try Payload(encoding: note("n1")), actor: desk))
        #expect(events.first?.tenantId == EventStream.defaultTenant)
        #expect(try events[0].decodePayload(as: Note.self) == note("n1"))
        #expect(try notes.query { try $0.scalar("SELECT text FROM notes WHERE id = 'n1'")?.string } == "hello")
        let payload = try Payload(encoding: note("n2"))
        #expect(try payload.bool("pinned") == true)
        #expect(try payload.double("weight") == 1.5)
        #expect(try Payload(parsing: #"{"n": 3}"#).double("n") == 3)
        #expect(try Payload(parsing: #"{"n": 3}"#).int("n") == 3)
    }

    @Test("decoding names the field at fault, nested fields and array elements by path")
    func decodingNamesTheField() throws {
        func rejection(_ json: String) -> HandlerRejection? {
            do { _ = try Payload(parsing: json).decode(Note.self); return nil } catch { return error as? HandlerRejection }
        }
        let base = #""noteId": "n", "text": "t", "pinned": true, "weight": 1"#
        #expect(rejection("{\(base)}")?.field == "author")
        #expect(rejection(#"{\#(base), "author": {"name": "A"}}"#)?.field == "author.age")
        #expect(rejection(#"{\#(base), "author": {"name": "A", "age": "36"}}"#)?.summary
            == "payload field 'author.age' should be an integer")
        #expect(rejection(#"{"noteId": "n", "text": "t", "pinned": 1, "weight": 1, "author": {"name": "A", "age": 3}}"#)?.field
            == "pinned")
        #expect(throws: HandlerRejection(field: "pinned", reason: "should be true or false, got a number")) {
            try Payload(parsing: #"{"pinned": 1}"#).bool("pinned")
        }
        #expect(throws: HandlerRejection(field: "n", reason: "should be an integer, got a number")) {
            try Payload(parsing: #"{"n": 2.5}"#).int("n")
        }
    }

    @Test("an Encodable that is not a JSON object, or holds a non-finite number, is refused before anything is written")
    func encodingRefusesWhatThePayloadCannotHold() throws {
        #expect(throws: HandlerRejection.self) { try Payload(encoding: "just a string") }
        #expect(throws: HandlerRejection.self) { try Payload(encoding: [1, 2]) }
        #expect(throws: HandlerRejection.self) { try Payload(encoding: ["x": Double.nan]) }
        #expect(throws: HandlerRejection.self) { try Payload(encoding: ["x": Double.infinity]) }
        // Integers stay integers, large ones exactly.
        let big = try Payload(encoding: ["n": Int64.max])
        #expect(big["n"] == .int(Int64.max))
    }

    @Test("async write, execute and query run on Cairn's own queue, never on the cooperative pool")
    func asyncWorkRunsOffTheCooperativePool() async throws {
        let scratch = try Scratch()
        let notes = try store(scratch)
        #expect(!BlockingWork.isCurrent)
        let onQueue = try await notes.write { transaction -> Bool in
            _ = try transaction.dispatch(Command(write, payload: try Payload(encoding: note("n1")), actor: desk))
            return BlockingWork.isCurrent
        }
        #expect(onQueue)
        // Many at once: each in its own transaction, none lost, and the caller never blocked.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 2...40 {
                group.addTask { try await notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)")), actor: desk)) }
            }
            try await group.waitForAll()
        }
        let count = try await notes.query { try $0.scalar("SELECT count(*) FROM notes")?.int }
        #expect(count == 40)
        #expect(try await notes.query { _ in BlockingWork.isCurrent })
        // The synchronous call runs where it is called.
        func synchronously() throws -> Bool { try notes.query { _ in BlockingWork.isCurrent } }
        #expect(try synchronously() == false)
    }

    @Test("a rebuild stops when a projection writes its live table by name, and the live table keeps its rows")
    func rebuildRefusesALiteralTableName() throws {
        let scratch = try Scratch()
        do {
            let notes = try store(scratch)
            for number in 1...30 { try notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)")), actor: desk)) }
        }
        let broken = try store(scratch, LiteralNameProjection())
        #expect {
            try ProjectionRebuilder(store: broken).rebuild(["notes"])
        } throws: { error in
            guard let refusal = error as? RebuildRefusal, case .wroteLiveTable(let table, _, _, _) = refusal.cause else { return false }
            return table.lowercased() == "notes" && refusal.summary.contains("context.table") == false
                && refusal.remedy?.contains("context.table(\"notes\")") == true && refusal.exitCode == 1
        }
        #expect(try broken.query { try $0.scalar("SELECT count(*) FROM notes")?.int } == 30)
        #expect(try broken.query { try $0.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE '%rebuild%'")?.int } == 0)
    }

    @Test("a rebuild stops when a projection given events writes none of its tables, and swaps nothing in")
    func rebuildRefusesAnEmptySwap() throws {
        let scratch = try Scratch()
        do {
            let notes = try store(scratch)
            for number in 1...5 { try notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)")), actor: desk)) }
        }
        let elsewhere = try store(scratch, ElsewhereProjection())
        #expect(throws: RebuildRefusal(projection: "notes", cause: .wroteNothing(events: 5, tables: ["notes"]))) {
            try ProjectionRebuilder(store: elsewhere).rebuild([])
        }
        #expect(try elsewhere.query { try $0.scalar("SELECT count(*) FROM notes")?.int } == 5)
    }

    @Test("a projection whose rows rightly cancel out rebuilds to an empty table, and one with no events rebuilds too")
    func rebuildAllowsARightlyEmptyTable() throws {
        let scratch = try Scratch()
        do {
            let notes = try store(scratch)
            for number in 1...5 { try notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)")), actor: desk)) }
        }
        let netEmpty = try store(scratch, NetEmptyProjection())
        let summary = try ProjectionRebuilder(store: netEmpty).rebuild(["notes"])
        #expect(summary.rows["notes"] == 0)
        let fresh = try Scratch()
        let empty = try store(fresh)
        #expect(try ProjectionRebuilder(store: empty).rebuild([]).rows["notes"] == 0)
    }

    @Test("a rebuilt table keeps one copy of each index, under its live name, through later openings")
    func rebuildKeepsOneIndexEach() throws {
        struct Indexed: Projection {
            let name = "notes"
            let version = 1
            let tables = [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL",
                                    primaryKey: ["id"], indexes: [["text"]])]
            let eventTypes: Set<String> = ["note.put"]
            func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
                try NotesProjection().apply(event, in: context)
            }
        }
        let scratch = try Scratch()
        let notes = try store(scratch, Indexed())
        for number in 1...3 { try notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)")), actor: desk)) }
        for _ in 1...2 {
            _ = try ProjectionRebuilder(store: try store(scratch, Indexed())).rebuild([])
        }
        let reopened = try store(scratch, Indexed())
        let indexes = try reopened.query { model in
            try model.fetchAll("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes' AND sql IS NOT NULL ORDER BY name")
                .map { try $0.string("name") }
        }
        #expect(indexes == ["notes_by_text"])
    }

    @Test("a rebuild builds a shadow table's indexes once at the swap, or at once when a projection scans the table, and either way ends with one copy each under the live name", arguments: ["by key", "by an indexed column", "through GRDB"])
    func shadowIndexesWaitUntilAProjectionScans(lookup: String) throws {
        struct Indexed: Projection {
            let name = "notes"
            let version = 1
            let lookup: String
            var tables: [ReadTable] {
                [ReadTable(name: "notes", columns: "id TEXT PRIMARY KEY, text TEXT NOT NULL", primaryKey: ["id"], indexes: [["text"]])]
            }
            let eventTypes: Set<String> = ["note.put"]
            func apply(_ event: StoredEvent, in context: ProjectionContext) throws {
                let note = try event.decodePayload(as: Note.self)
                switch lookup {
                case "by an indexed column":
                    // Without its index, a full scan of the table.
                    _ = try context.fetchOne("SELECT id FROM \(context.table("notes")) WHERE text = ?", [note.text])
                case "through GRDB":
                    // Statements on GRDB's connection are not measured: asking for it counts as a scan.
                    _ = try String.fetchOne(context.db, sql: "SELECT id FROM \(context.table("notes")) WHERE text = ?", arguments: [note.text])
                default:
                    break
                }
                try NotesProjection().apply(event, in: context)
            }
        }
        let scratch = try Scratch()
        let scans = lookup != "by key"
        let notes = try store(scratch, Indexed(lookup: lookup))
        for number in 1...600 { try notes.execute(Command(write, payload: try Payload(encoding: note("n\(number)", "text \(number)")), actor: desk)) }
        var rebuilder = ProjectionRebuilder(store: try store(scratch, Indexed(lookup: lookup)))
        rebuilder.chunk = 100
        // Between chunks, a reader sees what the replay committed: the shadow table's indexes.
        var shadowIndexes: [Int] = []
        let summary = try rebuilder.rebuild([], progress: { replayed, _ in
            guard replayed < 600 else { return }
            shadowIndexes.append((try? notes.query { model in
                try model.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name GLOB 'notes__rebuild_*' AND sql IS NOT NULL")?.int
            }).flatMap { $0 }.map(Int.init) ?? -1)
        })
        #expect(summary.rows["notes"] == 600)
        #expect(!shadowIndexes.isEmpty)
        // Only key lookups: no index until the swap. A scan in the first chunk: the index from then on.
        #expect(shadowIndexes.allSatisfy { $0 == (scans ? 1 : 0) })
        let indexes = try store(scratch, Indexed(lookup: lookup)).query { model in
            try model.fetchAll("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes' AND sql IS NOT NULL ORDER BY name")
                .map { try $0.string("name") }
        }
        #expect(indexes == ["notes_by_text"])
        let texts = try notes.query { model in try model.scalar("SELECT count(DISTINCT text) FROM notes")?.int }
        #expect(texts == 600)
    }

    @Test("quoted diff values show whitespace, quotes and invisible characters, and stay inert")
    func quotedValuesShowWhatIsInvisible() {
        #expect(TerminalSafe.quoted("The Winter ") == #""The Winter ""#)
        #expect(TerminalSafe.quoted("a\u{00A0}b") == #""a\u{A0}b""#)
        #expect(TerminalSafe.quoted("zero\u{200B}width") == #""zero\u{200B}width""#)
        // Text that looks like an escape cannot pass for one: its backslash is doubled.
        #expect(TerminalSafe.quoted(#"a\u{A0}b"#) == #""a\\u{A0}b""#)
        #expect(TerminalSafe.quoted("^[[31m <85>") == #""^[[31m <85>""#)
        #expect(TerminalSafe.quoted("\u{85}") == #""\u{85}""#)
        #expect(TerminalSafe.quoted("tab\there\nnew") == #""tab\there\nnew""#)
        #expect(TerminalSafe.quoted("say \"hi\" \\") == #""say \"hi\" \\""#)
        #expect(TerminalSafe.quoted("\u{1B}[31mred") == #""\u{1B}[31mred""#)
        #expect(TerminalSafe.quoted("\u{FEFF}bom") == #""\u{FEFF}bom""#)
        #expect(TerminalSafe.visibleJSON(#"{"t":"Book\#u{200B}2","u":"\#u{E0041}"}"#)
            == #"{"t":"Book\u200b2","u":"\udb40\udc41"}"#)
        #expect(TerminalSafe.visibleJSON(#"{"t":"plain"}"#) == #"{"t":"plain"}"#)
        #expect(TerminalSafe.quoted("emoji 👩‍💻 ok") == "\"emoji 👩‍💻 ok\"")
        #expect(TerminalSafe.isInert(TerminalSafe.quoted("\u{202E}evil\u{9B}")))
    }
}
