"""Visitors without a browser: real Streamlit sessions over the app's own websocket
(``/_stcore/stream``, the protobuf messages the frontend sends), each asking for a page
with a query string and asking again as soon as the script run has finished, as a
visitor hammering Run would (``pause_s`` after each answer; with none, eight sessions
rerunning the page in a tight loop load the server's own CPU whatever the page does). Eight Chromium tabs doing the same cost the machine more
than the server they load (Chromium raises its renderers' priority), which would measure
the test's browsers instead of the server; this costs almost nothing.

``Hammer(base_url, page, query_string, sessions).start()`` runs them in one thread;
``stop()`` ends them; ``outcomes`` counts finished runs by the first of ``MARKERS``
found in the run's errors ("alert: ..." for another error, "result" for none)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

# in the order they are looked for in a run's alerts (st.error and the like)
MARKERS = ("kept for short queries", "time limit", "workbench is busy", "still running", "from your address")


class Hammer(threading.Thread):
    def __init__(self, base_url: str, page: str, query_string: str, sessions: int, pause_s: float = 0.2):
        super().__init__(daemon=True, name="ws-hammer")
        self.url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.page = page
        self.query_string = query_string
        self.sessions = sessions
        self.pause_s = pause_s  # between a run's end and the next request, as a browser's click
        self.outcomes: Counter = Counter()
        self.errors: list[str] = []
        self._halt = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._all())
        finally:
            self._loop.close()

    async def _all(self) -> None:
        tasks = [asyncio.ensure_future(self._one()) for _ in range(self.sessions)]
        while not self._halt.is_set():
            await asyncio.sleep(0.1)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _rerun_message(self) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState

        return BackMsg(rerun_script=ClientState(query_string=self.query_string,
                                                page_name=self.page)).SerializeToString()

    async def _one(self) -> None:
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.asyncio.client import connect

        try:
            conn = await connect(self.url, subprotocols=["streamlit"], max_size=None)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(f"connect: {exc!r}")
            return
        try:
            await conn.send(self._rerun_message())
            alerts: list[str] = []  # st.error's texts in this run
            ERROR = Alert.ERROR
            while True:
                raw = await conn.recv()
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if (kind == "delta" and msg.delta.new_element.WhichOneof("type") == "alert"
                        and msg.delta.new_element.alert.format == ERROR):
                    alerts.append(msg.delta.new_element.alert.body)
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    text = " ".join(alerts)
                    self.outcomes[next((m for m in MARKERS if m in text), f"alert: {text[:60]}" if text else "result")] += 1
                    alerts = []
                    await asyncio.sleep(self.pause_s)
                    await conn.send(self._rerun_message())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(f"session: {exc!r}")
        finally:
            await conn.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(15)
