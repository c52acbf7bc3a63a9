"""Deterministic calculators: every figure in a deliverable comes from here, never from a model."""
