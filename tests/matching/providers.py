"""Local stand-ins for the SMS, WeChat and SMTP providers, speaking their documented APIs.

No internet here: each fake is a real HTTP (or SMTP) server on 127.0.0.1 that
the providers' own SDKs talk to. Each one checks what the real service checks
(Aliyun V3 ``ACS3-HMAC-SHA256`` request signature, Tencent Cloud
``TC3-HMAC-SHA256`` signature, WeChat appid/secret and access token, SMTP
STARTTLS + AUTH) and answers with the documented success and error bodies.
Their delivery-report callbacks are built in the documented formats
(``*_report`` helpers) for the tests to post to the portal's endpoints.

Scenarios are chosen by the request, as a provider would decide them:
a template id containing "BAD" is rejected, number 13800000002 is rate limited,
number 12345 is invalid, number 13800000009 makes the server stall (timeout).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RATE_LIMITED = "13800000002"
INVALID = "12345"
STALLS = "13800000009"
STALL_SECONDS = 3

_ids = itertools.count(1000)


class _Server:
    """A threaded HTTP server with a handler bound to this fake."""

    def __init__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                fake.handle(self, "GET", b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake.handle(self, "POST", self.rfile.read(length))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.endpoint = f"127.0.0.1:{self.port}"
        self.requests: list[dict] = []
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def reply(handler, status: int, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(data)  # the client may have given up (timeout scenario)


# --- Aliyun SMS (dysmsapi 2017-05-25), V3 signature --------------------------------------


def _acs_encode(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


class FakeAliyunSms(_Server):
    ACCESS_KEY_ID = "LTAI-test-id"
    ACCESS_KEY_SECRET = "aliyun-test-secret"

    def __init__(self):
        super().__init__()
        self.sent: dict[str, dict] = {}  # biz_id -> request parameters
        self.status: dict[str, tuple[int, str]] = {}  # biz_id -> (SendStatus, ErrCode)

    def settings(self) -> dict:
        return {
            "access_key_id": self.ACCESS_KEY_ID,
            "access_key_secret": self.ACCESS_KEY_SECRET,
            "endpoint": self.endpoint,
            "protocol": "http",
            "sign_name": "山东专利运营",
            "push_template": "SMS_480001",
            "verification_template": "SMS_480002",
            "callback_token": "aliyun-callback-secret",
        }

    def signature_ok(self, handler, method: str, body: bytes) -> bool:
        """Recompute the V3 signature (help.aliyun.com "V3版本请求体&签名机制")."""
        auth = handler.headers.get("Authorization", "")
        algorithm, _, rest = auth.partition(" ")
        fields = dict(part.split("=", 1) for part in rest.split(","))
        if algorithm != "ACS3-HMAC-SHA256" or fields.get("Credential") != self.ACCESS_KEY_ID:
            return False
        payload_hash = hashlib.sha256(body).hexdigest()
        if handler.headers.get("x-acs-content-sha256") != payload_hash:
            return False
        url = urllib.parse.urlsplit(handler.path)
        query = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        canonical_query = "&".join(f"{_acs_encode(k)}={_acs_encode(v)}" for k, v in sorted(query))
        signed = fields["SignedHeaders"].split(";")
        # Every x-acs-* header, host and content-type must be signed.
        required = {h.lower() for h in handler.headers if h.lower().startswith("x-acs-")}
        required |= {"host"} | ({"content-type"} if "Content-Type" in handler.headers else set())
        if not required <= set(signed) or signed != sorted(signed):
            return False
        canonical_headers = "".join(
            f"{name}:{(handler.headers.get(name) or '').strip()}\n" for name in signed
        )
        canonical = "\n".join(
            [
                method,
                url.path or "/",
                canonical_query,
                canonical_headers,
                ";".join(signed),
                payload_hash,
            ]
        )
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(
            self.ACCESS_KEY_SECRET.encode(), to_sign.encode(), hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, fields.get("Signature", ""))

    def handle(self, handler, method, body):
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(handler.path).query))
        params.update(urllib.parse.parse_qsl(body.decode()))
        action = handler.headers.get("x-acs-action", "")
        request_id = f"REQ-{next(_ids)}"
        self.requests.append({"action": action, "params": params})
        if not self.signature_ok(handler, method, body):
            return self.reply(
                handler,
                400,
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched with our calculation.",
                    "RequestId": request_id,
                },
            )
        if action == "SendSms":
            return self._send(handler, params, request_id)
        if action == "QuerySendDetails":
            return self._query(handler, params, request_id)
        return self.reply(handler, 404, {"Code": "InvalidAction.NotFound", "RequestId": request_id})

    def _send(self, handler, params, request_id):
        number = params.get("PhoneNumbers", "")
        if number == STALLS:
            time.sleep(STALL_SECONDS)
        if "BAD" in params.get("TemplateCode", ""):
            body = {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法(不存在或被拉黑)"}
        elif number == RATE_LIMITED:
            body = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控Permits:10"}
        elif number == INVALID:
            body = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
        else:
            biz_id = f"{next(_ids)}^0"
            self.sent[biz_id] = params
            body = {"Code": "OK", "Message": "OK", "BizId": biz_id}
        return self.reply(handler, 200, {**body, "RequestId": request_id})

    def _query(self, handler, params, request_id):
        biz_id = params.get("BizId", "")
        sent = self.sent.get(biz_id)
        details = []
        if sent and sent["PhoneNumbers"] == params.get("PhoneNumber"):
            status, err = self.status.get(biz_id, (1, ""))
            details.append(
                {
                    "PhoneNum": sent["PhoneNumbers"],
                    "SendStatus": status,
                    "ErrCode": err,
                    "TemplateCode": sent["TemplateCode"],
                    "Content": "【山东专利运营】…",
                    "SendDate": "2026-12-07 10:00:00",
                    "ReceiveDate": "2026-12-07 10:00:05",
                    "OutId": "",
                }
            )
        return self.reply(
            handler,
            200,
            {
                "Code": "OK",
                "Message": "OK",
                "RequestId": request_id,
                "TotalCount": len(details),
                "SmsSendDetailDTOs": {"SmsSendDetailDTO": details},
            },
        )

    @staticmethod
    def report(biz_id: str, *, success: bool, err_code: str, err_msg: str) -> list[dict]:
        """An ``SmsReport`` HTTP batch push body (JSON array)."""
        return [
            {
                "phone_number": "13812345678",
                "send_time": "2026-12-07 10:00:00",
                "report_time": "2026-12-07 10:00:05",
                "success": success,
                "err_code": err_code,
                "err_msg": err_msg,
                "sms_size": "1",
                "biz_id": biz_id,
                "out_id": "",
            }
        ]


# --- Tencent Cloud SMS (sms 2021-01-11), TC3-HMAC-SHA256 ---------------------------------


def _hmac256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class FakeTencentSms(_Server):
    SECRET_ID = "AKID-test-id"
    SECRET_KEY = "tencent-test-key"
    SDK_APP_ID = "1400000001"

    def __init__(self):
        super().__init__()
        self.sent: dict[str, dict] = {}

    def settings(self) -> dict:
        return {
            "secret_id": self.SECRET_ID,
            "secret_key": self.SECRET_KEY,
            "endpoint": self.endpoint,
            "protocol": "http",
            "region": "ap-guangzhou",
            "sdk_app_id": self.SDK_APP_ID,
            "sign_name": "山东专利运营",
            "push_template": "1900001",
            "verification_template": "1900002",
            "callback_token": "tencent-callback-secret",
        }

    def signature_ok(self, handler, body: bytes) -> bool:
        """Recompute TC3-HMAC-SHA256 (cloud.tencent.com/document/api/382/52072)."""
        auth = handler.headers.get("Authorization", "")
        algorithm, _, rest = auth.partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(","))
        secret_id, date, service, terminator = fields.get("Credential", "////").split("/")
        if algorithm != "TC3-HMAC-SHA256" or secret_id != self.SECRET_ID:
            return False
        timestamp = handler.headers.get("X-TC-Timestamp", "0")
        day = dt.datetime.fromtimestamp(int(timestamp), dt.UTC).strftime("%Y-%m-%d")
        if day != date or service != "sms" or terminator != "tc3_request":
            return False
        signed = fields["SignedHeaders"].split(";")
        canonical_headers = "".join(f"{h}:{handler.headers.get(h, '')}\n" for h in signed)
        canonical = "\n".join(
            ["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
        )
        scope = f"{date}/{service}/tc3_request"
        to_sign = "\n".join(
            ["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
        )
        key = _hmac256(
            _hmac256(_hmac256(("TC3" + self.SECRET_KEY).encode(), date), service), "tc3_request"
        )
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, fields.get("Signature", ""))

    def handle(self, handler, method, body):
        request_id = f"req-{next(_ids)}"
        action = handler.headers.get("X-TC-Action", "")
        params = json.loads(body or b"{}")
        self.requests.append({"action": action, "params": params})

        def error(code, message):
            body = {
                "Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}
            }
            return self.reply(handler, 200, body)

        if not self.signature_ok(handler, body):
            return error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be "
                "validated. Please check your signature is correct.",
            )
        if action != "SendSms":
            return error("InvalidAction", f"The action {action} is not supported.")
        if params.get("SmsSdkAppId") != self.SDK_APP_ID:
            return error("FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verify fail.")
        if "BAD" in params.get("TemplateId", ""):
            return error(
                "FailedOperation.TemplateIncorrectOrUnapproved",
                "template is not approved or request content does not match the approved template",
            )
        statuses = []
        for number in params.get("PhoneNumberSet", []):
            local = number.removeprefix("+86")
            if local == STALLS:
                time.sleep(STALL_SECONDS)
            if local == RATE_LIMITED:
                code, message, serial = (
                    "LimitExceeded.PhoneNumberDailyLimit",
                    "the number of SMS messages sent from a single mobile number every day "
                    "exceeds the upper limit",
                    "",
                )
            elif local == INVALID:
                code, message, serial = (
                    "InvalidParameterValue.IncorrectPhoneNumber",
                    "incorrect number format",
                    "",
                )
            else:
                serial = f"2640:{next(_ids)}"
                self.sent[serial] = params
                code, message = "Ok", "send success"
            statuses.append(
                {
                    "SerialNo": serial,
                    "PhoneNumber": number,
                    "Fee": 1 if code == "Ok" else 0,
                    "SessionContext": "",
                    "Code": code,
                    "Message": message,
                    "IsoCode": "CN",
                }
            )
        self.reply(handler, 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}})

    @staticmethod
    def report(sid: str, *, success: bool, errmsg: str, description: str) -> list[dict]:
        """The documented status-report callback body (JSON array)."""
        return [
            {
                "user_receive_time": "2026-12-07 10:00:05",
                "nationcode": "86",
                "mobile": "13812345678",
                "report_status": "SUCCESS" if success else "FAIL",
                "errmsg": errmsg,
                "description": description,
                "sid": sid,
            }
        ]


# --- WeChat Official Account ------------------------------------------------------------


class FakeWeChat(_Server):
    APP_ID = "wx0123456789abcdef"
    APP_SECRET = "wechat-test-secret"
    TOKEN = "wechat-server-token"
    TEMPLATE = "tmpl-push-001"

    def __init__(self):
        super().__init__()
        self.access_token = f"ACCESS_{next(_ids)}"
        self.sent: dict[str, dict] = {}

    def settings(self) -> dict:
        return {
            "app_id": self.APP_ID,
            "app_secret": self.APP_SECRET,
            "token": self.TOKEN,
            "push_template_id": self.TEMPLATE,
            "api_base_url": f"http://{self.endpoint}/cgi-bin/",
        }

    def handle(self, handler, method, body):
        url = urllib.parse.urlsplit(handler.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        self.requests.append({"path": url.path, "query": query, "body": body})
        if url.path == "/cgi-bin/token":
            if query.get("appid") != self.APP_ID or query.get("secret") != self.APP_SECRET:
                return self.reply(handler, 200, {"errcode": 40125, "errmsg": "invalid appsecret"})
            return self.reply(handler, 200, {"access_token": self.access_token, "expires_in": 7200})
        if url.path == "/cgi-bin/message/template/send":
            if query.get("access_token") != self.access_token:
                return self.reply(handler, 200, {"errcode": 40001, "errmsg": "invalid credential"})
            message = json.loads(body)
            openid = message.get("touser", "")
            if openid == "o-stall":
                time.sleep(STALL_SECONDS)
            if message.get("template_id") != self.TEMPLATE:
                answer = {"errcode": 40037, "errmsg": "invalid template_id"}
            elif openid == "o-rate-limited":
                answer = {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
            elif not openid.startswith("o"):
                answer = {"errcode": 40003, "errmsg": "invalid openid"}
            elif openid == "o-unfollowed":
                answer = {"errcode": 43004, "errmsg": "require subscribe"}
            else:
                msgid = next(_ids)
                self.sent[str(msgid)] = message
                answer = {"errcode": 0, "errmsg": "ok", "msgid": msgid}
            return self.reply(handler, 200, answer)
        return self.reply(handler, 404, {"errcode": 40066, "errmsg": "invalid url"})

    def signed_query(self, *, timestamp: str = "1765000000", nonce: str = "n0nce") -> dict:
        signature = hashlib.sha1("".join(sorted([self.TOKEN, timestamp, nonce])).encode())
        return {"signature": signature.hexdigest(), "timestamp": timestamp, "nonce": nonce}

    def job_finish_event(self, msgid: str, status: str) -> str:
        """The documented TEMPLATESENDJOBFINISH event XML."""
        return (
            "<xml><ToUserName><![CDATA[gh_portal]]></ToUserName>"
            "<FromUserName><![CDATA[o-bound-openid]]></FromUserName>"
            "<CreateTime>1765000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
            f"<MsgID>{msgid}</MsgID><Status><![CDATA[{status}]]></Status></xml>"
        )


# --- SMTP (aiosmtpd): STARTTLS required, AUTH required --------------------------------------


def self_signed_certificate(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 / localhost; the client verifies it via SSL_CERT_FILE."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


class FakeSmtp:
    USER = "portal@mail.example.cn"
    PASSWORD = "smtp-test-password"

    def __init__(self, directory):
        import socket
        import ssl

        self.cert, key = self_signed_certificate(directory)
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.tls.load_cert_chain(self.cert, key)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self.logins: list[str] = []

    def __enter__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        fake = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.startswith("nobody@"):
                    return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
                if address.startswith("busy@"):
                    return "451 4.3.0 Mailbox temporarily unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                fake.messages.append(envelope)
                return "250 2.0.0 Ok: queued"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == fake.USER.encode() and auth_data.password == (
                fake.PASSWORD.encode()
            )
            if ok:
                fake.logins.append(auth_data.login.decode())
            return AuthResult(success=ok, handled=False)

        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            tls_context=self.tls,
            require_starttls=True,
            auth_require_tls=True,
            authenticator=authenticator,
            server_hostname="localhost",
        )
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": self.USER,
            "EMAIL_HOST_PASSWORD": self.PASSWORD,
            "EMAIL_USE_TLS": True,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }


def post_callback(url: str, body: bytes | str, content_type: str) -> tuple[int, bytes]:
    """What the provider does with a report: an HTTP POST to the configured URL."""
    import urllib.error
    import urllib.request

    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
