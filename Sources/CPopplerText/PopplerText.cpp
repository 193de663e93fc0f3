#include "CPopplerText.h"

// PDFDoc.h first: it brings Object.h and Dict.h in the order they need each other.
#include <PDFDoc.h>
#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <OutputDev.h>
#include <Page.h>
#include <TextOutputDev.h>
#include <Link.h>
#include <Outline.h>
#include <UTF.h>
#include <goo/GooString.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

class ImageProbe;

struct precis_pdf_text {
    std::unique_ptr<PDFDoc> doc;
    std::unique_ptr<TextOutputDev> out;
    std::unique_ptr<ImageProbe> probe;
    std::string page;
    std::string title;
    std::vector<std::string> outlineTitles;
    std::vector<precis_pdf_outline_entry> outline;
    ~precis_pdf_text();
};

static void append(void *stream, const char *text, int length) {
    static_cast<std::string *>(stream)->append(text, static_cast<size_t>(length));
}

extern "C" void precis_pdf_setup(void) {
    // poppler-glib holds poppler's global parameters through a counted GlobalParamsIniter per
    // document, and frees them when its last document goes. One held here for the life of the
    // process keeps them for this extractor too, whatever poppler-glib opens and closes.
    static std::once_flag once;
    std::call_once(once, [] {
        static GlobalParamsIniter *initer = new GlobalParamsIniter(nullptr);
        (void)initer;
        globalParams->setTextEncoding("UTF-8");
        globalParams->setErrQuiet(true);
    });
}

extern "C" precis_pdf_text *precis_pdf_text_open(const char *path, const char *password, int *encrypted) {
    precis_pdf_setup();
    *encrypted = 0;
    std::optional<GooString> secret;
    if (password) {
        secret = GooString(password);
    }
    auto doc = std::make_unique<PDFDoc>(std::make_unique<GooString>(path), secret, secret);
    if (!doc->isOk()) {
        *encrypted = doc->getErrorCode() == errEncrypted ? 1 : 0;
        return nullptr;
    }
    auto pdf = new precis_pdf_text;
    pdf->doc = std::move(doc);
    // As pdftotext: reading order, no physical layout, diagonal text kept.
    pdf->out = std::make_unique<TextOutputDev>(append, &pdf->page, false, 0, false, false);
    if (!pdf->out->isOk()) {
        delete pdf;
        return nullptr;
    }
    return pdf;
}

extern "C" int precis_pdf_text_pages(const precis_pdf_text *pdf) {
    return pdf->doc->getNumPages();
}

extern "C" const char *precis_pdf_text_page(precis_pdf_text *pdf, int page, size_t *length) {
    pdf->page.clear();
    pdf->doc->displayPage(pdf->out.get(), page, 72, 72, 0, true, false, false);
    // The device ends each page with a form feed.
    while (!pdf->page.empty() && pdf->page.back() == '\f') {
        pdf->page.pop_back();
    }
    *length = pdf->page.size();
    return pdf->page.data();
}

// An output device that only notes whether a page draws an image. One serves the whole document,
// so the colour spaces it meets are set up once, as for the text.
class ImageProbe : public OutputDev {
public:
    bool found = false;
    bool upsideDown() override { return true; }
    bool useDrawChar() override { return false; }
    bool interpretType3Chars() override { return false; }
    // The base class skips an inline image's data, which the content stream must get past.
    void drawImageMask(GfxState *state, Object *ref, Stream *str, int width, int height, bool invert, bool interpolate, bool inlineImg) override {
        found = true;
        OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
    }
    void drawImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap, bool interpolate, const int *maskColors, bool inlineImg) override {
        found = true;
        OutputDev::drawImage(state, ref, str, width, height, colorMap, interpolate, maskColors, inlineImg);
    }
    void drawMaskedImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap, bool interpolate, Stream *maskStr, int maskWidth, int maskHeight, bool maskInvert,
                         bool maskInterpolate) override {
        found = true;
    }
    void drawSoftMaskedImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap, bool interpolate, Stream *maskStr, int maskWidth, int maskHeight,
                             GfxImageColorMap *maskColorMap, bool maskInterpolate) override {
        found = true;
    }
};

extern "C" int precis_pdf_text_page_has_image(precis_pdf_text *pdf, int page) {
    if (!pdf->probe) {
        pdf->probe = std::make_unique<ImageProbe>();
    }
    pdf->probe->found = false;
    pdf->doc->displayPage(pdf->probe.get(), page, 72, 72, 0, true, false, false);
    return pdf->probe->found ? 1 : 0;
}

precis_pdf_text::~precis_pdf_text() = default;

// UTF-8 for `length` code points.
static std::string utf8(const Unicode *text, int length) {
    std::string out;
    for (int i = 0; i < length; i++) {
        Unicode c = text[i];
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                continue;
            }
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x110000) {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

extern "C" const char *precis_pdf_text_title(precis_pdf_text *pdf, size_t *length) {
    std::unique_ptr<GooString> title = pdf->doc->getDocInfoStringEntry("Title");
    if (!title) {
        return nullptr;
    }
    // A PDF text string: UTF-16 with its byte-order mark, or PDFDocEncoding.
    Unicode *ucs4 = nullptr;
    int count = TextStringToUCS4(title->toStr(), &ucs4);
    pdf->title = utf8(ucs4, count);
    gfree(ucs4);
    *length = pdf->title.size();
    return pdf->title.data();
}

// The page an outline item goes to, or 0.
static int pageOf(PDFDoc *doc, const OutlineItem *item) {
    const LinkAction *action = item->getAction();
    if (!action || action->getKind() != actionGoTo) {
        return 0;
    }
    auto goTo = static_cast<const LinkGoTo *>(action);
    std::unique_ptr<LinkDest> named;
    const LinkDest *dest = goTo->getDest();
    if (!dest && goTo->getNamedDest()) {
        named = doc->findDest(goTo->getNamedDest());
        dest = named.get();
    }
    if (!dest || !dest->isOk()) {
        return 0;
    }
    return dest->isPageRef() ? doc->findPage(dest->getPageRef()) : dest->getPageNum();
}

static void walk(PDFDoc *doc, const std::vector<OutlineItem *> *items, int level, precis_pdf_text *pdf) {
    if (!items) {
        return;
    }
    for (OutlineItem *item : *items) {
        int page = pageOf(doc, item);
        if (item->getAction() && item->getAction()->getKind() == actionGoTo) {
            pdf->outlineTitles.push_back(utf8(item->getTitle(), item->getTitleLength()));
            pdf->outline.push_back({nullptr, 0, page, level});
        }
        if (level < 2 && item->hasKids()) {
            item->open();
            walk(doc, item->getKids(), level + 1, pdf);
        }
    }
}

extern "C" int precis_pdf_text_outline(precis_pdf_text *pdf, const precis_pdf_outline_entry **entries) {
    pdf->outline.clear();
    pdf->outlineTitles.clear();
    if (Outline *outline = pdf->doc->getOutline()) {
        walk(pdf->doc.get(), outline->getItems(), 1, pdf);
    }
    // The titles are in place now; point at them.
    for (size_t i = 0; i < pdf->outline.size(); i++) {
        pdf->outline[i].title = pdf->outlineTitles[i].data();
        pdf->outline[i].length = pdf->outlineTitles[i].size();
    }
    *entries = pdf->outline.data();
    return static_cast<int>(pdf->outline.size());
}

extern "C" void precis_pdf_text_close(precis_pdf_text *pdf) {
    delete pdf;
}
