#!/usr/bin/env python3
"""Writes the seeds of the HTTP-edge fuzz targets into Fuzz/seeds/multipart/ and Fuzz/seeds/http/.

multipart: a Content-Type line, then a body: the forms the inspector page and `curl -F` send (CSV
           tables, a file field, a sample, checkboxes), LF-only line ends, a quoted boundary, and the
           malformed ones the server refuses (no closing boundary, no blank line, no name, a boundary
           of 71 characters, more than 64 parts, an empty body).
http:      one HTTP/1.1 request per file, for every route of the router (Docs/server.md), with good and
           bad queries, bodies, content types, Host, Origin and Sec-Fetch-Site headers.
The small dataset is the example of Docs/data-format.md (Fuzz/seeds/dataset/doc-00-yaml without its
format byte). Findings of fuzz runs are added by hand as finding-* seeds.
"""
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Fuzz", "seeds")


def write(target, name, data: bytes):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def seed(name):
    return open(os.path.join(out, "dataset", name), "rb").read()[1:]


yaml = seed("doc-00-yaml")
json = seed("doc-01-json")
csv = {"province": seed("doc-03-csv"), "districts": seed("doc-04-csv"), "communes": seed("doc-05-csv"),
       "hamlets": seed("doc-06-csv"), "dataset": seed("doc-02-csv")}


def form(fields, boundary=b"criteria-fuzz", newline=b"\r\n"):
    body = b""
    for name, filename, data in fields:
        body += b"--" + boundary + newline
        disposition = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += disposition + newline
        if filename is not None:
            body += b"Content-Type: application/octet-stream" + newline
        body += newline + data + newline
    return body + b"--" + boundary + b"--" + newline


def content_type(boundary=b"criteria-fuzz"):
    return b"multipart/form-data; boundary=" + boundary


csv_fields = [(k.encode(), k.encode() + b".csv", v) for k, v in csv.items()]
forms = {
    "csv-tables": (content_type(), form(csv_fields + [(b"as_of", None, b"2024-12-31")])),
    "file-yaml": (content_type(), form([(b"file", b"province.yaml", yaml), (b"as_of", None, b"2024-12-31")])),
    "file-json": (content_type(), form([(b"file", b"province.json", json)])),
    "sample": (content_type(), form([(b"sample", None, b"thanh-hoa"), (b"as_of", None, b"2024-12-31"),
                                     (b"criteria", None, b"tt124.xa"), (b"criteria", None, b"xa-ntm.19.2"), (b"lang", None, b"en")])),
    "lf-only": (content_type(), form([(b"sample", None, b"thanh-hoa")], newline=b"\n")),
    "quoted-boundary": (b'multipart/form-data; charset=utf-8; boundary="a b:c"', form([(b"x", None, b"1")], boundary=b"a b:c")),
    "boundary-70": (content_type(b"b" * 70), form([(b"x", None, b"1")], boundary=b"b" * 70)),
    "boundary-71": (content_type(b"b" * 71), form([(b"x", None, b"1")], boundary=b"b" * 71)),
    "self-similar-boundary": (content_type(b"aaaaaaaaab"), form([(b"x", None, b"aaaaaaaaa" * 20 + b"--aaaaaaaaa\r\n--aaaaaaaaac")], boundary=b"aaaaaaaaab")),
    "not-closed": (content_type(), b"--criteria-fuzz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue"),
    "no-blank-line": (content_type(), b"--criteria-fuzz\r\nContent-Disposition: form-data; name=\"x\"\r\nvalue\r\n--criteria-fuzz--\r\n"),
    "no-name": (content_type(), form([(b"", None, b"1")])),
    "65-parts": (content_type(), form([(b"p%d" % i, None, b"%d" % i) for i in range(65)])),
    "empty": (content_type(), b""),
    "closed-at-once": (content_type(), b"--criteria-fuzz--\r\n"),
    "not-multipart": (b"application/yaml", yaml),
    "upload-name": (content_type(), form([(b"file", "..\\..∕etc／passwd\u202e.yaml".encode(), yaml)])),
}
for name, (ctype, body) in forms.items():
    write("multipart", name, ctype + b"\n" + body)


def request(method, target, headers=(), body=b""):
    head = method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    for h in headers:
        head += h + b"\r\n"
    if body:
        head += b"Content-Length: %d\r\n" % len(body)
    return head + b"\r\n" + body


