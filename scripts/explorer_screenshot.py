"""The README's screenshot of the explorer: serve it, press Play, wait for the horizon, take the picture.

    python scripts/explorer_screenshot.py            # writes docs/images/explorer.png
    python scripts/explorer_screenshot.py out.png

Needs the explorer extra and the system Chromium (Debian: chromium); runs offline on 127.0.0.1.
"""

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from simulation.explorer.launch import CHROMIUM_FLAGS, chromium_path, running_server

ROOT = Path(__file__).resolve().parent.parent
MONTHS = 120


def main(out: Path) -> int:
    chromium = chromium_path()
    if chromium is None:
        print("explorer_screenshot: Chromium is not installed (Debian: apt-get install -y --no-install-recommends chromium)", file=sys.stderr)
        return 2
    start = time.monotonic()
    with running_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1320})
            page.goto(url, wait_until="networkidle", timeout=60_000)
            page.get_by_text(f"month 0 of {MONTHS}").wait_for(timeout=60_000)
            page.get_by_role("button", name="▶").click()
            page.get_by_text(f"month {MONTHS} of {MONTHS}").wait_for(timeout=300_000)
            page.wait_for_timeout(1500)  # the last plots arrive after the text
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()
    print(f"wrote {out} ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "explorer.png"))
