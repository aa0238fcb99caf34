"""Image format, pixel size and animation from the first bytes of a file (no decoding, no Pillow)."""

from __future__ import annotations

import struct
from typing import Any


def sniff_image(head: bytes) -> dict[str, Any]:
    """{"format": "png"|"gif"|"jpeg"|"webp"|"avif"|"svg"|..., "width", "height", "animated", "frames"} as far as
    `head` tells; {} when the bytes are no image we know. "frames" counts the frames seen in `head` only."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(head)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _gif(head)
    if head[:3] == b"\xff\xd8\xff":
        return _jpeg(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return {"format": "avif", "animated": head[8:12] == b"avis"}
    if head[:2] in (b"BM",):
        if len(head) >= 26:
            w, h = struct.unpack("<ii", head[18:26])
            return {"format": "bmp", "width": w, "height": abs(h), "animated": False}
        return {"format": "bmp"}
    text = head[:512].lstrip().lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text) or b"<svg" in text[:300]:
        return {"format": "svg", "animated": False}
    return {}


def _png(head: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "png", "animated": False}
    if len(head) >= 24 and head[12:16] == b"IHDR":
        out["width"], out["height"] = struct.unpack(">II", head[16:24])
    # An animated PNG has an acTL chunk before the first IDAT.
    pos = 8
    while pos + 8 <= len(head):
        length, ctype = struct.unpack(">I4s", head[pos:pos + 8])
        if ctype == b"acTL":
            out["animated"] = True
            if pos + 12 <= len(head):
                out["frames"] = struct.unpack(">I", head[pos + 8:pos + 12])[0]
            break
        if ctype == b"IDAT":
            break
        pos += 12 + length
    return out


def _gif(head: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "gif", "animated": False, "frames": 0}
    if len(head) < 13:
        return out
    out["width"], out["height"] = struct.unpack("<HH", head[6:10])
    flags = head[10]
    pos = 13 + (3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0)
    frames = 0
    while pos < len(head):
        block = head[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            if pos + 1 >= len(head):
                break
            label = head[pos + 1]
            data_start = pos + 2
            if label == 0xFF and head[data_start + 1:data_start + 12] in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                out["animated"] = True  # the looping extension: written only for animations
            pos = _skip_sub_blocks(head, data_start)
        elif block == 0x2C:  # image descriptor
            if pos + 10 > len(head):
                break
            frames += 1
            iflags = head[pos + 9]
            pos += 10
            if iflags & 0x80:
                pos += 3 * (2 ** ((iflags & 7) + 1))
            pos = _skip_sub_blocks(head, pos + 1)  # LZW minimum code size, then data sub-blocks
        else:
            break
        if pos < 0:
            break
    out["frames"] = frames
    if frames > 1:
        out["animated"] = True
    return out


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    while pos < len(data):
        n = data[pos]
        pos += 1
        if n == 0:
            return pos
        pos += n
    return -1 if pos > len(data) else pos


def _jpeg(head: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "jpeg", "animated": False}
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF:
            pos += 1
            continue
        marker = head[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker == 0xFF:
            pos += 1
            continue
        (length,) = struct.unpack(">H", head[pos + 2:pos + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if pos + 9 <= len(head):
                out["height"], out["width"] = struct.unpack(">HH", head[pos + 5:pos + 9])
                out["progressive"] = marker in (0xC2, 0xC6, 0xCA, 0xCE)
            break
        if marker == 0xDA:  # start of scan before any frame header: give up
            break
        pos += 2 + length
    return out


def _webp(head: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "webp", "animated": False}
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30:
        w, h = struct.unpack("<HH", head[26:30])
        out["width"], out["height"] = w & 0x3FFF, h & 0x3FFF
    elif chunk == b"VP8L" and len(head) >= 25:
        b = head[21:25]
        out["width"] = 1 + (((b[1] & 0x3F) << 8) | b[0])
        out["height"] = 1 + (((b[3] & 0x0F) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
    elif chunk == b"VP8X" and len(head) >= 30:
        out["animated"] = bool(head[20] & 0x02)
        out["width"] = 1 + int.from_bytes(head[24:27], "little")
        out["height"] = 1 + int.from_bytes(head[27:30], "little")
    return out
