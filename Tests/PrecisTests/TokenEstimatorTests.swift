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
        let a = "First sentence here. ", b = "Second one follows."
        #expect(estimator.estimate(a + b) <= estimator.estimate(a) + estimator.estimate(b))
    }

    @Test func safetyFactorScalesTheEstimate() {
        let text = String(repeating: "word ", count: 200)
        let plain = TokenEstimator(safety: 1.0).estimate(text)
        let padded = TokenEstimator(safety: 1.5).estimate(text)
        #expect(padded >= plain * 3 / 2)
    }
}
