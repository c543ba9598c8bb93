"""schemathesis hooks for clients/schemathesis.sh (loaded with SCHEMATHESIS_HOOKS).

The plan import takes a Word, Excel or LibreOffice document and the status sheet an Excel
workbook (their own media types, binary bodies); schemathesis sends bytes only for media types it knows. The
fuzzed bytes are neither: the server answers 400 or 422 naming the problem.
"""
import schemathesis
from schemathesis.transport.serialization import serialize_binary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@schemathesis.serializer(DOCX, XLSX, ODT)
def docx_serializer(ctx, value):
    return {"data": serialize_binary(value)}
