"""The wiring: entry triage, orchestrators, specialists, clarification, escalation.

START -> triage -> escalate -> marketing-ops | marketing-analytics -> domain orchestrator ->
specialist <-> clarify ; specialist -> escalate [-> await_decision [-> revise -> escalate]
[-> triage: a what-if asked while the decision waits]]
[-> confirm [-> await_decision]] [-> check_reading [-> escalate]] -> END ;
triage -> handoff -> escalate -> END. Routing between nodes is by ``Command(goto=...)``.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graph.configuration import Context
from graph.hierarchy import load_hierarchy
from graph.nodes.escalation import await_decision, confirm, escalate, revise
from graph.nodes.routing import handoff, make_orchestrator, triage
from graph.nodes.specialists import check_reading, clarify, make_specialist
from graph.state import State


def build() -> StateGraph[State, Context, State, State]:
    """The uncompiled graph, one node per orchestrator and specialist of ``prompts/``."""
    hierarchy = load_hierarchy()
    roots = tuple(n.id for n in hierarchy.nodes.values() if n.parent is None)
    specialists = tuple(n.id for n in hierarchy.specialists())
    builder = StateGraph(State, context_schema=Context)
    # Nodes route with Command(goto=...); ``destinations`` lets LangGraph Studio draw those edges.
    builder.add_node("triage", triage, destinations=("escalate", "handoff", END, *roots))
    builder.add_node("handoff", handoff, destinations=("escalate",))
    builder.add_node("clarify", clarify, destinations=("triage", "clarify", *specialists))
    builder.add_node(
        "escalate",
        escalate,
        destinations=("await_decision", "confirm", "check_reading", END, *roots),
    )
    builder.add_node(
        "check_reading", check_reading, destinations=("check_reading", "triage", "escalate", END)
    )
    builder.add_node("confirm", confirm, destinations=("await_decision", "triage", END))
    builder.add_node(
        "await_decision",
        await_decision,
        destinations=("await_decision", "revise", "escalate", "triage", END, *roots, *specialists),
    )
    builder.add_node("revise", revise, destinations=("escalate", "triage"))
    for node in hierarchy.nodes.values():
        if node.kind == "orchestrator":
            builder.add_node(node.id, make_orchestrator(node.id), destinations=tuple(node.children))
        else:
            builder.add_node(
                node.id,
                make_specialist(node.id),
                destinations=("clarify", "escalate", "await_decision", node.id),
            )
    builder.add_edge(START, "triage")
    return builder


def compile_graph(checkpointer=None):
    """Compile once at start-up; ``checkpointer`` is a LangGraph saver (SqliteSaver in the bot)."""
    return build().compile(checkpointer=checkpointer)


def __getattr__(name: str):
    """``graph``, the compiled graph LangGraph Studio loads (langgraph.json; Studio brings its own
    checkpointer), compiled when asked for: a worker compiles its own with a checkpointer and
    would pay a quarter of a second for this one at every start. Raises AttributeError for
    other names."""
    if name == "graph":
        return compile_graph()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
