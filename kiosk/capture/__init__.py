"""Capture: frame sources, the capture session (gates, liveness, aggregation) and the head-turn challenge. Qt-free."""
