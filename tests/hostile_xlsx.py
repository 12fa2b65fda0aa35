"""Build small hostile XLSX workbooks byte by byte (for the bad-input tests)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def base_workbook(rows: Iterable[list[str]] = (["Action", "Lead"], ["Run a survey", "Council"])) -> bytes:
    """A plain tracker written by openpyxl (inline strings)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patched(
    data: bytes,
    edits: dict[str, Callable[[bytes], bytes]] | None = None,
    extra: dict[str, bytes] | None = None,
    *,
    compress: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """``data`` with members rewritten by ``edits`` and ``extra`` members added."""
    edits, extra = edits or {}, extra or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in edits:
                body = edits[info.filename](body)
            dst.writestr(info.filename, body)
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def before_sheetdata_end(xml: str) -> Callable[[bytes], bytes]:
    return lambda b: b.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


def after_sheetdata(xml: str) -> Callable[[bytes], bytes]:
    return lambda b: b.replace(b"</sheetData>", b"</sheetData>" + xml.encode())


def with_shared_strings(data: bytes, strings_xml: bytes, cell_xml: str) -> bytes:
    """``data`` with a sharedStrings part (declared in the content types) and a cell using it."""
    return patched(
        data,
        {
            "[Content_Types].xml": lambda b: b.replace(
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode(),
            ),
            SHEET: before_sheetdata_end(cell_xml),
        },
        {"xl/sharedStrings.xml": strings_xml},
    )


def set_encrypted_flag(data: bytes) -> bytes:
    """Mark every entry as encrypted (zip general-purpose flag bit 0) in both headers."""
    buf = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = buf.find(sig)
        while i != -1:
            buf[i + offset] |= 0x01
            i = buf.find(sig, i + 4)
    return bytes(buf)


def corrupt_deflate(data: bytes, member: str = SHEET) -> bytes:
    """Overwrite the compressed bytes of ``member`` with garbage (sizes unchanged)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(member)
    buf = bytearray(data)
    h = info.header_offset
    start = (
        h
        + 30
        + int.from_bytes(data[h + 26 : h + 28], "little")
        + int.from_bytes(data[h + 28 : h + 30], "little")
    )
    for k in range(start, start + min(info.compress_size, 64)):
        buf[k] = 0xFF
    return bytes(buf)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
