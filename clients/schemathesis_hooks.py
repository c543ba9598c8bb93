"""schemathesis hooks for clients/schemathesis.sh (loaded with SCHEMATHESIS_HOOKS).

The plan import takes a Word document (its own media type, a binary body); schemathesis
sends bytes only for media types it knows. The fuzzed bytes are no Word document: the
server answers 422 naming the problem, as for any document that is not a plan.
"""
import schemathesis
from schemathesis.transport.serialization import serialize_binary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@schemathesis.serializer(DOCX)
def docx_serializer(ctx, value):
    return {"data": serialize_binary(value)}
