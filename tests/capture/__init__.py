"""Capture tests (a package, so the fault-injection helpers import as ``capture.faults``)."""
