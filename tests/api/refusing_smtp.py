"""An SMTP server that refuses, with 550, every recipient whose address starts with
"refuse", and writes what it accepts to a Maildir (as aiosmtpd's Mailbox handler does).
Usage: refusing_smtp.py PORT MAILDIR"""
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 Adresse inconnue / no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


controller = Controller(Refusing(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
while True:
    time.sleep(3600)
