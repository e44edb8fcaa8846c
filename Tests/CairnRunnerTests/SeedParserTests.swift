@testable import CairnRunner
import CairnStore
import Foundation
import Testing

@Suite("Seed file parsing")
struct SeedParserTests {
    private func parse(_ text: String) -> Result<SeedFile, SeedErrors> {
        SeedParser.parse(text, id: "2026-05-20-x", path: "seeds/2026-05-20-x.sql")
    }

    private func errors(_ text: String) -> [SeedParseError] {
        if case .failure(let failure) = parse(text) { return failure.errors }
        return []
    }

    @Test("parses the header, blocks in order and the @down section")
    func parsesEverything() throws {
        let seed = try parse("""
            -- description: add the TenantAdmin role
            -- skippable: true
            -- atomic: true
            -- batch: 10
            -- rebuilds: memberships, users
            -- A free comment that is not a key.
            -- Note: capitalised words before a colon are free comments too.

            -- @write tenant:write:update-member-roles
            SELECT json_object('a', 1) AS payload;

            -- @write incident:write:open
            -- a comment inside the block
            SELECT json_object('b', 2) AS payload

            -- @down
            -- @write tenant:write:update-member-roles
            SELECT json_object('c', 3) AS payload;
            """).get()
        #expect(seed.header.description == "add the TenantAdmin role")
        #expect(seed.header.skippable)
        #expect(seed.header.atomic)
        #expect(seed.header.batch == 10)
        #expect(seed.header.rebuilds == ["memberships", "users"])
        #expect(seed.blocks.map(\.handler.description) == ["tenant:write:update-member-roles", "incident:write:open"])
        #expect(seed.blocks.map(\.line) == [9, 12])
        #expect(seed.blocks[1].sql.contains("'b', 2"))
        #expect(seed.downBlocks?.count == 1)
        #expect(seed.isRevertible)
    }

    @Test("the header rule: a known key exactly is an entry; another case, a space before the colon or a near miss is an error naming the key meant; anything else is free text", arguments: [
        ("-- atomic: true", SeedParser.HeaderLine.entry(key: "atomic", value: "true")),
        ("-- atomic:", .entry(key: "atomic", value: "")),
        ("-- Atomic: true", .misspelt(written: "Atomic:", meant: "atomic")),
        ("-- ATOMIC: true", .misspelt(written: "ATOMIC:", meant: "atomic")),
        ("-- atomic : true", .misspelt(written: "atomic :", meant: "atomic")),
        ("-- Description : x", .misspelt(written: "Description :", meant: "description")),
        ("-- atmoic: true", .misspelt(written: "atmoic:", meant: "atomic")),
        ("-- skipable: true", .misspelt(written: "skipable:", meant: "skippable")),
        ("-- batchs: 10", .misspelt(written: "batchs:", meant: "batch")),
        ("-- loans:write:lend refuses the first row", .freeText),
        ("-- tenant:write:update-member-roles: needs the stream tenant", .freeText),
        ("-- Note: the admin lives in acme", .freeText),
        ("-- colour: blue", .freeText),
        ("-- match: the ids of the old system", .freeText),
        ("-- why we do this: a long story", .freeText),
        ("-- see https://example.test/a:b", .freeText),
        ("-- a plain comment", .freeText),
    ])
    func headerRule(line: String, expected: SeedParser.HeaderLine) {
        #expect(SeedParser.headerLine(String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)) == expected, "\(line)")
    }

    @Test("free text in the header stays free text: a seed with a handler name and a Note in its comments parses")
    func freeTextComments() throws {
        let seed = try parse("""
            -- description: d
            -- loans:write:lend refuses the first row
            -- Note: the admin lives in acme
            -- colour: blue
            -- @write a:write:b
            SELECT '{}' AS payload
            """).get()
        #expect(seed.header.description == "d")
        #expect(seed.blocks.count == 1)
    }

    @Test("defaults: not skippable, not atomic, batch 256, no rebuilds, no @down")
    func defaults() throws {
        let seed = try parse("-- description: d\n-- @write a:write:b\nSELECT '{}' AS payload").get()
        #expect(!seed.header.skippable && !seed.header.atomic)
        #expect(seed.header.batch == 256)
        #expect(seed.header.rebuilds.isEmpty)
        #expect(seed.downBlocks == nil)
    }

