import Foundation
import Testing

/// The README's embedding snippets are the example application's code, which `.ci/run` builds and tests.
@Suite("README snippets")
struct ReadmeSnippetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The code lines of `text`: comments, blank lines and indentation dropped.
    static func codeLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { line -> String in
            var code = String(line)
            if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
            return code.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    static func swiftBlocks(_ readme: String) -> [String] {
        readme.components(separatedBy: "```swift\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    @Test("the embedding section's handler, projection, application and boot are the example's files, line for line")
    func snippetsAreTheExamplesCode() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = Self.swiftBlocks(readme)
        let files = [
            ("public struct LendBook", "Examples/LibraryLoans/Sources/LibraryLoans/Handlers/LendBook.swift"),
            ("public struct LoansProjection", "Examples/LibraryLoans/Sources/LibraryLoans/Projections/LoansProjection.swift"),
            ("public enum LibraryApplication", "Examples/LibraryLoans/Sources/LibraryLoans/LibraryApplication.swift"),
            ("let arguments = CommandLine.arguments", "Examples/LibraryLoans/Sources/library-app/main.swift"),
            ("CairnCommandLine.main(LibraryApplication.application)", "Examples/LibraryLoans/Sources/library-cairn/main.swift"),
        ]
        for (marker, path) in files {
            let block = try #require(blocks.first { $0.contains(marker) }, "the README has no snippet with \(marker)")
            let file = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            let fileLines = Self.codeLines(file)
            let blockLines = Self.codeLines(block)
            // The snippet's lines appear in the file, in order, with nothing between them but what the snippet leaves out.
            let start = try #require(fileLines.firstIndex(of: blockLines[0]), "\(path) has no line \(blockLines[0])")
            #expect(Array(fileLines[start..<min(fileLines.count, start + blockLines.count)]) == blockLines, "\(path)")
        }
    }
}
