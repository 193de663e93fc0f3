import CPoppler

/// A PDF's outline (its bookmarks): chapter titles and the pages they start on.
enum PDFOutline {
    /// One outline entry.
    struct Entry: Equatable {
        var title: String
        /// The 1-based page it starts on.
        var page: Int
        /// 1 for a chapter, 2 for a section in it.
        var level: Int
    }

    /// The outline's first two levels, in order; empty when the PDF has none.
    static func entries(of document: OpaquePointer) -> [Entry] {
        guard let iter = poppler_index_iter_new(document) else { return [] }
        defer { poppler_index_iter_free(iter) }
        var out: [Entry] = []
        walk(iter, document: document, level: 1, into: &out)
        return out
    }

    private static func walk(_ iter: OpaquePointer, document: OpaquePointer, level: Int, into out: inout [Entry]) {
        repeat {
            if let entry = entry(iter, document: document, level: level) { out.append(entry) }
            if level < 2, let child = poppler_index_iter_get_child(iter) {
                walk(child, document: document, level: level + 1, into: &out)
                poppler_index_iter_free(child)
            }
        } while poppler_index_iter_next(iter) != 0
    }

    private static func entry(_ iter: OpaquePointer, document: OpaquePointer, level: Int) -> Entry? {
        guard let action = poppler_index_iter_get_action(iter) else { return nil }
        defer { poppler_action_free(action) }
        guard action.pointee.type == POPPLER_ACTION_GOTO_DEST,
            let title = action.pointee.any.title.map({ String(cString: $0) }),
            let dest = action.pointee.goto_dest.dest
        else { return nil }
        var page = Int(dest.pointee.page_num)
        if dest.pointee.type == POPPLER_DEST_NAMED, let name = dest.pointee.named_dest,
            let found = poppler_document_find_dest(document, name)
        {
            page = Int(found.pointee.page_num)
            poppler_dest_free(found)
        }
        let clean = title.trimmingWhitespace()
        return page >= 1 && !clean.isEmpty ? Entry(title: clean, page: page, level: level) : nil
    }
}
