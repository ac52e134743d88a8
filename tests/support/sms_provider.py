"""A loopback server that answers as Netgsm's REST API (v2) and İleti Merkezi's JSON API answer, as their
documentation says: the request each expects, the success each returns, and their error codes for wrong
credentials, an unregistered sender name and an empty balance. The providers cannot be reached from here."""

from __future__ import annotations

import base64
import http.server
import json
import threading


class SmsProvider:
    def __init__(self):
        self.netgsm = {"username": "8503001122", "password": "dogru-parola", "headers": {"KENTKONSEYI"}}
        self.iletimerkezi = {"key": "anahtar", "hash": "ozet", "senders": {"KENTKONSEYI"}, "balance": 10}
        self.received: list[dict] = []  # every message taken: provider, number, text, ref
        self.unreachable: set[str] = set()  # numbers (as sent, without "+") whose report says "not delivered"
        self.reports_asked = 0
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path == "/sms/rest/v2/send":
                    self._answer(*provider._netgsm(self.headers.get("Authorization", ""), body))
                elif self.path == "/v1/send-sms/json":
                    self._answer(*provider._iletimerkezi(body))
                elif self.path == "/sms/rest/v2/report":
                    self._answer(*provider._netgsm_report(self.headers.get("Authorization", ""), body))
                elif self.path == "/v1/get-report/json":
                    self._answer(*provider._iletimerkezi_report(body))
                else:
                    self._answer(404, {})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _netgsm(self, authorization: str, body: dict) -> tuple[int, dict]:
        expected = base64.b64encode(f"{self.netgsm['username']}:{self.netgsm['password']}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 406, {"code": "30", "description": "Invalid username, password or no API access"}
        if body.get("msgheader") not in self.netgsm["headers"]:
            return 406, {"code": "40", "description": "Message header is not defined"}
        messages = body.get("messages") or []
        if not messages or any(not m.get("msg") or not m.get("no") for m in messages):
            return 406, {"code": "70", "description": "Invalid query"}
        jobid = f"1737{len(self.received) + 1:012d}"
        for message in messages:
            self.received.append({"provider": "netgsm", "number": message["no"], "text": message["msg"],
                                  "ref": jobid})
        return 200, {"code": "00", "jobid": jobid, "description": "queued"}

    def _netgsm_report(self, authorization: str, body: dict) -> tuple[int, dict]:
        """Netgsm's report of jobs: status 1 delivered, 3 a wrong or barred number."""
        expected = base64.b64encode(f"{self.netgsm['username']}:{self.netgsm['password']}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 406, {"code": "30", "description": "Invalid username, password or no API access"}
        self.reports_asked += 1
        jobs = [{"jobid": m["ref"], "number": m["number"], "status": 3 if m["number"] in self.unreachable else 1}
                for m in self.received if m["provider"] == "netgsm" and m["ref"] in (body.get("bulkIds") or [])]
        return (200, {"code": "00", "jobs": jobs}) if jobs else (406, {"code": "60", "description": "No job"})

    def _iletimerkezi(self, body: dict) -> tuple[int, dict]:
        def status(code: str, message: str) -> tuple[int, dict]:
            return int(code), {"response": {"status": {"code": code, "message": message}}}

        request = body.get("request", {})
        authentication, order = request.get("authentication", {}), request.get("order", {})
        if (authentication.get("key"), authentication.get("hash")) != (self.iletimerkezi["key"],
                                                                       self.iletimerkezi["hash"]):
            return status("401", "Üyelik bilgileri hatalı")
        if order.get("sender") not in self.iletimerkezi["senders"]:
            return status("450", "Gönderilen başlık kullanıma uygun değil")
        numbers = order.get("message", {}).get("receipents", {}).get("number", [])
        if self.iletimerkezi["balance"] < len(numbers):
            return status("402", "Bakiye yetersiz")
        self.iletimerkezi["balance"] -= len(numbers)
        order_id = str(12323231 + len(self.received))
        for number in numbers:
            self.received.append({"provider": "iletimerkezi", "number": number,
                                  "text": order["message"]["text"], "ref": order_id})
        return 200, {"response": {"status": {"code": "200", "message": "İşlem başarılı"},
                                  "order": {"id": order_id}}}

    def _iletimerkezi_report(self, body: dict) -> tuple[int, dict]:
        """İleti Merkezi's report of an order: each number's status, 111 delivered, 112 not delivered."""
        request = body.get("request", {})
        authentication = request.get("authentication", {})
        if (authentication.get("key"), authentication.get("hash")) != (self.iletimerkezi["key"],
                                                                       self.iletimerkezi["hash"]):
            return 401, {"response": {"status": {"code": "401", "message": "Üyelik bilgileri hatalı"}}}
        self.reports_asked += 1
        order_id = request.get("order", {}).get("id")
        lines = [{"number": "+" + m["number"], "status": 112 if m["number"] in self.unreachable else 111}
                 for m in self.received if m["provider"] == "iletimerkezi" and m["ref"] == order_id]
        if not lines:
            return 455, {"response": {"status": {"code": "455", "message": "Sipariş bulunamadı"}}}
        return 200, {"response": {"status": {"code": "200", "message": "İşlem başarılı"},
                                  "order": {"id": order_id, "status": 114, "total": len(lines),
                                            "message": lines}}}

    def stop(self) -> None:
        self.server.shutdown()
