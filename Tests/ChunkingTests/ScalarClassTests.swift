import Chunking
import Testing

/// The fast scalar classes answer as the Unicode properties do.
struct ScalarClassTests {
    @Test func theFastClassesAgreeWithTheUnicodePropertiesOnASCIIAndBeyond() {
        let beyond: [UInt32] = [
            0x85, 0xA0, 0xAA, 0xB2, 0xC9, 0x0660, 0x1680, 0x2003, 0x2028, 0x3000, 0x4E2D, 0x3007, 0xFF10, 0x1F600
        ]
        for value in Array(0..<0x80) + beyond {
            let scalar = Unicode.Scalar(value)!
            #expect(scalar.isWhitespaceFast == scalar.properties.isWhitespace, "\(value)")
            #expect(scalar.isAlphabeticFast == scalar.properties.isAlphabetic, "\(value)")
            #expect(
                scalar.isAlphanumericFast == (scalar.properties.isAlphabetic || scalar.properties.numericType != nil),
                "\(value)")
        }
    }
}
