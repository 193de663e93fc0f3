import Foundation
import Ingest
import Testing

struct TextDecoderTests {
    let chinese = "运河边的书店开张了。老周说，日子会越来越甜！"

    @Test func decodesUTF8WithAndWithoutBOM() throws {
        #expect(try TextDecoder.decode(Data("héllo 世界".utf8), path: "a").encoding == "utf-8")
        let bom = try TextDecoder.decode(Data([0xEF, 0xBB, 0xBF] + Array("hello".utf8)), path: "a")
        #expect(bom.text == "hello")
        #expect(bom.encoding == "utf-8-bom")
    }

    @Test func decodesUTF16InBothByteOrders() throws {
        let little = Data([0xFF, 0xFE]) + chinese.data(using: .utf16LittleEndian)!
        let big = Data([0xFE, 0xFF]) + chinese.data(using: .utf16BigEndian)!
        #expect(try TextDecoder.decode(little, path: "a").text == chinese)
        #expect(try TextDecoder.decode(big, path: "a").text == chinese)
        #expect(try TextDecoder.decode(big, path: "a").encoding == "utf-16be")
    }

    @Test func decodesGB18030WhenNotUTF8() throws {
        let data = try #require(chinese.data(using: String.Encoding(rawValue: 0x8000_0632)))
        #expect(String(data: data, encoding: .utf8) == nil)
        let decoded = try TextDecoder.decode(data, path: "old.txt")
        #expect(decoded.text == chinese)
        #expect(decoded.encoding == "gb18030")
    }

    @Test func fallsBackToLossyUTF8WithAWarning() throws {
        // Runs of bytes valid in no encoding precis knows.
        let decoded = try TextDecoder.decode(
            Data(Array("caf".utf8) + [0x80, 0xFF, 0x80, 0xFF] + Array(" au lait".utf8) + [0xFF, 0x80, 0xFF]), path: "a")
        #expect(decoded.encoding == "utf-8-lossy")
        #expect(decoded.warning != nil)
        #expect(decoded.text.hasPrefix("caf"))
    }

    @Test func decodesUTF16WithoutAMarkByItsNULPattern() throws {
        let text = "Plain English exported from an old tool.\nSecond line, 第二行。"
        #expect(try TextDecoder.decode(text.data(using: .utf16LittleEndian)!, path: "a").text == text)
        #expect(try TextDecoder.decode(text.data(using: .utf16LittleEndian)!, path: "a").encoding == "utf-16le")
        #expect(try TextDecoder.decode(text.data(using: .utf16BigEndian)!, path: "a").encoding == "utf-16be")
    }

    @Test(arguments: [
        ("運河邊的書店開張了。老周說，日子會越來越甜！這是一個很好的開始，我們都很高興。", String.Encoding(rawValue: 0x8000_0A03), "big5"),
        ("運河邊的書店開張了。老周說，日子會越來越甜！這是一個很好的開始，我們都很高興。", String.Encoding(rawValue: 0x8000_0632), "gb18030"),
        ("运河边的书店开张了。老周说，日子会越来越甜！这是一个很好的开始，我们都很高兴。", String.Encoding(rawValue: 0x8000_0632), "gb18030"),
        ("運河のそばの本屋が開店しました。周さんは、毎日がもっと楽しくなると言いました。", String.Encoding.shiftJIS, "shift-jis"),
        (
            "Café au lait, naïve façade, Zürich and São Paulo: accented words in old files.", String.Encoding.isoLatin1,
            "windows-1252"
        ),
        ("“Smart quotes” and an em dash — as Windows wrote them.", String.Encoding.windowsCP1252, "windows-1252")
    ])
    func tellsLegacyEncodingsApart(text: String, encoding: String.Encoding, name: String) throws {
        let data = try #require(text.data(using: encoding))
        let decoded = try TextDecoder.decode(data, path: "old.txt")
        #expect(decoded.encoding == name)
        #expect(decoded.text == text)
    }

    @Test func normalizesLineEnds() throws {
        #expect(try TextDecoder.decode(Data("a\r\nb\rc\n".utf8), path: "a").text == "a\nb\nc\n")
    }

    @Test func rejectsBinaryBytesNamingTheFile() {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes += Array("some text".utf8)
        #expect {
            try TextDecoder.decode(Data(bytes), path: "dir/blob.txt")
        } throws: { error in
            let error = error as? IngestError
            return error?.code == .binary && error?.description.hasPrefix("dir/blob.txt: binary") == true
        }
    }
}
