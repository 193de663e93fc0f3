import ChatAPI
import Testing

struct SSEParserTests {
    let stream = "data: {\"a\":\"运河\"}\n\n: ping\n\ndata: first\ndata: second\n\nevent: x\ndata: [DONE]\n\n"

    @Test func parsesEventsSplitAtEveryBytePosition() {
        let bytes = Array(stream.utf8)
        for split in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...]) + parser.finish()
            #expect(events == ["{\"a\":\"运河\"}", "first\nsecond", "[DONE]"], "split at \(split)")
        }
    }

    @Test func parsesOneByteAtATime() {
        var parser = SSEParser()
        var events: [String] = []
        for byte in stream.utf8 { events += parser.feed([byte]) }
        #expect(events == ["{\"a\":\"运河\"}", "first\nsecond", "[DONE]"])
    }

    @Test func acceptsCRLFAndCRLineEnds() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: one\r\n\r\ndata: two\r\rdata:three\n\n".utf8)) == ["one", "two", "three"])
    }

    @Test func flushesAnUnterminatedEventAtTheEnd() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == ["tail"])
    }
}
