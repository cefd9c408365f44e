"""``liveness.model_crop`` is exactly what the kiosk feeds each liveness model (scripts/finetune_crops.py relies on it)."""

from __future__ import annotations

import numpy as np

from kiosk.engine.images import load_image
from kiosk.engine.liveness import model_crop


def test_model_crop_is_what_the_checker_scores(analyzer, faces_dir):
    frame = load_image(faces_dir / "antispoof" / "image_T1.jpg")
    box = analyzer.analyze(frame)[0].box
    checker = analyzer.liveness_checker
    assert checker.models, "the test pack carries liveness models"
    for entry, loaded in checker.models:
        scale = entry.crop_scale or 1.0
        crop = model_crop(frame, box, entry, scale)
        assert crop.shape == (*(entry.input_size or (80, 80)), 3) and crop.dtype == np.uint8
        blob = ((crop.astype(np.float32) - entry.mean) / entry.std).transpose(2, 0, 1)[None]
        session = loaded.session
        direct = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(blob)})[0][0]
        np.testing.assert_allclose(direct, checker.logits(frame, box, entry, loaded, scale), rtol=0, atol=1e-6)
        # a different scale is a different crop: the scale is not ignored
        assert not np.array_equal(crop, model_crop(frame, box, entry, scale * 0.5))
