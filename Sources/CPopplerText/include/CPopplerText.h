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

void precis_pdf_text_close(precis_pdf_text *pdf);

#ifdef __cplusplus
}
#endif
#endif
