#!/usr/bin/env python3
"""HTTP requests to an onewindowd for the sync script tests, with the standard library only.

  couch_probe.py request METHOD URL [--user U --password-file F] [--body TEXT | --body-file F
                 | --body-bytes N] [--chunked] [--content-type T] [--header NAME]
      prints the status code on the first line, then the value of --header (if asked),
      then the body
  couch_probe.py doc-count URL [--user U --password-file F]
      prints the database's doc_count (the URL is the node's, without /onewindow)
  couch_probe.py docs URL [--limit N]
      prints {"docs":[…],"new_edits":false} with up to N event documents of the node
  couch_probe.py health URL PEER_URL [--user U --password-file F]
      exits 0 when /_ow/health lists PEER_URL as reachable, with a completed pull and push
      and no lag either way; else prints what is missing and exits 1
"""
import argparse
import base64
import http.client
import json
import sys
import urllib.parse


def connect(url, timeout=30):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        import ssl

        # The TLS test checks the certificate through onewindowd itself; the probe only
        # needs to talk to it.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=context), parts
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout), parts


def auth_headers(args):
    if not getattr(args, "user", None):
        return {}
    with open(args.password_file, "rb") as f:
        password = f.read().rstrip(b"\r\n")
    token = base64.b64encode(args.user.encode() + b":" + password).decode()
    return {"Authorization": "Basic " + token}


def request(method, url, args, body=None, chunked=False, content_type="application/json"):
    conn, parts = connect(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = auth_headers(args)
    headers["Accept"] = "application/json"
    if body is not None:
        headers["Content-Type"] = content_type
    try:
        if chunked and body is not None:
            pieces = [body[i : i + 65536] for i in range(0, len(body), 65536)]
            conn.request(method, target, body=iter(pieces), headers=headers, encode_chunked=True)
        else:
            conn.request(method, target, body=body, headers=headers)
    except (BrokenPipeError, ConnectionResetError):
        # The server answered before reading everything; its answer may still be there.
        pass
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def cmd_request(args):
    body = None
    if args.body is not None:
        body = args.body.encode()
    elif args.body_file:
        with open(args.body_file, "rb") as f:
            body = f.read()
    elif args.body_bytes:
        # Well-formed JSON of the asked size, so that only its size can be refused.
        filler = args.body_bytes - len('{"docs":[],"new_edits":false,"pad":""}')
        body = ('{"docs":[],"new_edits":false,"pad":"' + "x" * max(filler, 0) + '"}').encode()
    response, data = request(args.method, args.url, args, body, args.chunked, args.content_type)
    print(response.status)
    if args.header:
        print(response.getheader(args.header, ""))
    sys.stdout.write(data.decode("utf-8", "replace"))
    print()


def cmd_doc_count(args):
    response, data = request("GET", args.url.rstrip("/") + "/onewindow", args)
    if response.status != 200:
        sys.exit("doc-count: HTTP %d %s" % (response.status, data[:200]))
    print(json.loads(data)["doc_count"])


def cmd_docs(args):
    response, data = request(
        "GET", args.url.rstrip("/") + "/onewindow/_changes?include_docs=true&limit=%d" % args.limit, args
    )
    if response.status != 200:
        sys.exit("docs: HTTP %d %s" % (response.status, data[:200]))
    docs = [r["doc"] for r in json.loads(data)["results"]]
    print(json.dumps({"docs": docs, "new_edits": False}, ensure_ascii=False))


def cmd_health(args):
    response, data = request("GET", args.url.rstrip("/") + "/_ow/health", args)
    if response.status != 200:
        sys.exit("health: HTTP %d" % response.status)
    health = json.loads(data)
    peers = [p for p in health.get("peers", []) if p.get("url") == args.peer_url]
    problems = []
    if not peers:
        problems.append("peer %s not listed" % args.peer_url)
    else:
        p = peers[0]
        if not p.get("reachable"):
            problems.append("not reachable (last error: %s)" % p.get("last_error"))
        for key in ("last_pull", "last_push"):
            if not p.get(key):
                problems.append(key + " is not set")
        for key in ("lag_pull", "lag_push"):
            if p.get(key) != 0:
                problems.append("%s is %r" % (key, p.get(key)))
    for key in ("status", "centre", "origin", "events", "held_events", "uptime_seconds"):
        if key not in health:
            problems.append("no " + key)
    if problems:
        print("; ".join(problems))
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)

    def credentials(p):
        p.add_argument("--user")
        p.add_argument("--password-file")

    p = sub.add_parser("request")
    p.add_argument("method")
    p.add_argument("url")
    credentials(p)
    p.add_argument("--body")
    p.add_argument("--body-file")
    p.add_argument("--body-bytes", type=int)
    p.add_argument("--chunked", action="store_true")
    p.add_argument("--content-type", default="application/json")
    p.add_argument("--header")
    p.set_defaults(run=cmd_request)
    p = sub.add_parser("doc-count")
    p.add_argument("url")
    credentials(p)
    p.set_defaults(run=cmd_doc_count)
    p = sub.add_parser("docs")
    p.add_argument("url")
    p.add_argument("--limit", type=int, default=5)
    credentials(p)
    p.set_defaults(run=cmd_docs)
    p = sub.add_parser("health")
    p.add_argument("url")
    p.add_argument("peer_url")
    credentials(p)
    p.set_defaults(run=cmd_health)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
