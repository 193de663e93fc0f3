import Chunking
import Testing

struct TokenEstimatorTests {
    let estimator = TokenEstimator()

    @Test func countsEveryCJKCharacterAsAtLeastOneToken() {
        let text = "茶起源于中国西南地区"
        #expect(estimator.estimate(text) >= text.count)
    }

    @Test func countsCommonEnglishWordsNearOneTokenEach() {
        let text = "The keeper climbed the tower and wrote down what she saw"
        let words = text.split(separator: " ").count
        let tokens = estimator.estimate(text)
        #expect(tokens >= words)
        #expect(tokens <= words * 3 / 2)
    }

    @Test func chargesLongWordsAndDigitRunsMore() {
        #expect(estimator.estimate("internationalization") > estimator.estimate("nation"))
        #expect(estimator.estimate("1234567890") >= 4)
    }

    @Test func countsNothingForEmptyTextAndIsAdditiveEnoughForBudgets() {
        #expect(estimator.estimate("") == 0)
        let a = "First sentence here. "
        let b = "Second one follows."
        #expect(estimator.estimate(a + b) <= estimator.estimate(a) + estimator.estimate(b))
    }

    @Test func safetyFactorScalesTheEstimate() {
        let text = String(repeating: "word ", count: 200)
        let plain = TokenEstimator(safety: 1.0).estimate(text)
        let padded = TokenEstimator(safety: 1.5).estimate(text)
        #expect(padded >= plain * 3 / 2)
    }

    @Test func chargesRareChineseCharactersAsTheTokenizerDoes() {
        // 的 is one cl100k token; 鶯 (a classical character) takes three.
        let plain = TokenEstimator(safety: 1)
        #expect(plain.estimate("的的的的") == 4)
        #expect(plain.estimate("鶯鶯鶯鶯") == 12)
        // A flat rate still applies when asked for, as estimates for Kimi do.
        #expect(TokenEstimator(cjkTokensPerCharacter: 0.5, safety: 1).estimate("鶯鶯鶯鶯") == 2)
    }

    @Test func chargesScriptsTheVocabularyCoversPoorlyAboutATokenALetter() {
        let hebrew = "שלום עולם ברוכים הבאים"
        let thai = "สวัสดีชาวโลก"
        let letters = { (text: String) in text.unicodeScalars.filter { $0.properties.isAlphabetic }.count }
        #expect(estimator.estimate(hebrew) >= letters(hebrew))
        #expect(estimator.estimate(thai) >= letters(thai))
    }

    @Test func chargesCapitalsAndCamelCaseByTheirPieces() {
        #expect(estimator.estimate("GENERIC") > estimator.estimate("generic"))
        #expect(estimator.estimate("XMLHttpRequest") >= 3)
    }

    @Test func chargesIndentationAndSpacesBeforeDigits() {
        let plain = TokenEstimator(safety: 1)
        #expect(plain.estimate("a\n    b") > plain.estimate("a\nb"))
        #expect(plain.estimate("a  1") > plain.estimate("a 1"))
        #expect(plain.estimate("a 1") > plain.estimate("a b"))
    }

    @Test func chargesControlCharactersOneEach() {
        #expect(TokenEstimator(safety: 1).estimate("\u{3}\u{3}\u{3}\u{3}") == 4)
    }

    @Test func limitedEstimateStopsEarlyAndAgreesBelowTheLimit() {
        let text = String(repeating: "The keeper climbed the tower. 茶起源于中国。 ", count: 500)
        let full = estimator.estimate(text)
        var copy = text
        copy.withUTF8 { bytes in
            #expect(estimator.estimate(utf8: bytes, limit: full) == full)
            #expect(estimator.estimate(utf8: bytes, limit: full - 1) == nil)
            #expect(estimator.estimate(utf8: bytes, limit: 100) == nil)
        }
    }
}
