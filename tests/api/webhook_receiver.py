"""A webhook receiver, as another system would run one: it verifies each delivery with the
`standardwebhooks` package (PyPI) and writes one JSON line per request to OUTFILE
(webhook-id, event type, whether the signature verified, the signature header); it answers
204 to what verifies and 400 to what does not.
Usage: webhook_receiver.py PORT SECRET OUTFILE
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook

port, secret, outfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
verifier = Webhook(secret)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
        headers = {k.lower(): v for k, v in self.headers.items()}
        line = {"id": headers.get("webhook-id"), "signature": headers.get("webhook-signature")}
        try:
            event = verifier.verify(body, headers)
            line.update(verified=True, type=event["type"], data=event["data"])
            status = 204
        except Exception as error:  # any refusal of the package: wrong secret, stale timestamp
            line.update(verified=False, error=str(error))
            status = 400
        with open(outfile, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
