"""Use cases: the only place that opens transactions; returns plain values."""
