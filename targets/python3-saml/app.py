"""A service provider built on OneLogin's python3-saml as its README and demos show: strict
mode, settings per trusted IdP read from that IdP's metadata, and a WSGI app with a protected
page, the ACS, metadata and Single Logout. The app makes no SAML checks of its own; every
message goes through the library.

Run by start.sh: SP_PORT, IDP_METADATA_DIR, SP_KEY_FILE and SP_CERT_FILE come from the
environment.
"""

import html
import json
import os
import secrets
import sys
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Utils

IDPS = ("okta", "onelogin", "entra", "google")
PORT = int(os.environ["SP_PORT"])
BASE = f"http://127.0.0.1:{PORT}"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def settings_for(idp):
    base = f"{BASE}/{idp}"
    idp_data = OneLogin_Saml2_IdPMetadataParser.parse(
        read(os.path.join(os.environ["IDP_METADATA_DIR"], f"{idp}.xml"))
    )
    settings = {
        "strict": True,
        "sp": {
            "entityId": f"{base}/metadata",
            "assertionConsumerService": {"url": f"{base}/acs"},
            "singleLogoutService": {"url": f"{base}/slo"},
            "x509cert": read(os.environ["SP_CERT_FILE"]),
            "privateKey": read(os.environ["SP_KEY_FILE"]),
        },
        # Logout messages are signed, as IdPs require for Single Logout, with SHA-256 as the
        # README's advanced settings recommend; everything else keeps the library's defaults.
        "security": {
            "logoutRequestSigned": True,
            "logoutResponseSigned": True,
            "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
        },
    }
    return OneLogin_Saml2_IdPMetadataParser.merge_settings(settings, idp_data)


SETTINGS = {idp: settings_for(idp) for idp in IDPS}
SESSIONS = {}  # cookie -> {idp: {"nameId", "sessionIndex", "attributes"}}
REQUESTS = {}  # cookie -> {idp: ID of the last AuthnRequest or LogoutRequest}


def page(title, body, status="200 OK", headers=()):
    doc = f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>{body}</body></html>"
    return status, [("Content-Type", "text/html; charset=utf-8"), *headers], doc


def redirect(url, headers=()):
    return "303 See Other", [("Location", url), *headers], ""


class Request:
    def __init__(self, environ):
        self.path = environ.get("PATH_INFO", "/")
        self.query = environ.get("QUERY_STRING", "")
        self.method = environ["REQUEST_METHOD"]
        body = b""
        if self.method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        self.args = {k: v[0] for k, v in parse_qs(self.query).items()}
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        self.sid = cookie["zoo_sid"].value if "zoo_sid" in cookie else None

    def saml(self):
        """The request as python3-saml reads it."""
        return {
            "https": "off",
            "http_host": "127.0.0.1",
            "server_port": str(PORT),
            "script_name": self.path,
            "get_data": self.args,
            "post_data": self.form,
            "query_string": self.query,
        }


def new_sid():
    sid = secrets.token_urlsafe(18)
    return sid, ("Set-Cookie", f"zoo_sid={sid}; Path=/; HttpOnly; SameSite=Lax")


def landing(idp, relay_state):
    """A RelayState is followed only to a path on this SP; anything else lands on the IdP's home page."""
    if relay_state and relay_state.startswith(f"/{idp}/") and not relay_state.startswith("//"):
        return relay_state
    return f"/{idp}/"


def signed_in_page(idp, path, user):
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(json.dumps(v))}</td></tr>"
        for k, v in user["attributes"].items()
    )
    return page(
        "Signed in",
        f"<h1>Signed in as {html.escape(user['nameId'])}</h1><p>Page {html.escape(path)}, through {idp}.</p>"
        f"<table>{rows}</table><p><a href='/{idp}/logout'>Sign out</a></p>",
    )


def refused(reason, status="403 Forbidden"):
    return page("Sign-in refused", f"<h1>Sign-in refused</h1><p>{html.escape(reason)}</p>", status)


