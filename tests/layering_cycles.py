"""The no-cycles rule of tests/layering.py: circles in the graph of imports between
tokenshare modules (Tarjan's strongly connected components)."""

from __future__ import annotations


def cycles(graph: dict[str, dict[str, int]], paths: dict[str, str]) -> list[tuple[str, int, str]]:
    """One violation per strongly connected component of more than one module (or a
    module importing itself), naming one circle in it edge by edge."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    comps: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan; the graph is a few dozen modules deep at most
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    out = []
    for comp in comps:
        start = min(comp)
        if len(comp) == 1 and start not in graph.get(start, {}):
            continue
        members = set(comp)
        prev: dict[str, str] = {}
        frontier, cycle = [start], None
        while frontier and cycle is None:  # shortest circle back to start
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w == start:
                        cycle = [v]
                        break
                    if w in members and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if cycle:
                    break
            frontier = nxt
        while cycle[-1] != start:
            cycle.append(prev[cycle[-1]])
        cycle.reverse()
        ring = cycle + [start]
        steps = ", ".join(f"{a} -> {b} ({paths[a]}:{graph[a][b]})" for a, b in zip(ring, ring[1:]))
        out.append((paths[start], graph[start][ring[1]], f"import circle among {len(members)} modules: {steps}"))
    return out
