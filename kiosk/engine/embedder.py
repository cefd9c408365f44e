"""Face embedding from an aligned crop with the pack's recognizer (any embedding size)."""

from __future__ import annotations

import numpy as np

from kiosk.engine.pack import ModelPack
from kiosk.engine.providers import LoadedSession, create_session
from kiosk.errors import ModelPackError


def l2_normalize(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class FaceEmbedder:
    def __init__(self, pack: ModelPack, providers: list[str], threads: int) -> None:
        self.entry = pack.recognizer
        self.loaded: LoadedSession = create_session(pack.path(self.entry), providers, threads)
        self.input_name = self.loaded.session.get_inputs()[0].name
        shape = self.loaded.session.get_inputs()[0].shape
        self.crop_size = int(shape[2]) if isinstance(shape[2], int) else 112
        out_dim = self.loaded.session.get_outputs()[0].shape[-1]
        if isinstance(out_dim, int) and out_dim != pack.embedding_size:
            raise ModelPackError(f"{self.entry.file}: gives {out_dim}-d embeddings but the manifest says {pack.embedding_size}")
        self.embedding_size = pack.embedding_size

    @property
    def provider(self) -> str:
        return self.loaded.provider

    def embed(self, aligned_bgr: np.ndarray) -> np.ndarray:
        """L2-normalized embedding of one aligned crop."""
        crop = aligned_bgr[:, :, ::-1] if self.entry.color == "RGB" else aligned_bgr
        blob = (crop.astype(np.float32) - self.entry.mean) / self.entry.std
        blob = np.ascontiguousarray(blob.transpose(2, 0, 1)[None])
        out = self.loaded.session.run(None, {self.input_name: blob})[0]
        return l2_normalize(out[0])
