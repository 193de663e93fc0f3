import Foundation
import Ingest
import PrecisTesting
import Testing

/// A large text file read a segment at a time gives the text a whole read gives, cut at
/// paragraphs, the same way every time, and appending changes only the last segment.
struct TextSegmentsTests {
    static let sizes = (threshold: 1_000, segment: 2_000, lookahead: 1_000)

    func file(_ text: String, in dir: URL, name: String = "big.txt") throws -> InputFile {
        let url = try TestSupport.write(text, to: name, in: dir)
        return InputFile(id: name, url: url, size: text.utf8.count, modified: Date())
    }

    func segments(_ file: InputFile) throws -> (TextSegments, [[Document.Part]]) {
        let hash = try DocumentLoader().streamedHash(file)
        let reader = try #require(try TextSegments(file, hash: hash, clean: false, sizes: Self.sizes))
        var all: [[Document.Part]] = []
        while let parts = try reader.next() { all.append(parts) }
        return (reader, all)
    }

    func text(_ chapters: Int) throws -> String {
        let story = try TestSupport.storyText().components(separatedBy: "\n\n")
        return (0..<chapters).map {
            "# Chapter \($0 + 1)\n\n" + story[$0 % story.count] + "\n\n" + story[($0 + 3) % story.count]
        }.joined(separator: "\n\n") + "\n"
    }

    @Test func segmentsEndAtParagraphsAndHoldEveryWordWithItsHeading() throws {
        let dir = try TestSupport.temporaryDirectory()
        let whole = try text(12)
        let (reader, all) = try segments(try file(whole, in: dir))
        #expect(all.count >= 3, "\(all.count) segments")
        let joined = all.flatMap { $0 }.map(\.text).joined(separator: "\n")
        #expect(
            joined.split(whereSeparator: \.isWhitespace) == whole.split(whereSeparator: \.isWhitespace),
            "a segmented read keeps every word, in order")
        // Every part knows its chapter, also the first part of a segment that starts mid-chapter.
        #expect(all.allSatisfy { $0.allSatisfy { $0.headingPath.first?.hasPrefix("Chapter") == true } })
        #expect(reader.title == "Chapter 1")
    }

    @Test func appendingChangesOnlyTheLastSegment() throws {
        let dir = try TestSupport.temporaryDirectory()
        let whole = try text(12)
        let (_, before) = try segments(try file(whole, in: dir))
        let (_, after) = try segments(try file(whole + "One more sentence at the end.\n", in: dir))
        #expect(after.count >= before.count)
        #expect(
            Array(after.prefix(before.count - 1)).map { $0.map(\.text) }
                == Array(before.dropLast()).map { $0.map(\.text) })
    }

    @Test func aFileChangedBetweenItsHashAndItsReadFailsInsteadOfPassingForTheOld() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = try file(try text(12), in: dir)
        let reader = try #require(
            try TextSegments(input, hash: String(repeating: "0", count: 64), clean: false, sizes: Self.sizes))
        #expect(throws: IngestError.self) { while try reader.next() != nil {} }
    }

    @Test func aSmallFileOrOneThatIsNotUTF8IsReadWhole() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TextSegments(try file("short", in: dir), hash: "", clean: false, sizes: Self.sizes) == nil)
        let latin = Data((String(repeating: "caf\u{E9} ", count: 400)).data(using: .isoLatin1)!)
        let url = try TestSupport.write(latin, to: "latin.txt", in: dir)
        #expect(
            try TextSegments(
                InputFile(id: "latin.txt", url: url, size: latin.count, modified: Date()), hash: "", clean: false,
                sizes: Self.sizes) == nil)
    }
}
