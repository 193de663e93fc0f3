#!/usr/bin/env python3
"""Builds the sample PDFs in samples/pdf from the texts in scripts/sample-sources, and the test
fixtures in Tests/Fixtures/pdf: a book with an outline (one chapter per page run), and the same book
encrypted with a user password and with an owner password only (RC4, 128-bit, PDF 1.4).

No dependencies: it writes PDF 1.4 by hand. English uses the standard Helvetica font; Chinese uses
Adobe's standard STSong-Light CID font with the UniGB-UCS2-H CMap, which PDF readers resolve
without an embedded font (poppler does so through poppler-data). The output is deterministic.

Usage: python3 scripts/make_sample_pdfs.py
"""
import hashlib
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample-sources"
OUT = ROOT / "samples" / "pdf"
FIXTURES = ROOT / "Tests" / "Fixtures" / "pdf"
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

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


def serialize(objects, trailer):
    """A PDF file from its objects (object 1 first) and the trailer's entries."""
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(data)


def rc4(key, data):
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def security(user, owner, file_id, permissions=-3904):
    """The Standard security handler, revision 3: /O, /U and the file key (PDF 1.4, 7.6.3)."""
    def padded(password):
        return (password.encode("latin-1") + PAD)[:32]
    digest = hashlib.md5(padded(owner or user)).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    o = rc4(digest, padded(user))
    for i in range(1, 20):
        o = rc4(bytes(b ^ i for b in digest), o)
    key = hashlib.md5(padded(user) + o + permissions.to_bytes(4, "little", signed=True) + file_id).digest()
    for _ in range(50):
        key = hashlib.md5(key).digest()
    u = rc4(key, hashlib.md5(PAD + file_id).digest())
    for i in range(1, 20):
        u = rc4(bytes(b ^ i for b in key), u)
    return o, u + bytes(16), key, permissions


def build(source, target, paragraphs=None, outline=None, encrypt=None):
    """Writes one PDF. `outline` is [(title, first paragraph index)], each chapter starting a page;
    `encrypt` is (user password, owner password)."""
    if paragraphs is None:
        text = source.read_text(encoding="utf-8")
        paragraphs = [p.strip().replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    cjk = is_cjk("".join(paragraphs))
    starts = sorted({0} | {i for _, i in outline or []})
    pages, page_of = [], {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(paragraphs)
        page_of[start] = len(pages)
        chunk, leading = layout(paragraphs[start:end], cjk)
        pages += chunk
    title = paragraphs[0]
    file_id = hashlib.md5(target.name.encode()).digest()
    secret = security(*encrypt, file_id) if encrypt else None

    objects = []  # index 0 is object 1

    def add(body):
        objects.append(body)
        return len(objects)

    def seal(number, stream):
        if not secret:
            return stream
        return rc4(hashlib.md5(secret[2] + number.to_bytes(3, "little") + b"\0\0").digest(), stream)

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
        number = len(objects) + 1
        sealed = seal(number, stream)
        contents = add(b"<< /Length %d >>\nstream\n" % len(sealed) + sealed + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_obj, PAGE_W, PAGE_H, contents, font)))
    extra = b""
    if outline and not secret:
        root = add(None)
        items = [len(objects) + 1 + i for i in range(len(outline))]
        for i, (heading, start) in enumerate(outline):
            links = b"".join([b" /Prev %d 0 R" % items[i - 1] if i else b"",
                              b" /Next %d 0 R" % items[i + 1] if i + 1 < len(items) else b""])
            name = "<FEFF" + heading.encode("utf-16-be").hex().upper() + ">"
            add(b"<< /Title %s /Parent %d 0 R%s /Dest [%d 0 R /XYZ 0 %d 0] >>" % (
                name.encode(), root, links, kids[page_of[start]], PAGE_H))
        objects[root - 1] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items))
        extra = b" /Outlines %d 0 R /PageMode /UseOutlines" % root
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_obj, extra)
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    trailer = b""
    if secret:
        o, u, _, permissions = secret
        encrypt_obj = add(b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%s> /U <%s> /P %d >>" % (
            o.hex().upper().encode(), u.hex().upper().encode(), permissions))
        trailer = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt_obj, file_id.hex().encode(), file_id.hex().encode())
        info = None
    else:
        info_title = "<FEFF" + title.encode("utf-16-be").hex().upper() + ">"
        info = add(b"<< /Title %s /Producer (precis make_sample_pdfs.py) >>" % info_title.encode())
        trailer = b" /Info %d 0 R" % info

    data = serialize(objects, b" /Root %d 0 R%s" % (catalog, trailer))
    target.write_bytes(data)
    print(f"{target.relative_to(ROOT)}: {len(pages)} pages, {len(data)} bytes")


def scanned(source, target, dpi=150):
    """An image-only PDF, as a scanner makes: page 1 of `source` rendered by pdftoppm (poppler-utils)
    to grey pixels, with no text layer."""
    import subprocess
    import zlib
    pgm = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(source)],
                         check=True, capture_output=True).stdout
    # Binary PGM: "P5\n<w> <h>\n255\n" then the pixels.
    header, rest = pgm.split(b"\n", 1)
    dims, rest = rest.split(b"\n", 1)
    _, pixels = rest.split(b"\n", 1)
    width, height = map(int, dims.split())
    image = zlib.compress(pixels, 9)
    page_w, page_h = width * 72 // dpi, height * 72 // dpi
    content = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (page_w, page_h)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>" % (page_w, page_h),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(image)) + image + b"\nendstream",
    ]
    data = serialize(objects, b" /Root 1 0 R")
    target.write_bytes(data)
    print(f"{target.relative_to(ROOT)}: 1 page, image only, {len(data)} bytes")


def blank(target):
    """A PDF of one page with nothing on it."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    data = serialize(objects, b" /Root 1 0 R")
    target.write_bytes(data)
    print(f"{target.relative_to(ROOT)}: 1 blank page, {len(data)} bytes")


def book():
    """The English story as a book: its title, then chapters from its "Chapter N:" lines."""
    text = (ROOT / "samples" / "en" / "harrow-point.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip().replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    outline = [(p, i) for i, p in enumerate(paragraphs) if p.startswith("Chapter ")]
    return paragraphs, outline


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for source in sorted(SOURCES.glob("*.txt")):
        build(source, OUT / (source.stem + ".pdf"))
    FIXTURES.mkdir(parents=True, exist_ok=True)
    paragraphs, outline = book()
    build(None, FIXTURES / "outlined-book.pdf", paragraphs, outline)
    build(None, FIXTURES / "user-password.pdf", paragraphs, outline, encrypt=("secret", "owner"))
    build(None, FIXTURES / "owner-password-only.pdf", paragraphs, outline, encrypt=("", "owner"))
    scanned(OUT / "community-solar-report.pdf", FIXTURES / "scanned.pdf")
    blank(FIXTURES / "blank.pdf")


if __name__ == "__main__":
    main()
