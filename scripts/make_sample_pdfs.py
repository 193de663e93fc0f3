#!/usr/bin/env python3
"""Builds the sample PDFs in samples/pdf from the texts in scripts/sample-sources.

No dependencies: it writes PDF 1.4 by hand. English uses the standard Helvetica font; Chinese uses
Adobe's standard STSong-Light CID font with the UniGB-UCS2-H CMap, which PDF readers resolve
without an embedded font (poppler does so through poppler-data). The output is deterministic.

Usage: python3 scripts/make_sample_pdfs.py
"""
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample-sources"
OUT = ROOT / "samples" / "pdf"

PAGE_W, PAGE_H, MARGIN = 595, 842, 56


def is_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def layout(paragraphs, cjk):
    """Lines per page: (font size, text) pairs, wrapped to the page width."""
    size = 12 if cjk else 10.5
    leading = size * 1.5
    per_line = int((PAGE_W - 2 * MARGIN) / size) if cjk else 92
    lines = []
    for i, para in enumerate(paragraphs):
        heading = i == 0 or (len(para) < 60 and not para.rstrip().endswith(("。", ".")))
        if cjk:
            wrapped = [para[j:j + per_line] for j in range(0, len(para), per_line)] or [""]
        else:
            wrapped = textwrap.wrap(para, per_line) or [""]
        lines += [(size * (1.4 if heading else 1), w) for w in wrapped] + [(size, "")]
    rows = int((PAGE_H - 2 * MARGIN) / leading)
    return [lines[i:i + rows] for i in range(0, len(lines), rows)], leading


def content_stream(lines, leading, cjk, page_no):
    out = ["BT", f"{MARGIN} {PAGE_H - MARGIN} Td"]
    for size, text in lines:
        out.append(f"/F1 {size:.1f} Tf")
        if text:
            if cjk:
                out.append("<" + text.encode("utf-16-be").hex().upper() + "> Tj")
            else:
                out.append(f"({escape(text)}) Tj")
        out.append(f"0 {-leading:.1f} Td")
    out.append("ET")
    # A page number in the footer, as real reports have.
    out += ["BT", f"/F1 9 Tf {PAGE_W / 2 - 10:.0f} 30 Td", f"({page_no}) Tj" if not cjk else "<" + str(page_no).encode("utf-16-be").hex().upper() + "> Tj", "ET"]
    return "\n".join(out).encode("latin-1")


def build(source, target):
    text = source.read_text(encoding="utf-8")
    paragraphs = [p.strip().replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    cjk = is_cjk(text)
    pages, leading = layout(paragraphs, cjk)
    title = paragraphs[0]

    objects = []  # index 0 is object 1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_obj = add(None)
    if cjk:
        descriptor = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                         b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
        cid = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                  b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
                  b"/FontDescriptor %d 0 R /DW 1000 >>" % descriptor)
        font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                   b"/DescendantFonts [%d 0 R] >>" % cid)
    else:
        font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for n, lines in enumerate(pages, start=1):
        stream = content_stream(lines, leading, cjk, n)
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_obj, PAGE_W, PAGE_H, contents, font)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info_title = "<FEFF" + title.encode("utf-16-be").hex().upper() + ">"
    info = add(b"<< /Title %s /Producer (precis make_sample_pdfs.py) >>" % info_title.encode())

    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info, xref)
    target.write_bytes(bytes(data))
    print(f"{target.relative_to(ROOT)}: {len(pages)} pages, {len(data)} bytes")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for source in sorted(SOURCES.glob("*.txt")):
        build(source, OUT / (source.stem + ".pdf"))


if __name__ == "__main__":
    main()
