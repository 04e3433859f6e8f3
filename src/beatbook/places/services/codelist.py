"""Area names from Code-Point Open's ``Doc/Codelist.xlsx``: one sheet per area type."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

from beatbook.places.models import AreaName
from beatbook.places.services.common import PlacesImportError

_CODE = re.compile(r"[EWSN][0-9]{8}")
# Sheets that are not lists of (name, code): the note and the list of area types.
_NOT_AREAS = {"SHEET1", "AREA_CODES"}


def area_names_from_codelist(data: bytes, *, where: str) -> list[AreaName]:
    """(name, code) rows of every area-type sheet; the sheet's title (DIS, UTW...) is the kind."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise PlacesImportError(f"{where}: not a readable Excel workbook ({error})") from error
    names: dict[str, AreaName] = {}
    try:
        for sheet in workbook.worksheets:
            if sheet.title.upper() in _NOT_AREAS:
                continue
            for row in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
                name, code = (str(cell).strip() if cell is not None else "" for cell in row[:2])
                if name and _CODE.fullmatch(code):
                    names[code] = AreaName(code=code, name=name[:160], kind=sheet.title[:10])
    finally:
        workbook.close()
    return list(names.values())
