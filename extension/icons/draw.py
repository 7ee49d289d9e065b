"""Draws the extension's icons (a magnifier over an error mark on Azure blue) as PNGs.

Run: python3 extension/icons/draw.py  (writes icon-16/32/48/128.png beside this file)
"""
import math
import os
import struct
import zlib

SIZES = (16, 32, 48, 128)
SAMPLES = 4  # per axis, for anti-aliasing


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def colour_at(x, y):
    """Colour (r, g, b, a) of a point in the unit square."""
    radius = 0.2
    cx, cy = min(max(x, radius), 1 - radius), min(max(y, radius), 1 - radius)
    if math.hypot(x - cx, y - cy) > radius:
        return (0, 0, 0, 0)
    shade = 1 - 0.35 * y
    background = (int(15 * shade), int(108 * shade), int(189 * shade), 255)
    lens_x, lens_y, lens_r = 0.43, 0.43, 0.24
    d = math.hypot(x - lens_x, y - lens_y)
    if segment_distance(x, y, 0.6, 0.6, 0.82, 0.82) < 0.065:
        return (255, 255, 255, 255)
    if lens_r - 0.055 < d < lens_r + 0.055:
        return (255, 255, 255, 255)
    if d <= lens_r - 0.055:
        # The error mark inside the lens: an amber bar and dot.
        if abs(x - lens_x) < 0.035 and 0.30 < y < 0.47:
            return (255, 185, 0, 255)
        if math.hypot(x - lens_x, y - 0.54) < 0.04:
            return (255, 185, 0, 255)
        return (10, 70, 130, 255)
    return background


def render(size):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    r, g, b, a = colour_at((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
                    total = [total[0] + r * a, total[1] + g * a, total[2] + b * a, total[3] + a]
            alpha = total[3] / SAMPLES**2
            rgb = [int(c / total[3]) if total[3] else 0 for c in total[:3]]
            row += bytes(rgb + [int(alpha)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for size in SIZES:
        with open(os.path.join(here, f"icon-{size}.png"), "wb") as out:
            out.write(png(size, render(size)))