def acs(req, idp, auth):
    request_id = REQUESTS.get(req.sid, {}).get(idp)
    auth.process_response(request_id=request_id)
    errors = auth.get_errors()
    if errors or not auth.is_authenticated():
        return refused(f"{', '.join(errors)}: {auth.get_last_error_reason()}")
    sid, cookie = new_sid()
    SESSIONS[sid] = {
        idp: {
            "nameId": auth.get_nameid(),
            "nameIdFormat": auth.get_nameid_format(),
            "sessionIndex": auth.get_session_index(),
            "attributes": auth.get_attributes(),
        }
    }
    return redirect(landing(idp, req.form.get("RelayState")), [cookie])


def slo(req, idp, auth):
    def end_sessions():
        SESSIONS.get(req.sid, {}).pop(idp, None)
        if "SAMLRequest" in req.args:
            xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(req.args["SAMLRequest"])
            name_id = OneLogin_Saml2_Logout_Request.get_nameid(xml)
            for s in SESSIONS.values():
                if s.get(idp, {}).get("nameId") == name_id:
                    s.pop(idp)

    request_id = REQUESTS.get(req.sid, {}).get(idp)
    url = auth.process_slo(request_id=request_id, delete_session_cb=end_sessions)
    errors = auth.get_errors()
    if errors:
        return refused(f"{', '.join(errors)}: {auth.get_last_error_reason()}", "400 Bad Request")
    return redirect(url or f"/{idp}/signed-out")


def logout(req, idp, auth):
    user = SESSIONS.get(req.sid, {}).pop(idp, None)
    if not user:
        return redirect(f"/{idp}/signed-out")
    url = auth.logout(
        name_id=user["nameId"], session_index=user["sessionIndex"], name_id_format=user["nameIdFormat"]
    )
    REQUESTS.setdefault(req.sid, {})[idp] = auth.get_last_request_id()
    return redirect(url)


def protected(req, idp, auth):
    """Every other page: signed in, it shows who; otherwise SP-initiated SSO, back to this page."""
    user = SESSIONS.get(req.sid, {}).get(idp)
    if user:
        return signed_in_page(idp, req.path, user)
    sid, cookie = (req.sid, None) if req.sid else new_sid()
    url = auth.login(return_to=req.path + (f"?{req.query}" if req.query else ""))
    REQUESTS.setdefault(sid, {})[idp] = auth.get_last_request_id()
    return redirect(url, [cookie] if cookie else [])


def route(req):
    parts = req.path.split("/", 2)
    idp = parts[1] if len(parts) > 1 else ""
    if idp not in IDPS:
        return page("Not found", "no such IdP", "404 Not Found")
    action = parts[2] if len(parts) > 2 else ""
    if action == "metadata":
        settings = OneLogin_Saml2_Settings(SETTINGS[idp], sp_validation_only=True)
        return "200 OK", [("Content-Type", "application/samlmetadata+xml")], settings.get_sp_metadata().decode()
    if action == "signed-out":
        return page("Signed out", "<h1>You have been signed out</h1>")
    if action == "whoami":
        user = SESSIONS.get(req.sid, {}).get(idp)
        body = json.dumps({"nameId": user["nameId"], "attributes": user["attributes"]} if user else {})
        return ("200 OK" if user else "401 Unauthorized"), [("Content-Type", "application/json")], body
    auth = OneLogin_Saml2_Auth(req.saml(), SETTINGS[idp])
    if action == "acs" and req.method == "POST":
        return acs(req, idp, auth)
    if action == "slo":
        return slo(req, idp, auth)
    if action == "logout":
        return logout(req, idp, auth)
    return protected(req, idp, auth)


def app(environ, start_response):
    try:
        status, headers, body = route(Request(environ))
    except Exception as e:  # the library's exceptions (malformed messages) refuse the request
        status, headers, body = refused(f"{type(e).__name__}: {e}", "400 Bad Request")
    data = body.encode("utf-8")
    start_response(status, [*headers, ("Content-Length", str(len(data)))])
    return [data]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


if __name__ == "__main__":
    server = make_server("127.0.0.1", PORT, app, server_class=ThreadingServer, handler_class=QuietHandler)
    print(f"python3-saml SP listening on {BASE}", flush=True)
    sys.stdout.flush()
    server.serve_forever()
