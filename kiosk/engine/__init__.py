"""Face engine: ONNX Runtime providers, model packs, detection, embedding, liveness, quality, pose.

Knows nothing of users or databases.
"""
