"""A workbench worker: a separate Python process that runs visitors' queries, one at a
time, under limits the operating system enforces.

Started by the pool (tokenshare/engine/workbench_pool.py) as
``python -m tokenshare.engine.workbench_worker <fd>``: a fresh interpreter (never a
fork of the threaded Streamlit server) that talks over one end of a socket pair. The
protocol, in JSON messages (``Connection.send_bytes``; nothing is pickled, so a worker
that misbehaved could not make the server run code):

1. the pool sends the configuration (workbench file, tables, limits); the worker lowers
   its own CPU priority (``nice``) so the server's page runs win the processor;
2. the worker opens the locked sandbox, reads the engine's catalogue for the gate, runs
   one query through the whole path to warm it, then lowers its own address-space limit
   (``RLIMIT_AS``: its size now plus ``address_space_mb``) and answers ``ready`` with the
   sandbox's settings and schema;
3. for each ``{"sql": ...}`` it sets ``RLIMIT_CPU`` to the CPU used so far plus
   ``cpu_s`` (past it the kernel sends SIGXCPU, which ends the process), runs the gate
   and the capped query, and answers a header (``ok``, rows, flags, seconds, its RSS) and,
   when ok, the result as an Arrow IPC stream of at most ``byte_cap`` bytes, ``cell_cap``
   cells and ``column_cap`` columns; a refusal is
   a header with the message.

It ends when the pool closes its end (EOFError), when the pool kills it (wall time), or
when the kernel does (CPU). An allocation past the address-space limit fails inside
DuckDB or Python and comes back as a memory refusal; the worker then carries on."""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

# Deep enough for json.loads of the parse tree of the deepest query 20,000 characters
# can write that DuckDB will still bind (about 2,500 nested sub-selects, depth ~10,000);
# deeper trees raise RecursionError, which the gate turns into a message.
RECURSION_LIMIT = 30_000


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _limit_address_space(extra_mb: int) -> int:
    """Cap this process's address space at its current size plus ``extra_mb``."""
    limit = (_status_kib("VmSize") + extra_mb * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _send(conn: Connection, header: dict, payload: bytes | None = None) -> None:
    conn.send_bytes(json.dumps(header).encode("utf-8"))
    if payload is not None:
        conn.send_bytes(payload)


def serve(conn: Connection) -> None:
    from tokenshare.engine import workbench_gate as gate
    from tokenshare.engine import workbench_run as run

    config = json.loads(conn.recv_bytes().decode("utf-8"))
    # a lower CPU priority than the server: with every worker busy on two cores, the
    # pages' own script runs still get the processor first (issue 26, item 4)
    os.nice(int(config.get("nice", 0)))
    try:
        con = run.open_locked(Path(config["source"]), config["tables"], memory_limit=config["memory_limit"],
                              threads=config["threads"])
        catalogue = gate.Catalogue(con, config["tables"])
        info = run.sandbox_info(con)
        # the whole path once (parse, gate, run, Arrow, IPC) before the limit is set, so
        # the libraries' own first allocations are not counted against a visitor's query
        warm = gate.single_select("SELECT 1 AS warm_up")
        gate.check_sources(con, warm, catalogue)
        run.to_ipc(run.run_capped(con, warm, row_cap=1, byte_cap=1024, time_limit=config["time_limit"]).table)
        limit = _limit_address_space(config["address_space_mb"])
    except Exception as exc:  # noqa: BLE001  (reported to the pool, which shows it)
        _send(conn, {"ready": False, "error": f"{type(exc).__name__}: {gate.first_line(exc)}"})
        return
    sys.setrecursionlimit(RECURSION_LIMIT)
    _send(conn, {"ready": True, "info": info, "address_space_limit": limit})
    while True:
        try:
            request = json.loads(conn.recv_bytes().decode("utf-8"))
        except (EOFError, OSError):
            return
        _limit_cpu(config["cpu_s"])
        try:
            statement = gate.single_select(request["sql"])
            gate.check_sources(con, statement, catalogue)
            capped = run.run_capped(con, statement, row_cap=config["row_cap"], byte_cap=config["byte_cap"],
                                    time_limit=min(float(request.get("time_limit", config["time_limit"])),
                                                   config["time_limit"]), cell_cap=config["cell_cap"],
                                    column_cap=config["column_cap"])
            payload = run.to_ipc(capped.table)
            header = {"ok": True, "statement": statement, "rows": capped.table.num_rows,
                      "rows_over": capped.rows_over, "bytes_over": capped.bytes_over, "seconds": capped.seconds,
                      "cells_over": capped.cells_over, "columns": capped.columns}
        except gate.Refused as exc:
            header, payload = {"ok": False, "message": str(exc)}, None
        except MemoryError:
            header, payload = {"ok": False, "message": run.memory_message()}, None
        except RecursionError:
            header, payload = {"ok": False, "message": "The query nests too deeply for the workbench. "
                                                      "Flatten it, e.g. with a WITH clause."}, None
        except Exception as exc:  # noqa: BLE001  (any other failure is a message on the page)
            header, payload = {"ok": False, "message": "The workbench could not run this query: "
                                                      + gate.code(f"{type(exc).__name__}: {gate.first_line(exc)}")}, None
        header["rss_kib"] = _status_kib("VmRSS")
        try:
            _send(conn, header, payload)
        except (OSError, ValueError):
            return


def main(argv: list[str]) -> None:
    # Ctrl+C in the server's terminal reaches its whole process group: the server shuts
    # down, and the worker ends when its socket closes, without a KeyboardInterrupt trace
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(int(argv[1]))
    try:
        serve(conn)
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv)
