"""LangGraph state machine of the marketing-ops seed hierarchy: state, nodes, routing, brains, calculators."""
