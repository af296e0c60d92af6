"""The README's screenshot of the explorer: serve it, press Play, wait for the horizon, take the picture.

    python scripts/explorer_screenshot.py            # writes docs/images/explorer.png
    python scripts/explorer_screenshot.py out.png
    python scripts/explorer_screenshot.py --regions china_us   # the region view: docs/images/explorer_regions.png

Needs the explorer extra and the system Chromium (Debian: chromium); runs offline on 127.0.0.1.
"""

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from simulation.explorer.launch import CHROMIUM_FLAGS, chromium_path, running_server

ROOT = Path(__file__).resolve().parent.parent
MONTHS = 120


def main(out: Path, regions: str = "none") -> int:
    chromium = chromium_path()
    if chromium is None:
        print("explorer_screenshot: Chromium is not installed (Debian: apt-get install -y --no-install-recommends chromium)", file=sys.stderr)
        return 2
    start = time.monotonic()
    with running_server(regions=regions) as url, sync_playwright() as pw:
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
    import argparse

    parser = argparse.ArgumentParser(description="The README's screenshot of the explorer.")
    parser.add_argument("out", nargs="?", type=Path, help="where to write it (default docs/images/explorer.png, or explorer_regions.png)")
    parser.add_argument("--regions", default="none", help="the Regions control's value (none, china_us)")
    args = parser.parse_args()
    default = "explorer.png" if args.regions == "none" else "explorer_regions.png"
    sys.exit(main(args.out or ROOT / "docs" / "images" / default, args.regions))