edit = b'{"file": "xa-ntm/19.2.yaml", "text": "criteria: 1\\n"}'
requests = {
    "status": request(b"GET", b"/v1/status"),
    "openapi": request(b"GET", b"/v1/openapi.yaml"),
    "samples": request(b"GET", b"/v1/samples"),
    "criteria": request(b"GET", b"/v1/criteria"),
    "criterion": request(b"GET", b"/v1/criteria/tt124.xa"),
    "criterion-unknown": request(b"GET", b"/v1/criteria/tt124.xaa"),
    "evaluate-yaml": request(b"POST", b"/v1/evaluations?as_of=2024-12-31&criteria=tt124.xa&name=x.yaml", [b"Content-Type: application/yaml"], yaml),
    "evaluate-json": request(b"POST", b"/v1/evaluations?as_of=2024-12-31", [b"Content-Type: application/json"], json),
    "evaluate-form": request(b"POST", b"/v1/evaluations", [b"Content-Type: " + content_type()], form(csv_fields + [(b"as_of", None, b"2024-12-31")])),
    "evaluate-sample": request(b"POST", b"/v1/evaluations?as_of=2024-12-31&criteria=tt124.xa", [b"Content-Type: " + content_type()], form([(b"sample", None, b"thanh-hoa")])),
    "evaluate-no-date": request(b"POST", b"/v1/evaluations", [b"Content-Type: application/yaml"], yaml),
    "evaluate-bad-date": request(b"POST", b"/v1/evaluations?as_of=2024-02-30", [b"Content-Type: application/yaml"], yaml),
    "evaluate-csv": request(b"POST", b"/v1/evaluations?as_of=2024-12-31", [b"Content-Type: text/csv"], csv["communes"]),
    "evaluate-cross-site": request(b"POST", b"/v1/evaluations?as_of=2024-12-31", [b"Content-Type: application/yaml", b"Origin: http://evil.example", b"Sec-Fetch-Site: cross-site"], yaml),
    "decisions": request(b"GET", b"/v1/decisions?limit=5"),
    "decisions-bad-limit": request(b"GET", b"/v1/decisions?limit=abc"),
    "decision": request(b"GET", b"/v1/decisions/QD-2026-000001-7KQ2XM"),
    "decision-old-id": request(b"GET", b"/v1/decisions/%20QD-2026-000001%0A"),
    "decision-entity": request(b"GET", b"/v1/decisions/QD-2026-000001-7KQ2XM/entities/01234?full=1"),
    "check": request(b"POST", b"/v1/check", [b"Content-Type: application/json"], edit),
    "check-outside": request(b"POST", b"/v1/check", [b"Content-Type: application/json"], b'{"file": "../../etc/passwd", "text": "x"}'),
    "check-text-plain": request(b"POST", b"/v1/check", [b"Content-Type: text/plain"], edit),
    "tests": request(b"POST", b"/v1/tests", [b"Content-Type: application/json"], b'{"file": "xa-ntm/19.2.yaml"}'),
    "diff": request(b"POST", b"/v1/diff", [b"Content-Type: application/json"], b'{"file": "xa-ntm/19.2.yaml", "text": "criteria: 1\\n", "dataset": "thanh-hoa", "asOf": "2024-12-31"}'),
    "diff-bad-json": request(b"POST", b"/v1/diff", [b"Content-Type: application/json"], b'{"file": '),
    "page-inspector": request(b"GET", b"/?lang=en"),
    "page-inspect": request(b"POST", b"/inspect", [b"Content-Type: " + content_type(), b"Origin: http://127.0.0.1:8080", b"Sec-Fetch-Site: same-origin"], form([(b"sample", None, b"thanh-hoa"), (b"as_of", None, b"2024-12-31"), (b"criteria", None, b"tt124.xa")])),
    "page-open-decision": request(b"GET", b"/decisions?id=%20qd-2026-000001"),
    "page-decision": request(b"GET", b"/decisions/QD-2026-000001-7KQ2XM?show=problems"),
    "page-entity": request(b"GET", b"/decisions/QD-2026-000001-7KQ2XM/entities/%C4%90%C3%B4ng%2015%2FB?full=1"),
    "page-criteria": request(b"GET", b"/criteria"),
    "page-criterion": request(b"GET", b"/criteria/xa-ntm.19.2?lang=en"),
    "page-playground": request(b"GET", b"/playground?criterion=xa-ntm.19.2&file=../x.yaml"),
    "page-script": request(b"GET", b"/assets/playground.js"),
    "page-status": request(b"GET", b"/status"),
    "unknown-route": request(b"DELETE", b"/v1/decisions/QD-2026-000001"),
    "head": request(b"HEAD", b"/v1/status"),
    "lf-only": b"GET /v1/criteria?x=%ff%00 HTTP/1.1\nHost: [::1]:8080\nAccept-Language: en\n\n",
    "no-request-line": b"\r\n\r\n",
}
for name, data in requests.items():
    write("http", name, data)
