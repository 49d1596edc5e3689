"""A thin wrapper over OR-Tools' min-cost flow: node 0 is the source, node 1 the sink, and an
idle arc source -> sink keeps every instance feasible, so the solve is a pure cost minimum."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

SOURCE = 0
SINK = 1
_VECTOR_FROM = 64  # below this many arcs one call per arc is faster than building arrays


class FlowError(RuntimeError):
    pass


class FlowGraph:
    def __init__(self) -> None:
        self.nodes = 2
        self.arcs: list[tuple[int, int, int, int]] = []  # tail, head, capacity, unit cost

    def node(self) -> int:
        self.nodes += 1
        return self.nodes - 1

    def arc(self, tail: int, head: int, capacity: int, cost: int) -> int:
        self.arcs.append((tail, head, capacity, cost))
        return len(self.arcs) - 1

    def solve(self, supply: int) -> tuple[int, list[int]]:
        """Send `supply` units from source to sink at least cost; (cost, flow per arc)."""
        solver = min_cost_flow.SimpleMinCostFlow()
        self.arc(SOURCE, SINK, supply, 0)
        if len(self.arcs) >= _VECTOR_FROM:
            table = np.array(self.arcs, dtype=np.int64)
            solver.add_arcs_with_capacity_and_unit_cost(
                table[:, 0].astype(np.int32),
                table[:, 1].astype(np.int32),
                table[:, 2],
                table[:, 3],
            )
        else:
            add = solver.add_arc_with_capacity_and_unit_cost
            for tail, head, cap, cost in self.arcs:
                add(tail, head, cap, cost)
        solver.set_node_supply(SOURCE, supply)
        solver.set_node_supply(SINK, -supply)
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise FlowError(f"min-cost flow ended with status {status}")
        count = len(self.arcs) - 1
        flows = solver.flows(np.arange(count, dtype=np.int32)).tolist() if count else []
        return int(solver.optimal_cost()), [int(f) for f in flows]
