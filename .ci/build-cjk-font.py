#!/usr/bin/env python3
"""Rebuild the bundled CJK font, sopdesk/fonts/WenQuanYiMicroHei-subset.ttf, from Debian's package.

    python3 .ci/build-cjk-font.py            # apt-get download fonts-wqy-microhei, subset, write
    python3 .ci/build-cjk-font.py --check    # rebuild into a temporary file and compare
    python3 .ci/build-cjk-font.py --ttc /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

The PDF writer (sopdesk/services/documents.py) draws Latin, Greek, Cyrillic and Arabic in DejaVu
Sans and falls back to this font for Chinese, Japanese and Korean. The whole WenQuanYi Micro Hei
is 5 MB (two faces); the subset keeps the regular face's TrueType outlines for

- GB 2312 (every character of the Simplified Chinese standard set),
- Big5 (Traditional Chinese, both levels), JIS X 0208 (Japanese kanji and kana) and
  KS X 1001 (the 2,350 common Hangul syllables and the hanja),
- CJK punctuation, kana, bopomofo, enclosed CJK letters and units (㈱ ㎡), vertical and
  full-width forms,

without hinting (a PDF does not need it), which comes to about 3 MB. The Debian package version
and the SHA-256 of its font file are pinned below, and fontTools writes the same bytes for the same
input, so a rebuild with the same fontTools gives the same file (`--check` says whether it does).

Needs fontTools (installed with fpdf2) and, without --ttc/--deb, apt-get (after `apt-get update`)
and dpkg-deb (Debian, Ubuntu). The font is licensed under the Apache License 2.0 (see
sopdesk/fonts/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "sopdesk" / "fonts" / "WenQuanYiMicroHei-subset.ttf"
PACKAGE = "fonts-wqy-microhei"
VERSION = "0.2.0-beta-3.1"
TTC_IN_PACKAGE = "usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TTC_SHA256 = "2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"
FACE = 0  # 0: WenQuanYi Micro Hei, 1: … Mono
RANGES = (
    (0x3000, 0x30FF),  # CJK symbols and punctuation, hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3200, 0x33FF),  # enclosed CJK letters (㈱), CJK compatibility (㎡ ㎏)
    (0xFE30, 0xFE4F),  # CJK compatibility (vertical) forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
NOTICE = (
    " Subset made for sopdesk from Debian's {package} {version} by .ci/build-cjk-font.py: "
    "GB 2312, Big5, JIS X 0208, KS X 1001 and CJK punctuation only, without hinting."
)


def double_byte(codec: str, leads: range, trails: tuple[range, ...]) -> set[int]:
    """Every character a double-byte legacy encoding has (its code points)."""
    found: set[int] = set()
    for lead in leads:
        for trail_range in trails:
            for trail in trail_range:
                try:
                    text = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(text) == 1:
                    found.add(ord(text))
    return found


def wanted() -> dict[str, set[int]]:
    """The character sets the subset keeps, by name."""
    high = (range(0xA1, 0xFF),)
    return {
        "GB 2312": double_byte("gb2312", range(0xA1, 0xF8), high),
        "Big5": double_byte("big5", range(0xA1, 0xFA), (range(0x40, 0x7F), range(0xA1, 0xFF))),
        "JIS X 0208": double_byte("euc_jp", range(0xA1, 0xF5), high),
        "KS X 1001": double_byte("euc_kr", range(0xA1, 0xFE), high),
        "CJK punctuation and forms": {c for lo, hi in RANGES for c in range(lo, hi + 1)},
    }


def fetch_ttc(work: Path, deb: Path | None) -> Path:
    """The font collection out of the Debian package (downloaded unless given)."""
    if deb is None:
        subprocess.run(["apt-get", "download", f"{PACKAGE}={VERSION}"], cwd=work, check=True)
        (deb,) = work.glob(f"{PACKAGE}_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "root")], check=True)
    return work / "root" / TTC_IN_PACKAGE


def build(ttc: Path, output: Path) -> None:
    digest = hashlib.sha256(ttc.read_bytes()).hexdigest()
    if digest != TTC_SHA256:
        print(f"warning: {ttc} is not the pinned {PACKAGE} {VERSION} font (sha256 {digest})")
    font = TTFont(str(ttc), fontNumber=FACE, recalcTimestamp=False, recalcBBoxes=False)
    cmap = set(font.getBestCmap())
    sets = wanted()
    keep: set[int] = set().union(*sets.values()) & cmap
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["vhea", "vmtx", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    names = font["name"]
    description = str(names.getDebugName(10) or "")
    notice = NOTICE.format(package=PACKAGE, version=VERSION)
    for record in list(names.names):
        if record.nameID == 10:
            names.setName(
                description + notice, 10, record.platformID, record.platEncID, record.langID
            )
    font.save(str(output))
    font.close()
    for name, chars in sets.items():
        absent = chars - cmap
        print(f"{name}: {len(chars & cmap)} of {len(chars)} kept", end="")
        print(f" (not in the font: {len(absent)})" if absent else "")
    print(f"{output}: {output.stat().st_size:,} bytes, {len(keep):,} characters")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--ttc", type=Path, help="wqy-microhei.ttc already on this machine")
    source.add_argument("--deb", type=Path, help=f"a downloaded {PACKAGE} .deb")
    parser.add_argument("--check", action="store_true", help="compare with the bundled file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopdesk-font-") as tmp:
        work = Path(tmp)
        ttc = args.ttc or fetch_ttc(work, args.deb)
        target = work / OUTPUT.name if args.check else OUTPUT
        build(ttc, target)
        if args.check:
            same = target.read_bytes() == OUTPUT.read_bytes()
            print("the bundled font is " + ("up to date" if same else "DIFFERENT from a rebuild"))
            return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
