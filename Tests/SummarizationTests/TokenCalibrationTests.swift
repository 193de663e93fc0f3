import Chunking
import Summarization
import Testing

/// What the server counts raises the estimator's ratio to what the estimate needed, no further.
struct TokenCalibrationTests {
    @Test func callsEstimatedTogetherDoNotCompoundTheirCorrection() {
        let calibration = TokenCalibration()
        let (_, ratio) = calibration.snapshot()
        // Eight calls estimated at ratio 1 come back counted twice as high, one after another.
        for _ in 0..<8 { calibration.observe(estimated: 1000, actual: 2000, ratio: ratio) }
        #expect(abs(calibration.ratio - 2.1) < 1e-9, "2 and a 5% margin, not 2.1 to the eighth")
        // An over-count never lowers it, and a call estimated at the new ratio that fits moves nothing.
        calibration.observe(estimated: 2100, actual: 2000, ratio: calibration.ratio)
        #expect(abs(calibration.ratio - 2.1) < 1e-9)
        #expect(calibration.snapshot().estimator.estimate("The keeper climbed the tower.") > TokenEstimator().estimate("The keeper climbed the tower."))
    }
}
