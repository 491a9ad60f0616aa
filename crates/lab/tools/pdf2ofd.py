#!/usr/bin/env python3
"""Writes a PDF's pages as an OFD (GB/T 33190-2016), as the converters offices use do
(数科, 福昕 and WPS "print" a document to OFD): every char placed where the PDF draws it,
the ruling as path objects, images as image objects. The layout lab reads the PDF with
pdfminer.six, a reader independent of nianbao's, so that the OFD the lab feeds nianbao
does not carry nianbao's own reading of the PDF.

Usage: pdf2ofd.py STYLE IN.pdf OUT.ofd, STYLE one of
  runs      a text object for each run of chars on one baseline, each char's step given
            (DeltaX); ruling stroked as lines
  chars     a text object for each char, placed by itself (no steps), clipped as the PDF
            clips it (Clips: a label cut at its cell's border is written whole, and clipped)
  scaled    runs drawn at twice the size and scaled back by each object's CTM, steps of
            one size compressed ("g 5 3.5"), the parts named by absolute paths
  template  runs; ruling as thin filled rectangles; a template page (a header rule)
            under every page
  points    a text object for each char as print drivers write it: its code in points,
            far from its boundary, a CTM scaling points to millimetres and moving the code
            back to the boundary, the glyph named (CGTransform); Fill and Stroke given
"""

import sys
import uuid
import zipfile

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

MM = 25.4 / 72.0
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
THIN = 2.0  # points: a filled rectangle thinner than this is a line


class ClippingInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, following the clipping path's box (pdfminer's own ignores
    W): a PDF printer writes no char the page clips away (a cell's overflowing label that
    LibreOffice cuts at the cell's border)."""

    def init_state(self, ctm):
        super().init_state(ctm)
        self.clip = None
        self.clipping = False

    def get_current_state(self):
        return (super().get_current_state(), self.clip)

    def set_current_state(self, state):
        inner, clip = state
        super().set_current_state(inner)
        self.clip = clip

    def do_W(self):
        self.clipping = True

    def do_W_a(self):
        self.clipping = True

    def take_clip(self):
        if not self.clipping:
            return
        self.clipping = False
        a, b, c, d, e, f = self.ctm
        points = [
            (a * x + c * y + e, b * x + d * y + f)
            for segment in self.curpath
            for x, y in zip(segment[1::2], segment[2::2])
            if isinstance(x, (int, float)) and isinstance(y, (int, float))
        ]
        if not points:
            return
        box = (
            min(p[0] for p in points),
            min(p[1] for p in points),
            max(p[0] for p in points),
            max(p[1] for p in points),
        )
        if self.clip is not None:
            box = (
                max(box[0], self.clip[0]),
                max(box[1], self.clip[1]),
                min(box[2], self.clip[2]),
                min(box[3], self.clip[3]),
            )
        self.clip = box

    def do_n(self):
        self.take_clip()
        super().do_n()

    def do_f(self):
        self.take_clip()
        super().do_f()

    def do_S(self):
        self.take_clip()
        super().do_S()


class ClippedAggregator(PDFPageAggregator):
    """Notes on each char the box the interpreter's clip shows it in (`clip`), and whether
    its middle falls outside it (`hidden`)."""

    interpreter = None

    def render_char(self, *args, **kwargs):
        advance = super().render_char(*args, **kwargs)
        clip = self.interpreter.clip if self.interpreter else None
        item = self.cur_item._objs[-1] if self.cur_item._objs else None
        if isinstance(item, LTChar):
            item.clip = clip
            x, y = (item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2
            item.hidden = clip is not None and not (
                clip[0] - 1 <= x <= clip[2] + 1 and clip[1] - 1 <= y <= clip[3] + 1
            )
        return advance


def num(v):
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def walk(items):
    for item in items:
        if isinstance(item, LTFigure):
            yield from walk(item)
        else:
            yield item


def runs_of(chars):
    """Chars in drawing order, grouped while they stay on one baseline at one size."""
    runs = []
    for ch in chars:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and abs(ch["base"] - last["base"]) < 0.1
            and abs(ch["size"] - last["size"]) < 0.01
            and 0 <= ch["x"] - last["x"] <= 3 * ch["size"]
        ):
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return runs


def deltas(steps, compress):
    out = []
    i = 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        if compress and j - i >= 3:
            out.append(f"g {j - i} {num(steps[i])}")
        else:
            out.extend(num(s) for s in steps[i:j])
        i = j
    return " ".join(out)


class Ids:
    def __init__(self):
        self.n = 10

    def next(self):
        self.n += 1
        return self.n


def text_objects(chars, style, ids, font_id):
    objects = []
    if style == "points":
        pt = 72.0 / 25.4
        for ch in chars:
            size = ch["size"]
            left, top = ch["x"], ch["base"] - size
            # The code where a driver's page in points puts it, y growing up from the foot.
            code_x, code_y = ch["x"] * pt, -(ch["base"] * pt)
            e, f = -code_x * MM, (ch["base"] - top) - code_y * MM
            objects.append(
                f'<ofd:TextObject ID="{ids.next()}" CTM="{MM:.6f} 0 0 {MM:.6f} {e:.6f} {f:.6f}" '
                f'Boundary="{num(left)} {num(top)} {num(ch["adv"])} {num(size * 1.2)}" '
                f'LineWidth="1" Font="{font_id}" Size="{num(size * pt)}" Stroke="false" Fill="true">'
                f'<ofd:FillColor ColorSpace="{font_id}" Value="0"/>'
                f'<ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>'
                f'{ord(ch["text"][0]) % 9000 + 3}</ofd:Glyphs></ofd:CGTransform>'
                f'<ofd:TextCode X="{num(code_x)}" Y="{num(code_y)}">{esc(ch["text"])}</ofd:TextCode>'
                f"</ofd:TextObject>"
            )
        return objects
    if style == "chars":
        for ch in chars:
            size = ch["size"]
            left, top = ch["x"], ch["base"] - size
            clips = ""
            if ch["clip"] is not None:
                # The clip's box, relative to the object's boundary.
                cx, cy, cw, ch_ = ch["clip"]
                clips = (
                    f'<ofd:Clips><ofd:Clip><ofd:Area><ofd:Path Boundary="{num(cx - left)} '
                    f'{num(cy - top)} {num(cw)} {num(ch_)}"><ofd:AbbreviatedData>M 0 0 L '
                    f"{num(cw)} 0 L {num(cw)} {num(ch_)} L 0 {num(ch_)} C</ofd:AbbreviatedData>"
                    f"</ofd:Path></ofd:Area></ofd:Clip></ofd:Clips>"
                )
            objects.append(
                f'<ofd:TextObject ID="{ids.next()}" Boundary="{num(left)} '
                f'{num(top)} {num(ch["adv"])} {num(size * 1.2)}" '
                f'Font="{font_id}" Size="{num(size)}">{clips}<ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="{num(size)}">{esc(ch["text"])}</ofd:TextCode>'
                f"</ofd:TextObject>"
            )
        return objects
    scale = 2.0 if style == "scaled" else 1.0
    for run in runs_of(chars):
        size = run[0]["size"]
        left, top = run[0]["x"], run[0]["base"] - size
        width = run[-1]["x"] + run[-1]["adv"] - left
        steps = [round((b["x"] - a["x"]) * scale, 3) for a, b in zip(run, run[1:])]
        ctm = ' CTM="0.5 0 0 0.5 0 0"' if scale != 1.0 else ""
        delta = deltas(steps, style == "scaled")
        delta_attr = f' DeltaX="{delta}"' if delta else ""
        text = "".join(ch["text"] for ch in run)
        objects.append(
            f'<ofd:TextObject ID="{ids.next()}" Boundary="{num(left)} {num(top)} '
            f'{num(width)} {num(size * 1.2)}" Font="{font_id}" Size="{num(size * scale)}"{ctm}>'
            f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{num(size * scale)}"'
            f"{delta_attr}>{esc(text)}</ofd:TextCode></ofd:TextObject>"
        )
    return objects


def path_objects(lines, style, ids):
    objects = []
    for x0, y0, x1, y1 in lines:
        left, top = min(x0, x1), min(y0, y1)
        w, h = abs(x1 - x0), abs(y1 - y0)
        if style == "template":
            # A thin filled rectangle along the line.
            if w >= h:
                top, h = top - 0.15, 0.3
            else:
                left, w = left - 0.15, 0.3
            data = f"M 0 0 L {num(w)} 0 L {num(w)} {num(h)} L 0 {num(h)} C"
            objects.append(
                f'<ofd:PathObject ID="{ids.next()}" Boundary="{num(left)} {num(top)} '
                f'{num(w)} {num(h)}" Fill="true" Stroke="false"><ofd:FillColor Value="0 0 0"/>'
                f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>"
            )
        else:
            data = f"M {num(x0 - left)} {num(y0 - top)} L {num(x1 - left)} {num(y1 - top)}"
            objects.append(
                f'<ofd:PathObject ID="{ids.next()}" Boundary="{num(left)} {num(top)} '
                f'{num(max(w, 0.1))} {num(max(h, 0.1))}" LineWidth="0.25">'
                f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>"
            )
    return objects


def page_items(layout, height, keep_hidden):
    """The page's chars, ruling lines and images, in millimetres from its top left; chars
    the page's clip hides only when `keep_hidden` (written with their clip)."""
    to_mm = lambda x, y: (x * MM, (height - y) * MM)
    chars, lines, images = [], [], []
    for item in walk(layout):
        if isinstance(item, LTChar):
            text = item.get_text()
            if not text.strip() or text.startswith("(cid:"):
                continue
            if getattr(item, "hidden", False) and not keep_hidden:
                continue
            a, b, c, d, e, f = item.matrix
            x, base = to_mm(e, f)
            clip = getattr(item, "clip", None)
            if clip is not None:
                left, top = to_mm(clip[0], clip[3])
                clip = (left, top, (clip[2] - clip[0]) * MM, (clip[3] - clip[1]) * MM)
            chars.append(
                {
                    "text": text,
                    "x": x,
                    "base": base,
                    "size": (item.y1 - item.y0) * MM,
                    "adv": (item.x1 - item.x0) * MM,
                    "clip": clip,
                }
            )
        elif isinstance(item, LTImage):
            x, y = to_mm(item.x0, item.y1)
            images.append((x, y, (item.x1 - item.x0) * MM, (item.y1 - item.y0) * MM))
        elif isinstance(item, (LTLine, LTRect, LTCurve)):
            if isinstance(item, LTRect) or (isinstance(item, LTCurve) and len(item.pts) in (4, 5)):
                x0, y0, x1, y1 = item.x0, item.y0, item.x1, item.y1
                w, h = x1 - x0, y1 - y0
                if h < THIN and w >= h:
                    segs = [(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
                elif w < THIN and h > w:
                    segs = [((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
                elif item.stroke:
                    segs = [(x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)]
                else:
                    segs = []  # a filled area: a background, no ruling
            else:
                pts = item.pts
                segs = [(p[0], p[1], q[0], q[1]) for p, q in zip(pts, pts[1:])]
            for sx0, sy0, sx1, sy1 in segs:
                if abs(sx0 - sx1) < 0.5 or abs(sy0 - sy1) < 0.5:
                    a, b = to_mm(sx0, sy0)
                    c, d = to_mm(sx1, sy1)
                    lines.append((a, b, c, d))
    return chars, lines, images


def main():
    style, source, target = sys.argv[1:4]
    if style not in ("runs", "chars", "scaled", "template", "points"):
        sys.exit(f"unknown style {style}")
    manager = PDFResourceManager()
    device = ClippedAggregator(manager, laparams=None)
    interpreter = ClippingInterpreter(manager, device)
    device.interpreter = interpreter
    ids = Ids()
    font_id = ids.next()
    template_id = ids.next()
    image_id = ids.next()
    pages = []
    with open(source, "rb") as pdf:
        for page in PDFPage.get_pages(pdf):
            interpreter.process_page(page)
            layout = device.get_result()
            x0, y0, x1, y1 = layout.bbox
            chars, lines, images = page_items(layout, y1, style == "chars")
            body = text_objects(chars, style, ids, font_id)
            body += path_objects(lines, style, ids)
            for x, y, w, h in images:
                body.append(
                    f'<ofd:ImageObject ID="{ids.next()}" Boundary="{num(x)} {num(y)} {num(w)} '
                    f'{num(h)}" CTM="{num(w)} 0 0 {num(h)} 0 0" ResourceID="{image_id}"/>'
                )
            pages.append(((x1 - x0) * MM, (y1 - y0) * MM, body))
    width, height = pages[0][0], pages[0][1]
    absolute = "/" if style == "scaled" else ""
    files = {}
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{uuid.uuid4().hex}</ofd:DocID>"
        f"<ofd:Creator>nianbao-lab pdf2ofd</ofd:Creator></ofd:DocInfo>"
        f"<ofd:DocRoot>{absolute}Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    template = ""
    if style == "template":
        template = f'<ofd:TemplatePage ID="{template_id}" BaseLoc="Tpls/Tpl_0/Content.xml" ZOrder="Background"/>'
        rule = f"M 0 0 L {num(width - 50)} 0 L {num(width - 50)} 0.5 L 0 0.5 C"
        files["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content>'
            f'<ofd:Layer ID="{ids.next()}" Type="Background"><ofd:PathObject ID="{ids.next()}" '
            f'Boundary="25 12 {num(width - 50)} 0.5" Fill="true" Stroke="false">'
            f"<ofd:AbbreviatedData>{rule}</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer>"
            f"</ofd:Content></ofd:Page>"
        )
    page_refs = "".join(
        f'<ofd:Page ID="{ids.next()}" BaseLoc="{absolute}{"Doc_0/" if absolute else ""}Pages/Page_{n}/Content.xml"/>'
        for n in range(len(pages))
    )
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
        f"<ofd:MaxUnitID>{ids.n + 1}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 "
        f"{num(width)} {num(height)}</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{template}</ofd:CommonData>"
        f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {NS} BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="{font_id}" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    for n, (w, h, body) in enumerate(pages):
        area = ""
        if abs(w - width) > 0.01 or abs(h - height) > 0.01:
            area = f"<ofd:Area><ofd:PhysicalBox>0 0 {num(w)} {num(h)}</ofd:PhysicalBox></ofd:Area>"
        uses = (
            f'<ofd:Template TemplateID="{template_id}" ZOrder="Background"/>' if template else ""
        )
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}>{area}{uses}<ofd:Content>'
            f'<ofd:Layer ID="{ids.next()}">{"".join(body)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as ofd:
        for name, text in files.items():
            ofd.writestr(name, text.encode("utf-8"))


if __name__ == "__main__":
    main()
