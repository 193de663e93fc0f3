#ifndef PRECIS_CPOPPLER_TEXT_H
#define PRECIS_CPOPPLER_TEXT_H
/// A PDF's page text through poppler's own text extractor, as pdftotext runs it: one text output
/// device for the whole document. poppler-glib makes a new one for every page, which sets up the
/// document's ICC colour spaces (lcms transforms) again on each page and cost the 60-PDF benchmark
/// a fifth of its time.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct precis_pdf_text precis_pdf_text;

/// Sets poppler's global parameters up, once for the process; call before opening a document
/// through poppler-glib too (`precis_pdf_text_open` calls it).
void precis_pdf_setup(void);

/// Opens the PDF at `path` (a file path, not a URI) with `password` (NULL for none).
/// Returns NULL when it cannot be opened; `*encrypted` is then 1 when a password is the reason.
precis_pdf_text *precis_pdf_text_open(const char *path, const char *password, int *encrypted);

/// The number of pages.
int precis_pdf_text_pages(const precis_pdf_text *pdf);

/// The UTF-8 text of page `page` (1-based), `*length` bytes, not terminated; valid until the next
/// call on `pdf`.
const char *precis_pdf_text_page(precis_pdf_text *pdf, int page, size_t *length);

/// Whether page `page` (1-based) draws an image: what a scanned page is made of.
int precis_pdf_text_page_has_image(precis_pdf_text *pdf, int page);

/// The document's title in UTF-8, `*length` bytes, or NULL when it has none; valid until the next
/// call on `pdf`.
const char *precis_pdf_text_title(precis_pdf_text *pdf, size_t *length);

/// One entry of the outline: its title (UTF-8, `length` bytes), the 1-based page it goes to (0 when
/// unknown), and its level (1 for a chapter, 2 for a section in it).
typedef struct {
    const char *title;
    size_t length;
    int page;
    int level;
} precis_pdf_outline_entry;

/// The outline's first two levels, in order; `*entries` is valid until the next call on `pdf`.
int precis_pdf_text_outline(precis_pdf_text *pdf, const precis_pdf_outline_entry **entries);

void precis_pdf_text_close(precis_pdf_text *pdf);

#ifdef __cplusplus
}
#endif
#endif
