"""Graph nodes: orchestrators route, specialists answer, clarify asks, escalation notifies."""
