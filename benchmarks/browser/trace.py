"""What the browser spent a change on: a Chromium performance trace (Playwright's
``browser.start_tracing``, the DevTools timeline categories) split by kind of work on
the page's main thread, and a V8 CPU profile (CDP ``Profiler`` through
``context.new_cdp_session``) splitting the JavaScript by the bundle it ran in.

The split is by self time, as DevTools' summary: an event's time minus its children's,
put in the kind its name says (a ``Layout`` forced inside a script is layout), or its
parent's kind when its name says none; a task's own time outside every named event is
``other``."""

from __future__ import annotations

import json
import re

TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "v8",
                    "blink.user_timing", "loading"]

SCRIPTING = {"EvaluateScript", "FunctionCall", "TimerFire", "EventDispatch", "RunMicrotasks", "FireAnimationFrame",
             "FireIdleCallback", "XHRReadyStateChange", "XHRLoad", "WebSocketReceive", "CompileScript",
             "CompileCode", "CompileModule", "EvaluateModule", "StreamingCompileScript", "MajorGC", "MinorGC",
             "BlinkGC.AtomicPhase", "ProfileCall", "TimeStamp", "ConsoleTime"}
STYLE_LAYOUT = {"UpdateLayoutTree", "RecalculateStyles", "Layout", "InvalidateLayout", "ScheduleStyleRecalculation",
                "UpdateLayerTree", "HitTest", "ParseAuthorStyleSheet", "ComputeIntersections",
                "IntersectionObserverController::computeIntersections", "LayoutShift"}
PAINT = {"Paint", "PaintImage", "PrePaint", "Layerize", "CompositeLayers", "UpdateLayer", "Commit", "PaintSetup",
         "RasterTask", "Decode Image", "ImageDecodeTask", "Decode LazyPixelRef", "Draw LazyPixelRef",
         "Rasterize", "DrawFrame", "BeginMainThreadFrame", "CommitLayerTree"}

# Where the JavaScript ran, by the script's URL (Streamlit's hashed static chunks).
JS_BUCKETS = (
    ("vega", re.compile(r"/(embed|vega-interpreter|loadVegaEmbed)\.[^/]*\.js")),
    ("chart component", re.compile(r"/ArrowVegaLiteChart\.[^/]*\.js")),
    ("arrow", re.compile(r"/arrowFormatUtils\.[^/]*\.js")),
    ("streamlit", re.compile(r"/static/js/")),
)
NOT_JS = {"(idle)", "(program)"}


def kind_of(name: str) -> str | None:
    if name in SCRIPTING or name.startswith(("V8.", "v8.")) or "GC" in name:
        return "scripting"
    if name in STYLE_LAYOUT:
        return "style+layout"
    if name in PAINT:
        return "paint"
    return None


def main_thread(events: list[dict]) -> tuple[int, int] | None:
    """(pid, tid) of the busiest ``CrRendererMain`` thread in the trace."""
    mains = {(e["pid"], e["tid"]) for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"
             and (e.get("args") or {}).get("name") == "CrRendererMain"}
    busy = dict.fromkeys(mains, 0)
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if key in busy and e.get("ph") == "X":
            busy[key] += e.get("dur", 0)
    return max(busy, key=busy.get) if busy else None


def _spans(events: list[dict], pid: int, tid: int) -> list[tuple[float, float, str]]:
    """(start, end, name) in µs of every complete event (X, or a B/E pair) on the thread."""
    spans, open_ = [], {}
    for e in events:
        if e.get("pid") != pid or e.get("tid") != tid or "ts" not in e:
            continue
        ph = e.get("ph")
        if ph == "X":
            spans.append((e["ts"], e["ts"] + e.get("dur", 0), e["name"]))
        elif ph == "B":
            open_.setdefault(e["name"], []).append(e["ts"])
        elif ph == "E" and open_.get(e.get("name")):
            spans.append((open_[e["name"]].pop(), e["ts"], e["name"]))
    spans.sort(key=lambda s: (s[0], -s[1]))
    return spans


def split_events(events: list[dict], pid: int, tid: int) -> dict:
    """Milliseconds of self time per kind on one thread, and ``busy`` (the top-level
    events' total)."""
    out = {"scripting": 0.0, "style+layout": 0.0, "paint": 0.0, "other": 0.0, "busy": 0.0}
    stack: list[list] = []  # [end, kind, self_us]

    def close(frame):
        out[frame[1]] += max(frame[2], 0) / 1000

    for start, end, name in _spans(events, pid, tid):
        while stack and stack[-1][0] <= start:
            close(stack.pop())
        end = min(end, stack[-1][0]) if stack else end  # a child never outlasts its parent
        if stack:
            stack[-1][2] -= end - start
        else:
            out["busy"] += (end - start) / 1000
        kind = kind_of(name) or (stack[-1][1] if stack else "other")
        stack.append([end, kind, end - start])
    while stack:
        close(stack.pop())
    return {k: round(v, 1) for k, v in out.items()}


