#!/usr/bin/python3
"""A small OAuth2 authorization server for mailwiz's tests (loopback only).

    idp.py HOST PORT INTROSPECTION_SECRET CONFIDENTIAL_SECRET

* authorization code + PKCE S256 (GET /authorize auto-approves the user given by
  `login_hint`, or `user`; `deny=1` answers access_denied), loopback redirect only
* POST /token: authorization_code, refresh_token (rotation: the old one dies),
  urn:ietf:params:oauth:grant-type:device_code (authorization_pending,
  slow_down when polled faster than the interval, expired_token, access_denied)
* POST /device: the device authorization endpoint (RFC 8628)
* POST /introspect (RFC 7662) for Dovecot, client `dovecot` + INTROSPECTION_SECRET;
  always HTTP 200 with {"active": false} for an unknown/expired/revoked token
* GET /.well-known/openid-configuration
* test hooks, POST form: /test/approve (user_code, user), /test/deny (user_code),
  /test/revoke (user: every token of that user), /test/expire (user: access tokens
  only), /test/access_ttl (ttl), /test/device_ttl (ttl); GET /test/stats (JSON)

Clients: any client_id; one starting with `confidential-` must send
client_secret = CONFIDENTIAL_SECRET. Access tokens carry the scope asked for.

Refusal modes (issue 15 §3): a client_id named in REFUSALS is refused by
/device and /token (and /authorize redirects with the error) with the
answer a real identity provider gives in that case (Microsoft's AADSTS
codes in error_description, Google's redirect_uri_mismatch, …).
"""
import base64
import hashlib
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

HOST, PORT = sys.argv[1], int(sys.argv[2])
INTROSPECTION_SECRET, CONFIDENTIAL_SECRET = sys.argv[3], sys.argv[4]
BASE = f"http://{HOST}:{PORT}"

