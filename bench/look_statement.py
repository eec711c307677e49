"""Look at a statement as a person will: render one from the tests' generated data set (several hundred
testimonies in four languages, every consent level, some withdrawn) to HTML and PDF, take screenshots of the
page in headless Chromium at a desktop and at a phone width, and turn the PDF's pages into images with
poppler's `pdftoppm`, all as PNG files.

    .venv/bin/python -m bench.look_statement                          # the letter in en and ja, into ./look/
    .venv/bin/python -m bench.look_statement --kinds letter,un_portal --locales en,es,ja,zh_Hans --out /tmp/look

Neither tool is a dependency: on Debian `apt-get install chromium poppler-utils` (the page and the PDF embed
the fonts they use, so no font package is needed). Without them the HTML and PDF files are still written, to
open in any browser or reader. Prints one JSON object per document: the files written and their sizes."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options
from bot.statements.render.html import render_html
from bot.statements.render.pdf import render_pdf
from bot.store import Store

SIZES = {"desktop": (1280, 7000), "phone": (390, 9000)}


async def statement():
    from tests.integration.test_statement_aggregate import SNAPSHOT, generate, load

    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "look.db")
        try:
            await load(store, generate())
            return await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
        finally:
            await store.close()


def browser() -> str | None:
    return next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)


def screenshot(chromium: str, page: Path, png: Path, width: int, height: int) -> None:
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--force-device-scale-factor=1", "--virtual-time-budget=10000", f"--window-size={width},{height}",
         f"--screenshot={png}",
         page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120)


def pages(pdftoppm: str, document: Path, prefix: Path) -> None:
    subprocess.run([pdftoppm, "-r", "110", "-png", str(document), str(prefix)], check=True, timeout=300)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default="letter")
    parser.add_argument("--locales", default="en,ja")
    parser.add_argument("--out", type=Path, default=Path("look"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    made = await statement()
    chromium, pdftoppm = browser(), shutil.which("pdftoppm")
    if chromium is None:
        print("chromium not found: writing the HTML only (apt-get install chromium to get screenshots)",
              file=sys.stderr)
    if pdftoppm is None:
        print("pdftoppm not found: writing the PDF only (apt-get install poppler-utils to get its pages as PNG)",
              file=sys.stderr)
    for kind in args.kinds.split(","):
        for locale in args.locales.split(","):
            page = args.out / f"{kind}.{locale}.html"
            page.write_text(await render_html(made, kind, locale), encoding="utf-8")
            files = [str(page)]
            if chromium:
                for size, (width, height) in SIZES.items():
                    png = args.out / f"{kind}.{locale}.{size}.png"
                    screenshot(chromium, page, png, width, height)
                    files.append(str(png))
            document = args.out / f"{kind}.{locale}.pdf"
            document.write_bytes(await render_pdf(made, kind, locale))
            files.append(str(document))
            if pdftoppm:
                prefix = args.out / f"{kind}.{locale}.pdf-page"
                pages(pdftoppm, document, prefix)
                files += sorted(str(p) for p in args.out.glob(f"{prefix.name}-*.png"))
            print(json.dumps({"kind": kind, "locale": locale, "files": files, "html_bytes": page.stat().st_size,
                              "pdf_bytes": document.stat().st_size}))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
