import Chunking
import Summarization
import Testing

/// The run's estimator: precis's estimate scaled by the ratio fixed before the first chunk.
struct TokenCalibrationTests {
    @Test func theRatioScalesEveryEstimateAndNeverGoesBelowOne() {
        let text = "The keeper climbed the tower and trimmed the wick before dusk."
        let base = TokenEstimator().estimate(text)
        #expect(TokenCalibration(ratio: 2).estimator.estimate(text) >= base * 2 - 1)
        #expect(TokenCalibration(ratio: 0.5).ratio == 1)
        #expect(TokenCalibration(ratio: 0.5).estimator.estimate(text) == base)
    }

    @Test func aMeasuredCJKRateIsChargedAsMeasuredWhateverTheRatio() {
        let chinese = String(repeating: "运河边的小书店开了三十年", count: 20)
        let one = TokenCalibration(ratio: 1, cjkPerCharacter: 0.7).estimator.estimate(chinese)
        let two = TokenCalibration(ratio: 2, cjkPerCharacter: 0.7).estimator.estimate(chinese)
        #expect(abs(one - two) * 50 <= one, "\(one) against \(two)")
        #expect(abs(Double(one) - 0.7 * Double(chinese.count)) <= Double(chinese.count) * 0.1)
    }
}