REFUSALS = {
    "aad-personal": (400, "invalid_request", "AADSTS50020: User account 'bob@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application."),
    "aad-single-tenant": (400, "invalid_request", "AADSTS50194: Application 'x' is not configured as a multi-tenant application."),
    "aad-consent": (400, "invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application with ID 'aad-consent'."),
    "aad-admin-only": (400, "access_denied", "AADSTS90094: The grant requires admin permission."),
    "aad-unknown": (400, "unauthorized_client", "AADSTS700016: Application with identifier 'aad-unknown' was not found in the directory 'Contoso'."),
    "aad-public-off": (401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
    "bad-client": (401, "invalid_client", "Unauthorized"),
    "not-authorized": (400, "unauthorized_client", "The client is not authorized to use this grant type."),
    "redirect-mismatch": (400, "redirect_uri_mismatch", "The redirect URI in the request does not match the ones authorized for the OAuth client."),
    "refused-consent": (400, "access_denied", "The user declined."),
    "testing-7d": None,  # refresh only: see token()
}

lock = threading.Lock()
codes = {}      # code -> dict(client_id, redirect_uri, challenge, user, scope, exp)
access = {}     # token -> dict(user, scope, client_id, exp, revoked)
refresh = {}    # token -> dict(user, scope, client_id, active)
devices = {}    # device_code -> dict(user_code, client_id, scope, exp, interval, last, state, user)
settings = {"access_ttl": 3600, "device_ttl": 600}
stats = {"code_grants": 0, "refresh_grants": 0, "device_grants": 0, "introspections": 0,
         "refused_refresh": 0, "bad_verifier": 0, "slow_down": 0}


def issue(user, scope, client_id):
    # Microsoft-shaped scopes (the Outlook preset's): good for mail here.
    if "outlook.office.com/IMAP.AccessAsUser.All" in scope and "mail" not in scope.split():
        scope += " mail"
    at = "at-" + secrets.token_urlsafe(24)
    rt = "rt-" + secrets.token_urlsafe(24)
    ttl = settings["access_ttl"]
    access[at] = {"user": user, "scope": scope, "client_id": client_id,
                  "exp": time.time() + ttl, "revoked": False}
    refresh[rt] = {"user": user, "scope": scope, "client_id": client_id, "active": True}
    return {"access_token": at, "token_type": "Bearer", "expires_in": ttl,
            "refresh_token": rt, "scope": scope}


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # tokens never go to the log: only the path
        sys.stderr.write("%s %s\n" % (self.command, urlsplit(self.path).path))

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        return dict(parse_qsl(self.rfile.read(n).decode(), keep_blank_values=True))

    def error(self, code, status=400, desc=""):
        self.reply(status, {"error": code, "error_description": desc})

    def client_ok(self, f):
        cid = f.get("client_id", "")
        if not cid:
            return False
        if cid.startswith("confidential-"):
            return f.get("client_secret") == CONFIDENTIAL_SECRET
        return True

    # ------------------------------------------------------------------ GET
    def do_GET(self):
        url = urlsplit(self.path)
        q = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path == "/.well-known/openid-configuration":
            return self.reply(200, {
                "issuer": BASE, "authorization_endpoint": BASE + "/authorize",
                "token_endpoint": BASE + "/token",
                "device_authorization_endpoint": BASE + "/device",
                "introspection_endpoint": BASE + "/introspect",
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "refresh_token",
                                          "urn:ietf:params:oauth:grant-type:device_code"]})
        if url.path == "/authorize":
            return self.authorize(q)
        if url.path == "/test/stats":
            with lock:
                return self.reply(200, dict(stats))
        if url.path == "/device":
            return self.reply(200, b"enter the code")
        self.error("not_found", 404)

    def authorize(self, q):
        redirect = q.get("redirect_uri", "")
        if not redirect.startswith("http://127.0.0.1:"):
            return self.error("invalid_request", 400, "loopback redirect only")
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" \
                or not q.get("code_challenge") or not q.get("client_id"):
            return self.error("invalid_request", 400, "code + PKCE S256 required")
        params = {"state": q.get("state", "")}
        user = (q.get("user") or q.get("login_hint") or "").lower()
        r = REFUSALS.get(q.get("client_id", ""))
        if r:
            params["error"], params["error_description"] = r[1], r[2]
        elif q.get("deny") == "1" or not user:
            params["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(18)
            with lock:
                codes[code] = {"client_id": q["client_id"], "redirect_uri": redirect,
                               "challenge": q["code_challenge"], "user": user,
                               "scope": q.get("scope", ""), "exp": time.time() + 120}
            params["code"] = code
        sep = "&" if "?" in redirect else "?"
        self.send_response(302)
        self.send_header("Location", redirect + sep + urlencode(params))
        self.send_header("Content-Length", "0")
        self.end_headers()

    # ------------------------------------------------------------------ POST
    def do_POST(self):
        path = urlsplit(self.path).path
        # Microsoft-shaped addresses ({tenant}/oauth2/v2.0/…), for the
        # admin-consent address mailwiz derives from them.
        if path.endswith("/oauth2/v2.0/token"):
            path = "/token"
        elif path.endswith("/oauth2/v2.0/devicecode"):
            path = "/device"
        f = self.form()
        with lock:
            if path == "/token":
                return self.token(f)
            if path == "/device":
                return self.device(f)
            if path == "/introspect":
                return self.introspect(f)
            if path.startswith("/test/"):
                return self.hook(path[6:], f)
        self.error("not_found", 404)

    def refusal(self, f):
        """Answers a refusal mode's error; False when the client has none."""
        r = REFUSALS.get(f.get("client_id", ""))
        if not r:
            return False
        status, code, desc = r
        self.error(code, status, desc)
        return True

    def token(self, f):
        if not self.client_ok(f):
            return self.error("invalid_client", 401)
        if self.refusal(f):
            return
        if f.get("client_id") == "testing-7d" and f.get("grant_type") == "refresh_token":
            # Google, consent screen in "Testing": the refresh token died at 7 days.
            stats["refused_refresh"] += 1
            return self.error("invalid_grant", 400, "Token has been expired or revoked.")
        grant = f.get("grant_type")
        if grant == "authorization_code":
            c = codes.pop(f.get("code", ""), None)
            if not c or c["exp"] < time.time() or c["client_id"] != f["client_id"] \
                    or c["redirect_uri"] != f.get("redirect_uri"):
                return self.error("invalid_grant", 400, "unknown or used code")
            if s256(f.get("code_verifier", "")) != c["challenge"]:
                stats["bad_verifier"] += 1
                return self.error("invalid_grant", 400, "PKCE verification failed")
            stats["code_grants"] += 1
            return self.reply(200, issue(c["user"], c["scope"], c["client_id"]))
        if grant == "refresh_token":
            r = refresh.get(f.get("refresh_token", ""))
            if not r or not r["active"] or r["client_id"] != f["client_id"]:
                stats["refused_refresh"] += 1
                return self.error("invalid_grant", 400, "refresh token revoked or unknown")
            r["active"] = False  # rotation
            stats["refresh_grants"] += 1
            return self.reply(200, issue(r["user"], r["scope"], r["client_id"]))
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            d = devices.get(f.get("device_code", ""))
            if not d or d["client_id"] != f["client_id"]:
                return self.error("invalid_grant", 400)
            now = time.time()
            if now > d["exp"]:
                return self.error("expired_token")
            if d["last"] and now - d["last"] < d["interval"] - 0.05:
                d["interval"] += 5
                d["last"] = now
                stats["slow_down"] += 1
                return self.error("slow_down")
            d["last"] = now
            if d["state"] == "denied":
                return self.error("access_denied")
            if d["state"] != "approved":
                return self.error("authorization_pending")
            devices.pop(f["device_code"])
            stats["device_grants"] += 1
            return self.reply(200, issue(d["user"], d["scope"], d["client_id"]))
        self.error("unsupported_grant_type")

    def device(self, f):
        if not self.client_ok(f):
            return self.error("invalid_client", 401)
        if self.refusal(f):
            return
        dc = secrets.token_urlsafe(24)
        uc = "-".join(secrets.token_hex(2).upper() for _ in range(2))
        ttl = settings["device_ttl"]
        devices[dc] = {"user_code": uc, "client_id": f["client_id"], "scope": f.get("scope", ""),
                       "exp": time.time() + ttl, "interval": 1, "last": None,
                       "state": "pending", "user": None}
        self.reply(200, {"device_code": dc, "user_code": uc, "verification_uri": BASE + "/device",
                         "verification_uri_complete": BASE + "/device?user_code=" + uc,
                         "expires_in": ttl, "interval": 1})

    def introspect(self, f):
        cid, secret = f.get("client_id"), f.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if cid != "dovecot" or secret != INTROSPECTION_SECRET:
            return self.error("invalid_client", 401)
        stats["introspections"] += 1
        t = access.get(f.get("token", ""))
        if not t or t["revoked"] or t["exp"] < time.time():
            return self.reply(200, {"active": False})
        self.reply(200, {"active": True, "username": t["user"], "scope": t["scope"],
                         "client_id": t["client_id"], "exp": int(t["exp"]), "token_type": "Bearer"})

    def hook(self, name, f):
        user = f.get("user", "").lower()
        if name in ("approve", "deny"):
            for d in devices.values():
                if d["user_code"] == f.get("user_code"):
                    d["state"] = "approved" if name == "approve" else "denied"
                    d["user"] = user
                    return self.reply(200, {"ok": True})
            return self.error("unknown_user_code", 404)
        if name == "revoke":
            n = 0
            for r in refresh.values():
                if r["user"] == user and r["active"]:
                    r["active"], n = False, n + 1
            for t in access.values():
                if t["user"] == user:
                    t["revoked"] = True
            return self.reply(200, {"revoked": n})
        if name == "expire":
            for t in access.values():
                if t["user"] == user:
                    t["exp"] = 0
            return self.reply(200, {"ok": True})
        if name in ("access_ttl", "device_ttl"):
            settings[name] = int(f.get("ttl", "3600"))
            return self.reply(200, {"ok": True})
        self.error("unknown_hook", 404)


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer((HOST, PORT), Handler).serve_forever()
