"""Drives an unmodified third-party VoIPbin client (the `voipbin-mcp` package from PyPI)
against `bridgetop serve`, over REST and the WebSocket, in both of its auth transports.

Usage: python check.py BANNER_JSON_LINE
Exits non-zero with a reason on the first disagreement.
"""

import asyncio
import importlib
import json
import logging
import os
import sys
import uuid


def fail(message: str) -> None:
    print(f"real-client check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


async def rest_round_trip(banner: dict) -> None:
    server = importlib.import_module("voipbin_mcp.server")
    server._client = None  # a fresh client per transport: it reads the env on creation
    from voipbin_mcp.client import VoIPbinAPIError
    from voipbin_mcp.tools import agents, calls, conferences, customer

    me = json.loads(await customer.get_customer())
    expect(me["id"] == banner["customer_id"], "GET /customer names the demo customer")

    team = json.loads(await agents.list_agents(page_size=100))["result"]
    expect(len(team) == len(banner["agents"]), "GET /agents lists the whole team")

    room = json.loads(await conferences.create_conference(name="Real client room"))
    expect(room["status"] == "progressing" and room["type"] == "conference", "POST /conferences")
    fetched = json.loads(await conferences.get_conference(room["id"]))
    expect(fetched["id"] == room["id"], "GET /conferences/{id}")
    listed = json.loads(await conferences.list_conferences(page_size=100))
    expect(any(c["id"] == room["id"] for c in listed["result"]), "the new room is listed")
    expect(listed["next_page_token"] != "", "a non-empty page carries a page token")

    alice = banner["agents"][0]["id"]
    dialled = json.loads(
        await calls.create_call("tel", "+14155550199", "agent", alice)
    )
    legs = [c["id"] for c in dialled["calls"]] + [
        i for g in dialled["groupcalls"] for i in g["call_ids"]
    ]
    expect(len(legs) >= 1, "POST /calls to an agent rings at least one leg")
    call = json.loads(await calls.get_call(legs[0]))
    expect(call["owner_type"] == "agent" and call["owner_id"] == alice, "the leg is Alice's")
    hung = json.loads(await calls.hangup_call(legs[0]))
    expect(hung["status"] in ("canceling", "terminating", "hangup"), "POST /calls/{id}/hangup")

    deleted = json.loads(await conferences.delete_conference(room["id"]))
    expect(deleted["tm_delete"] is not None, "DELETE /conferences/{id} sets tm_delete")

    try:
        await conferences.get_conference(str(uuid.uuid4()))
        fail("a missing conference must be an error")
    except VoIPbinAPIError as e:
        expect(e.status_code == 404 and e.reason == "CONFERENCE_NOT_FOUND", f"404 envelope: {e}")
        expect(bool(e.request_id), "the error carries a request id")


async def websocket_events(banner: dict, transport: str) -> None:
    from voipbin_mcp.phone.events import EventHub, build_ws_url
    from voipbin_mcp.tools import calls

    seen = []
    url, headers = build_ws_url(banner["api_url"], banner["accesskey"], transport)
    hub = EventHub(url, headers, banner["customer_id"], on_event=seen.append)
    pump = asyncio.create_task(hub.run())
    try:
        expect(await hub.wait_ready(10), f"the /ws connection ({transport}) becomes ready")
        dialled = json.loads(await calls.create_call("tel", "+14155550199", "tel", "+14155550123"))
        call_id = dialled["calls"][0]["id"]
        for _ in range(100):
            statuses = {e.status for e in seen if getattr(e, "id", "") == call_id}
            if "progressing" in statuses:
                break
            await asyncio.sleep(0.1)
        expect("progressing" in statuses, f"call events arrive over /ws ({transport}): {statuses}")
        await calls.hangup_call(call_id)
        for _ in range(100):
            if any(e.id == call_id and e.status == "hangup" for e in seen):
                break
            await asyncio.sleep(0.1)
        expect(any(e.id == call_id and e.status == "hangup" for e in seen), "call_hangup arrives")
        expect(hub.connections == 1, "the connection stayed up (no topic was refused)")
    finally:
        pump.cancel()


async def main() -> None:
    # httpx logs every request URL at INFO, access key included: keep it out of CI logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    banner = json.loads(sys.argv[1])
    os.environ["VOIPBIN_API_KEY"] = banner["accesskey"]
    os.environ["VOIPBIN_API_BASE_URL"] = banner["api_url"]
    for transport in ("cookie", "query"):
        os.environ["VOIPBIN_AUTH_TRANSPORT"] = transport
        await rest_round_trip(banner)
        await websocket_events(banner, transport)
        print(f"real client over {transport} auth: REST and WebSocket agree")


if __name__ == "__main__":
    asyncio.run(main())
