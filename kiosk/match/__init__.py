"""In-memory 1:N and 1:1 matching over L2-normalized templates (NumPy only)."""
