#!/usr/bin/python3
"""Independent PNG check for exports: validates signature, chunk CRCs, IHDR,
decompresses IDAT and undoes filters, then prints JSON with the size, the
text chunks and the first pixel. Exit 1 on any defect.

  check_png.py FILE.png
"""
import json
import struct
import sys
import zlib


def main() -> int:
    data = open(sys.argv[1], "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        print("not a PNG", file=sys.stderr)
        return 1
    pos, idat, texts, ihdr = 8, b"", {}, None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            print("bad CRC in", ctype, file=sys.stderr)
            return 1
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        elif ctype == b"tEXt":
            k, v = body.split(b"\0", 1)
            texts[k.decode("latin-1")] = v.decode("latin-1")
        elif ctype == b"iTXt":
            k, rest = body.split(b"\0", 1)
            rest = rest[2:]  # compression flag, method
            _lang, rest = rest.split(b"\0", 1)
            _tkey, text = rest.split(b"\0", 1)
            texts[k.decode("latin-1")] = text.decode("utf-8")
        elif ctype == b"IEND":
            break
        pos += 12 + length
    if ihdr is None:
        print("no IHDR", file=sys.stderr)
        return 1
    width, height, depth, color = ihdr[:4]
    if depth != 8 or color != 6:
        print("expected 8-bit RGBA", file=sys.stderr)
        return 1
    raw = zlib.decompress(idat)
    stride = width * 4
    if len(raw) != height * (stride + 1):
        print("pixel data has the wrong size", file=sys.stderr)
        return 1
    if any(raw[y * (stride + 1)] != 0 for y in range(height)):
        print("unexpected filter type", file=sys.stderr)
        return 1
    first = list(raw[1:5])
    print(json.dumps({"width": width, "height": height, "texts": texts, "first_pixel": first}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
