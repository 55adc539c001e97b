#!/usr/bin/env python3
"""Independent check of a message written by fs_email_write, using Python's `email` package.

Usage: email_parse.py MSG PDF [--from A] [--to A]... [--cc A]... [--subject S] [--finding T]...

Parses MSG with the standard parser (policy.default, which decodes RFC 2047 words and RFC 2231
parameters) and checks: CRLF line endings only and line lengths (headers <= 78, body <= 76);
the decoded From/To/Cc/Subject equal the expected values; the text/plain part contains every
expected finding; the single application/pdf attachment carries PDF's base name and decodes to
bytes identical to PDF. Prints one line per problem and exits 1 if there was any.
"""
import argparse
import email
import email.policy
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("msg")
    ap.add_argument("pdf")
    ap.add_argument("--from", dest="from_", default=None)
    ap.add_argument("--to", action="append", default=[])
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--subject", default=None)
    ap.add_argument("--finding", action="append", default=[])
    args = ap.parse_args()
    problems = []

    with open(args.msg, "rb") as f:
        raw = f.read()
    with open(args.pdf, "rb") as f:
        pdf = f.read()

    # Raw form: every line ends in CRLF, no bare CR or LF, lengths within the RFC limits.
    if not raw.endswith(b"\r\n"):
        problems.append("message does not end in CRLF")
    lines = raw.split(b"\r\n")
    for i, line in enumerate(lines[:-1] if raw.endswith(b"\r\n") else lines):
        if b"\r" in line or b"\n" in line:
            problems.append(f"line {i + 1}: bare CR or LF")
        # RFC 5322 line limit; the encoded part bodies are held to RFC 2045's 76 below.
        if len(line) > 78:
            problems.append(f"line {i + 1}: {len(line)} characters > 78")
        if any(b > 0x7F for b in line):
            problems.append(f"line {i + 1}: non-ASCII byte in the raw message")

    with open(args.msg, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)

    for d in msg.defects:
        problems.append(f"parser defect: {d!r}")

    def addresses(name):
        hdr = msg[name]
        if hdr is None:
            return []
        return [str(a) for a in hdr.addresses]

    def check_eq(what, got, want):
        if got != want:
            problems.append(f"{what}: got {got!r}, expected {want!r}")

    if args.from_ is not None:
        check_eq("From", addresses("From"), [args.from_])
    if args.to:
        check_eq("To", addresses("To"), args.to)
    check_eq("Cc", addresses("Cc"), args.cc)
    if args.subject is not None:
        check_eq("Subject", str(msg["Subject"]), args.subject)
    for h in ("Date", "Message-ID", "MIME-Version"):
        if msg[h] is None:
            problems.append(f"missing header {h}")
    if msg["Date"] is not None and msg["Date"].datetime is None:
        problems.append("Date does not parse")
    check_eq("Content-Type", msg.get_content_type(), "multipart/mixed")

    parts = list(msg.iter_parts()) if msg.is_multipart() else []
    check_eq("number of parts", len(parts), 2)
    if len(parts) == 2:
        text, att = parts
        check_eq("part 1 type", text.get_content_type(), "text/plain")
        check_eq("part 1 encoding", text["Content-Transfer-Encoding"], "quoted-printable")
        for d in text.defects:
            problems.append(f"text part defect: {d!r}")
        body = text.get_content()
        for finding in args.finding:
            if finding not in body:
                problems.append(f"finding not in text part: {finding!r}")
        check_eq("part 2 type", att.get_content_type(), "application/pdf")
        check_eq("part 2 disposition", att.get_content_disposition(), "attachment")
        check_eq("part 2 filename", att.get_filename(), os.path.basename(args.pdf))
        check_eq("part 2 name", att.get_param("name"), os.path.basename(args.pdf))
        for d in att.defects:
            problems.append(f"attachment defect: {d!r}")
        for part in (text, att):
            for j, line in enumerate(part.get_payload(decode=False).splitlines()):
                if len(line) > 76:
                    problems.append(f"{part.get_content_type()} line {j + 1}: "
                                    f"{len(line)} characters > 76 (RFC 2045)")
        data = att.get_content()
        if data != pdf:
            problems.append(f"attachment differs from PDF ({len(data)} vs {len(pdf)} bytes)")

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