def split_trace(raw: bytes | str) -> dict:
    data = json.loads(raw)
    events = data["traceEvents"] if isinstance(data, dict) else data
    thread = main_thread(events)
    if thread is None:
        raise ValueError("no CrRendererMain thread in the trace")
    return split_events(events, *thread)


def js_bucket(url: str) -> str:
    for name, pattern in JS_BUCKETS:
        if pattern.search(url or ""):
            return name
    return "other js"


def split_profile(profile: dict) -> dict:
    """Milliseconds of JavaScript self time per bundle (``JS_BUCKETS``) in a CDP
    ``Profiler.stop`` profile, and their ``total``; idle and the engine's own
    ``(program)`` time are left out. A sample lasts until the next one."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    samples, deltas = profile.get("samples") or [], profile.get("timeDeltas") or []
    out = {name: 0.0 for name, _ in JS_BUCKETS}
    out["other js"] = 0.0
    for i, node_id in enumerate(samples):
        frame = nodes[node_id]
        if frame.get("functionName") in NOT_JS:
            continue
        dur = deltas[i + 1] if i + 1 < len(deltas) else 0
        out[js_bucket(frame.get("url", ""))] += dur / 1000
    out["total"] = sum(out.values())
    return {k: round(v, 1) for k, v in out.items()}


# Vega's phases by the (unminified) method names on a sample's stack, nearest first:
# Vega-Lite's compile and Vega's parse (the spec and its expressions into a dataflow),
# the dataflow's run (transforms, scales), the scenegraph's render.
VEGA_RENDER = {"render", "_render", "renderAsync", "_resetRenderer", "_dirtyCheck", "resize", "background", "_clip"}
VEGA_PARSE = {"Identifier", "Literal", "toRuntime", "optimize", "initScales", "finish", "signalRef", "mapLayer",
              "mapUnit", "mapLayerOrUnit", "parseLambdas", "Au.s.context", "Nu.i.context"}
VEGA_DATAFLOW = {"evaluate", "run", "runAsync", "_update", "transform", "pulse", "update", "subflow", "changes", "fork"}


def vega_phase(names: list[str]) -> str:
    """The phase of a sample whose stack holds these Vega frame names (render first:
    the dataflow's run calls the renderer)."""
    if any(n in VEGA_RENDER for n in names):
        return "render"
    if any(n in VEGA_PARSE or n.startswith(("assemble", "parse")) or n.endswith("Expression") for n in names):
        return "compile+parse"
    if any(n in VEGA_DATAFLOW for n in names):
        return "dataflow"
    return "other vega"


def vega_phases(profile: dict) -> dict:
    """Milliseconds of the samples whose own frame is in Vega's bundle, by ``vega_phase``."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    deltas = profile.get("timeDeltas") or []
    out = dict.fromkeys(("compile+parse", "dataflow", "render", "other vega"), 0.0)
    for i, node_id in enumerate(profile.get("samples") or []):
        if js_bucket(nodes[node_id]["callFrame"].get("url", "")) != "vega":
            continue
        names, at = [], node_id
        while at is not None:
            frame = nodes[at]["callFrame"]
            if js_bucket(frame.get("url", "")) == "vega":
                names.append(frame.get("functionName", ""))
            at = parent.get(at)
        out[vega_phase(names)] += (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000
    return {k: round(v, 1) for k, v in out.items()}


def per_change(split: dict, changes: int) -> dict:
    return {k: round(v / changes, 1) for k, v in split.items()} if changes else split


def capture(browser, context, page, act, changes: int) -> dict:
    """Trace ``changes`` calls of ``act(page)`` (each a change that waits until settled)
    and return the per-change split of the main thread and of the JavaScript."""
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    # The profiler first: its start (seconds of the main thread's time, symbolising the
    # loaded code) stays out of the trace.
    cdp.send("Profiler.start")
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    seconds = []
    try:
        for _ in range(changes):
            seconds.append(act(page))
    finally:
        raw = browser.stop_tracing()
        profile = cdp.send("Profiler.stop")["profile"]
        cdp.detach()
    return {"change_s": seconds, "split": per_change(split_trace(raw), changes),
            "js": per_change(split_profile(profile), changes),
            "vega_phases": per_change(vega_phases(profile), changes)}
