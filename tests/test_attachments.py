"""Text from attached documents: files the test writes, read back by crawler.attachments."""
from __future__ import annotations

import io
import zipfile

import pytest

from crawler.attachments import attachment_kind, attachment_text
from portal_audit.simportal.documents import docx_bytes, pdf_bytes, xlsx_bytes

ID = "430105198503142011"
ROWS = [["序号", "姓名", "身份证号码", "联系电话"], ["1", "张某某", ID, "13812345678"], ["2", "李某", "4301**********1234", "139****5678"]]


def test_pdf_with_chinese_text_written_by_hand():
    body = pdf_bytes(["开福区2020年公益性岗位拟录用人员公示", f"张某某 {ID} 13812345678"])
    text = attachment_text(body, "fj_1.pdf")
    assert "公益性岗位拟录用人员公示" in text and ID in text and "13812345678" in text
    assert attachment_kind(body, "whatever.bin") == "pdf"


def test_docx_paragraphs_and_table_cells():
    body = docx_bytes(["关于公益性岗位人员的公示", "公示期为7天。"], table=ROWS)
    text = attachment_text(body, "名单.docx")
    lines = text.split("\n")
    assert lines[:2] == ["关于公益性岗位人员的公示", "公示期为7天。"]
    assert ID in lines and "4301**********1234" in lines


def test_docx_headers_are_read_after_the_body():
    buf = io.BytesIO(docx_bytes(["正文"]))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/header1.xml", '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                       "<w:p><w:r><w:t>联系人：王某 15907310000</w:t></w:r></w:p></w:hdr>")
    assert attachment_text(buf.getvalue(), "a.docx") == "正文\n联系人：王某 15907310000"


def test_xlsx_inline_strings_one_line_per_row():
    text = attachment_text(xlsx_bytes(ROWS), "名单.xlsx")
    assert text.split("\n")[1] == f"1\t张某某\t{ID}\t13812345678"


def test_xlsx_written_by_openpyxl_with_numbers():
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机", "金额"])
    ws.append(["王某", 13812345678, 1500.0])       # a mobile typed as a number, an amount as a float
    ws2 = wb.create_sheet("第二页")
    ws2.append(["身份证", ID])
    buf = io.BytesIO()
    wb.save(buf)
    text = attachment_text(buf.getvalue(), "x.xlsx")
    assert text.split("\n") == ["姓名\t手机\t金额", "王某\t13812345678\t1500", f"身份证\t{ID}"]


@pytest.mark.parametrize("body, name", [
    (b"", "a.pdf"),
    (b"%PDF-1.4\n1 0 obj<< /Type /Catalog", "truncated.pdf"),
    (pdf_bytes(["半截文件"])[:200], "cut.pdf"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"garbage", "broken.docx"),
    (docx_bytes(["x"])[:100], "cut.docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old-word.docx"),   # a .doc renamed .docx
    (xlsx_bytes([["a"]])[:150], "cut.xlsx"),
    (b"\x89PNG\r\n\x1a\n", "image.pdf"),
])
def test_a_bad_file_gives_empty_text(body, name):
    assert attachment_text(body, name) == ""


def test_a_zip_that_is_no_office_document_is_not_read():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", f"身份证 {ID}")
    assert attachment_kind(buf.getvalue(), "a.docx") is None
    assert attachment_text(buf.getvalue(), "a.docx") == ""


def test_format_is_told_from_the_bytes_not_the_name():
    assert attachment_kind(docx_bytes(["x"]), "download.jsp") == "docx"
    assert attachment_kind(xlsx_bytes([["x"]]), "a.pdf") == "xlsx"
    assert attachment_text(docx_bytes(["手机 13812345678"]), "a.xlsx") == "手机 13812345678"
