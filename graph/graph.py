"""The wiring: entry triage, orchestrators, specialists, clarification, escalation.

START -> triage -> escalate -> marketing-ops | marketing-analytics -> domain orchestrator ->
specialist <-> clarify ; specialist -> escalate [-> await_decision [-> revise -> escalate]] -> END ;
triage -> handoff -> escalate -> END. Routing between nodes is by ``Command(goto=...)``.
"""

from __future__ import annotations

from langgraph.graph import START, StateGraph

from graph.configuration import Context
from graph.hierarchy import load_hierarchy
from graph.nodes.escalation import await_decision, escalate, revise
from graph.nodes.routing import handoff, make_orchestrator, triage
from graph.nodes.specialists import clarify, make_specialist
from graph.state import State


def build() -> StateGraph:
    """The uncompiled graph, one node per orchestrator and specialist of ``prompts/``."""
    hierarchy = load_hierarchy()
    builder = StateGraph(State, context_schema=Context)
    builder.add_node("triage", triage)
    builder.add_node("handoff", handoff)
    builder.add_node("clarify", clarify)
    builder.add_node("escalate", escalate)
    builder.add_node("await_decision", await_decision)
    builder.add_node("revise", revise)
    for node in hierarchy.nodes.values():
        make = make_orchestrator if node.kind == "orchestrator" else make_specialist
        builder.add_node(node.id, make(node.id))
    builder.add_edge(START, "triage")
    return builder


def compile_graph(checkpointer=None):
    """Compile once at start-up; ``checkpointer`` is a LangGraph saver (SqliteSaver in the bot)."""
    return build().compile(checkpointer=checkpointer)


graph = compile_graph()  # for LangGraph Studio (langgraph.json); Studio brings its own checkpointer
