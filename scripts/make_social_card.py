"""Draw the handbook's social card (the picture link previews show): docs/assets/images/social-card.png, 1200×630.

    python scripts/make_social_card.py [--out PATH]

The PNG is committed, so building the site needs neither Pillow nor a font. Chinese text needs a CJK font
(Debian: fonts-noto-cjk); without one the card carries Latin text only. The output is deterministic for a given
Pillow and font: drawing it twice gives the same bytes (tests/test_editions.py checks that).
"""

from __future__ import annotations

import argparse
import io
import itertools
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "assets" / "images" / "social-card.png"
SIZE = (1200, 630)
INDIGO, INDIGO_DARK, WHITE, PALE = (63, 81, 181), (40, 53, 147), (255, 255, 255), (197, 202, 233)
CJK_FONTS = {  # weight -> candidates (Debian's fonts-noto-cjk first)
    "bold": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC:bold"],
    "regular": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"],
}
LATIN_FONTS = {
    "bold": ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans:bold"],
    "regular": ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"],
}
TEXT_ZH = {
    "title": "AI 大模型学习与进阶",
    "lines": ["从反向传播、Transformer 到预训练、对齐与部署", "公式逐个符号讲解 · notebook 在 CPU 上离线运行"],
    "tag": "开放的中文手册 · 可离线阅读 · 提供 PDF",
}
TEXT_EN = {
    "title": "AI LLM Handbook",
    "lines": ["From backpropagation and Transformers", "to pretraining, alignment and deployment"],
    "tag": "An open handbook in Chinese · offline edition · PDF",
}
URL = "ai-llm-handbook.github.io/handbook"


def _font_file(candidates: list[str]) -> str | None:
    for candidate in candidates:
        if candidate.startswith("/"):
            if Path(candidate).exists():
                return candidate
            continue
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", candidate], capture_output=True, text=True,
                                   timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if found and Path(found).exists():
            return found
    return None


def _load(path: str, size: int, want: str | None) -> ImageFont.FreeTypeFont:
    """A font from a file; in a collection (.ttc), the face whose family name contains `want` (e.g. "SC")."""
    for index in range(16 if path.endswith(".ttc") else 1):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if want is None or want in font.getname()[0]:
            return font
    return ImageFont.truetype(path, size)


def fonts() -> tuple[dict[str, str], str | None]:
    """Font files for the card and the collection face wanted, preferring a CJK font."""
    cjk = {weight: _font_file(c) for weight, c in CJK_FONTS.items()}
    if all(cjk.values()) and all("CJK" in (path or "") or "cjk" in (path or "").lower() for path in cjk.values()):
        return cjk, "SC"  # type: ignore[return-value]
    latin = {weight: _font_file(c) for weight, c in LATIN_FONTS.items()}
    if not all(latin.values()):
        raise SystemExit("no usable font: install fonts-noto-cjk (or at least fonts-dejavu-core)")
    return latin, None  # type: ignore[return-value]


def draw_card() -> bytes:
    files, face = fonts()
    text = TEXT_ZH if face else TEXT_EN
    image = Image.new("RGB", SIZE, INDIGO)
    draw = ImageDraw.Draw(image)
    # A band and a small network (input, hidden, output layers): the handbook's subject, drawn plainly.
    draw.rectangle([0, SIZE[1] - 120, SIZE[0], SIZE[1]], fill=INDIGO_DARK)
    layers = [[175, 265, 355], [130, 220, 310, 400], [220, 310]]
    xs = [905, 1015, 1120]
    nodes = [[(x, y) for y in ys] for x, ys in zip(xs, layers, strict=True)]
    for left, right in itertools.pairwise(nodes):
        for a in left:
            for b in right:
                draw.line([a, b], fill=PALE, width=2)
    for layer in nodes:
        for x, y in layer:
            draw.ellipse([x - 16, y - 16, x + 16, y + 16], fill=WHITE, outline=PALE, width=3)

    bold, regular = _load(files["bold"], 76, face), _load(files["regular"], 34, face)
    small = _load(files["regular"], 28, face)
    draw.text((80, 120), text["title"], font=bold, fill=WHITE)
    for number, line in enumerate(text["lines"]):
        draw.text((80, 250 + 56 * number), line, font=regular, fill=PALE)
    draw.text((80, 400), text["tag"], font=small, fill=WHITE)
    draw.text((80, SIZE[1] - 80), URL, font=small, fill=WHITE)

    # A 32-colour palette keeps the file small; no timestamps or other metadata, so the bytes are reproducible.
    quantized = image.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = draw_card()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out} ({len(data) / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
