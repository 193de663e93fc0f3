import Ingest
import Testing

struct TextCleanerTests {
    let wrapped = """
        The keeper climbed the tower every night at dusk and logged the weather, the
        sea and the light, as the rules of the Board required of every keeper on the
        coast, and she did not miss a night in eleven years of keeping the station.
        """

    @Test func dropsRunningHeadersFootersAndPageNumbers() {
        let bodies = [
            "The lamp failed.", "The tide rose.", "Mara logged it.", "The Board wrote.", "Tomas came.",
            "Spring arrived."
        ]
        let pages = bodies.enumerated().map { n, body in "Debian Reference 2.100\n\(body)\n- \(n + 1) -" }
        let cleaned = TextCleaner.clean(pages: pages)
        #expect(cleaned == bodies)
    }

    @Test func keepsLinesThatRepeatOnFewPages() {
        let pages = (1...6).map { n in (n <= 2 ? "Summary of results\n" : "") + "Body text of page \(n)." }
        #expect(TextCleaner.clean(pages: pages)[0].hasPrefix("Summary of results"))
    }

    @Test func unwrapsParagraphsAndMendsHyphenatedWords() {
        let text =
            wrapped.replacingOccurrences(of: "required of every", with: "re-\nquired of every") + "\n\nNext paragraph."
        let cleaned = TextCleaner.clean(text: text)
        #expect(cleaned.contains("logged the weather, the sea and the light"))
        #expect(cleaned.contains("rules of the Board required of every keeper"))
        #expect(cleaned.hasSuffix("keeping the station.\n\nNext paragraph."))
    }

    @Test func joinsChineseLinesWithoutSpaces() {
        let text = "运河边的书店开张了，老周站在门口看着来来往往的\n行人，心里想着日子会越来越好。"
        #expect(TextCleaner.clean(text: text) == "运河边的书店开张了，老周站在门口看着来来往往的行人，心里想着日子会越来越好。")
    }

    @Test func leavesListsCodeHeadingsAndShortLinesAlone() {
        let text = """
            Chapter 2: The Station
            The keeper climbed the tower every night at dusk and logged the weather and
            - a list item that is long enough to look like a wrapped line of prose text
            - another item
                let code = "indented code that is long enough to be mistaken for prose"
                let more = 1
            Yours sincerely,
            Mara Quill
            """
        let cleaned = TextCleaner.clean(text: text)
        #expect(cleaned.split(separator: "\n").count == 8)
    }
}
