#include "CPopplerText.h"

// PDFDoc.h first: it brings Object.h and Dict.h in the order they need each other.
#include <PDFDoc.h>
#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <OutputDev.h>
#include <Page.h>
#include <TextOutputDev.h>
#include <goo/GooString.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

class ImageProbe;

struct precis_pdf_text {
    std::unique_ptr<PDFDoc> doc;
    std::unique_ptr<TextOutputDev> out;
    std::unique_ptr<ImageProbe> probe;
    std::string page;
    ~precis_pdf_text();
};

static void append(void *stream, const char *text, int length) {
    static_cast<std::string *>(stream)->append(text, static_cast<size_t>(length));
}

static void setUp() {
    // poppler-glib may have made them already; the same library serves both.
    static std::once_flag once;
    std::call_once(once, [] {
        if (!globalParams) {
            globalParams = std::make_unique<GlobalParams>();
        }
        globalParams->setTextEncoding("UTF-8");
        globalParams->setErrQuiet(true);
    });
}

extern "C" precis_pdf_text *precis_pdf_text_open(const char *path, const char *password, int *encrypted) {
    setUp();
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

extern "C" void precis_pdf_text_close(precis_pdf_text *pdf) {
    delete pdf;
}