    @Test("reports every problem of a file with its line", arguments: [
        ("-- skippable: true\n-- @write a:write:b\nSELECT 1 AS payload", 0, "missing `-- description"),
        ("-- description: d\n-- Atomic: true\n-- @write a:write:b\nSELECT 1 AS payload", 2, "header key written 'Atomic:'"),
        ("-- description: d\n-- description: e\n-- @write a:write:b\nSELECT 1 AS payload", 2, "appears twice"),
        ("-- description: d\n-- skippable: yes\n-- @write a:write:b\nSELECT 1 AS payload", 2, "must be true or false"),
        ("-- description: d\n-- batch: 0\n-- @write a:write:b\nSELECT 1 AS payload", 2, "'batch' must be a whole number"),
        ("-- description: d\n-- batch: many\n-- @write a:write:b\nSELECT 1 AS payload", 2, "'batch' must be a whole number"),
        ("-- description: d\n-- rebuilds: a b\n-- @write a:write:b\nSELECT 1 AS payload", 2, "'rebuilds' must be"),
        ("-- description: d\n", 0, "no `-- @write` block"),
        ("-- description: d\n-- @write a:write:b\n\n-- only a comment\n", 2, "holds no SELECT"),
        ("-- description: d\n-- @write updateMemberRoles\nSELECT 1 AS payload", 2, "is not a handler name"),
        ("-- description: d\n-- @write tenant:write:updateMemberRoles\nSELECT 1 AS payload", 2, "did you mean 'tenant:write:update-member-roles'"),
        ("-- description: d\n-- @write\nSELECT 1 AS payload", 2, "needs exactly one handler name"),
        ("-- description: d\n-- @writes a:write:b\nSELECT 1 AS payload", 2, "unknown directive `@writes`"),
        ("-- description: d\nSELECT 1 AS payload", 2, "SQL outside a block"),
        ("-- description: d\n-- @write a:write:b\nSELECT 1 AS payload\n-- skippable: true", 4, "comes after the first block"),
        ("-- description: d\n-- @write a:write:b\nSELECT 1 AS payload\n-- @down\n-- @down\n-- @write a:write:c\nSELECT 1 AS payload", 5, "a second `-- @down`"),
        ("-- description: d\n-- @write a:write:b\nSELECT 1 AS payload\n-- @down\n", 0, "`-- @down` section has no"),
        ("-- description: d\n-- @write a:write:b\nSELECT 1 AS payload\n-- @down\nSELECT 2 AS payload", 5, "before its first `-- @write`"),
    ])
    func reportsProblems(text: String, line: Int, message: String) {
        let found = errors(text)
        #expect(found.contains { $0.line == line && $0.message.contains(message) }, "\(found)")
    }

    @Test("collects several problems instead of stopping at the first")
    func collectsAll() {
        let found = errors("""
            -- skipable: true
            -- batch: -1
            -- @write notAName
            SELECT 1 AS payload
            """)
        #expect(found.count == 4, "\(found)")
        #expect(found.contains { $0.message.contains("missing `-- description") })
    }

    @Test("a typo of a known key suggests it")
    func suggestsKey() {
        let found = errors("-- description: d\n-- skipable: true\n-- @write a:write:b\nSELECT 1 AS payload")
        #expect(found.first?.hint?.contains("did you mean 'skippable'?") == true)
    }

    @Test("CRLF line endings and a byte-order mark parse like plain text and give the same checksum")
    func lineEndings() throws {
        let unix = "-- description: d\n-- @write a:write:b\nSELECT 1 AS payload\n"
        let windows = "\u{FEFF}" + unix.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try parse(windows).get().blocks.count == 1)
        #expect(Checksum.of(seedText: unix) == Checksum.of(seedText: windows))
        #expect(Checksum.of(seedText: unix) != Checksum.of(seedText: unix + " "))
    }

    @Test("migration ids need a real date and a kebab-case name", arguments: [
        ("2026-05-20-fix-admin-roles", true), ("2026-02-29-leap", false), ("2028-02-29-leap", true),
        ("2026-13-01-x", false), ("2026-05-20", false), ("2026-05-20-", false), ("fix-admin-roles", false),
        ("2026-05-20-Fix", false), ("2026-05-20-fix--roles", false), ("2026-05-20-fix_roles", false),
    ])
    func migrationIds(id: String, valid: Bool) {
        #expect((MigrationID.problem(with: id) == nil) == valid)
    }

    @Test("the skip variable upper-cases the id and replaces other characters with underscores")
    func skipVariable() {
        #expect(MigrationID.skipVariable(for: "2026-05-20-fix-admin-roles") == "CAIRN_SKIP_2026_05_20_FIX_ADMIN_ROLES")
    }

    @Test("the catalog sorts seeds by id, flags bad names and unreadable files, and keeps unparsable seeds visible")
    func catalog() throws {
        let directory = try TemporaryDirectory()
        try directory.write("seeds/2026-05-02-b.sql", "-- description: b\n-- @write a:write:b\nSELECT 1 AS payload")
        try directory.write("seeds/2026-05-01-a.sql", "-- description: a\n-- @write a:write:b\nSELECT 1 AS payload")
        try directory.write("seeds/2026-05-03-broken.sql", "-- nothing useful")
        try directory.write("seeds/notes.md", "ignored")
        try directory.write("seeds/oops.sql", "-- description: x")
        let catalog = try MigrationCatalog.load(seeds: directory.path("seeds"))
        #expect(catalog.migrations.map(\.id) == ["2026-05-01-a", "2026-05-02-b", "2026-05-03-broken"])
        if case .invalid(let errors) = catalog.migrations[2].source {
            #expect(!errors.isEmpty)
        } else {
            Issue.record("the broken seed should be kept as invalid")
        }
        #expect(catalog.problems.count == 1)
        #expect(catalog.problems.first?.message.contains("bad file name") == true)
        #expect(throws: CatalogError.self) { try MigrationCatalog.load(seeds: directory.path("no-such-folder")) }
    }
}
