"""The capture session: a state machine fed one frame at a time until it has a template.

No thread and no clock of its own: each ``Frame`` carries its timestamp, so warm-up,
the analysis interval and the timeout are decided on the source's time and a test
replays a video frame by frame without sleeping.

Per analyzed frame the cheap gates run first (face policy, size, pose, sharpness,
exposure, detection score: one detection), then passive liveness on the frames that
passed them, then the embedding on the frames that are still good. Phases:
``collect`` until ``min_valid_frames`` good frames aggregate into a template, then,
when the profile asks for it, ``challenge`` (the head turn), then done.

At ``adaptive`` the passive evidence decides whether to ask (the pack's ``Thresholds.band``): a
frame is refused only below the band's low end, and once the template is there a mean live score
at or above its high end finishes like ``standard``; a mean in between asks for ``strict``'s turn.
That passive rule is ``engine/pad_capture.passive_verdict``, at every level: the per-capture figures
the levels are chosen from (``scripts/pad_loso.py --captures``) replay the same function.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from kiosk.capture import guidance
from kiosk.capture import types as out
from kiosk.capture.challenge import HeadTurnChallenge
from kiosk.capture.types import CaptureResult, Frame, FrameReport, LivenessVerdict
from kiosk.config import ADAPTIVE, STRICT, CaptureProfile, MatchSettings, effective_security, level_gates
from kiosk.engine import types as r
from kiosk.engine.aggregate import aggregate
from kiosk.engine.pad_capture import Passive, passive_verdict
from kiosk.engine.types import AggregatedTemplate, FaceObservation
from kiosk.errors import NotEnoughFramesError
from kiosk.match.bands import effective_thresholds

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

COLLECT, CHALLENGE, DONE = "collect", "challenge", "done"
# A face smaller than this fraction of the size gate is someone passing far behind,
# not a second person at the kiosk, and does not break the one-person rule.
BYSTANDER_FRACTION = 0.5


class CaptureSession:
    """One login or enrollment attempt. Feed frames until ``done``; then read ``result``."""

    def __init__(
        self,
        analyzer: FaceAnalyzer,
        profile: CaptureProfile,
        *,
        name: str = "login",
        challenge: bool | None = None,
        challenge_order: tuple[str, str] | None = None,
        rng: random.Random | None = None,
        match: MatchSettings | None = None,
    ) -> None:
        """``match``: the kiosk's [match] settings, so the head-turn's same-face check uses the one
        threshold resolver's ``low`` (the setting, else the pack's), as identification does."""
        self.analyzer = analyzer
        self.profile = profile
        self.name = name
        self.thresholds = analyzer.pack.thresholds
        self.same_face_at = effective_thresholds(self.thresholds, match or MatchSettings()).low
        self.level = effective_security(profile.security, self.thresholds.band_measured)
        self.adaptive = challenge is None and self.level == ADAPTIVE and profile.liveness
        # below this a frame (and the capture's mean) is a spoof; adaptive's band starts lower
        self.refuse_below, self.accept_from = self.thresholds.band if self.adaptive else (self.thresholds.liveness,) * 2
        self.gates = level_gates(profile, ADAPTIVE) if self.adaptive else profile  # what the frames are scored with
        self._challenge_args = (profile, challenge_order, rng)
        use_challenge = self.level == STRICT if challenge is None else challenge
        self.challenge: HeadTurnChallenge | None = self._new_challenge() if use_challenge else None
        self.phase = COLLECT
        self.result: CaptureResult | None = None
        self.frames_seen = 0
        self.frames_analyzed = 0
        self.rejected: Counter[str] = Counter()
        self.accepted: list[FaceObservation] = []
        self.live_scores: list[float] = []
        self.template: AggregatedTemplate | None = None
        self._start: float | None = None
        self._last_analyzed: float | None = None
        self._first_face: float | None = None
        self._now = 0.0

    def _new_challenge(self) -> HeadTurnChallenge:
        profile, order, rng = self._challenge_args
        return HeadTurnChallenge(
            min_yaw=profile.challenge_yaw,
            min_parallax=profile.challenge_parallax,
            # the turned frames must look live too (a strongly bent print fakes the geometry)
            min_live=self.refuse_below if profile.liveness else None,
            order=order,
            rng=rng,
        )

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def progress(self) -> tuple[int, int]:
        needed = self.profile.min_valid_frames
        good = min(len(self.accepted), needed)
        if self.challenge is None:
            return good, needed
        return good + self.challenge.step, needed + len(self.challenge.order)

    def feed(self, frame: Frame) -> FrameReport:
        if self.done:
            return self._report(frame, analyzed=False)
        self.frames_seen += 1
        if self._start is None:
            self._start = frame.timestamp
        self._now = frame.timestamp
        if self._now - self._start >= self.profile.timeout_s:
            self._finish(out.CHALLENGE_FAILED if self.phase == CHALLENGE else out.TIMEOUT, "time ran out")
            return self._report(frame, analyzed=False)
        if self.frames_seen <= self.profile.warmup_frames:
            return self._report(frame, analyzed=False)
        interval = self.profile.frame_interval_ms / 1000.0
        if self._last_analyzed is not None and self._now - self._last_analyzed < interval:
            return self._report(frame, analyzed=False)
        self._last_analyzed = self._now
        return self._analyze(frame)

    def end(self, outcome: out.CaptureOutcome | None = None, message: str = "") -> CaptureResult:
        """Stop now (source ended, cancelled): the result from what was gathered so far."""
        if self.result is not None:
            return self.result
        if outcome is None:
            outcome = out.CHALLENGE_FAILED if self.phase == CHALLENGE else out.NOT_ENOUGH
        return self._finish(outcome, message)

    # -- one analyzed frame ----------------------------------------------------
    def _analyze(self, frame: Frame) -> FrameReport:
        self.frames_analyzed += 1
        image = frame.image
        faces = self.analyzer.analyze(image, gates=self.profile)
        chosen = faces[0] if faces else None
        if chosen is not None and self._first_face is None:
            self._first_face = frame.timestamp
        reasons = self._policy_reasons(faces)
        accepted = False
        key: str | None
        # no reasons means a face was chosen (_policy_reasons names NO_FACE), hence the `chosen is not None` below
        if self.phase == COLLECT:
            if chosen is not None and not reasons:
                reasons = list(chosen.reasons)
            if chosen is not None and not reasons and self.profile.liveness:
                score = self.analyzer.liveness(image, chosen, self.gates)
                self.live_scores.append(score)
                if score < self.refuse_below:
                    reasons = [r.SPOOF]
            if chosen is not None and not reasons:
                self.analyzer.embed(image, chosen)
                self.accepted.append(chosen)
                accepted = True
            self.rejected.update(reasons)
            self._after_collect()
            key = guidance.guidance_for(reasons) or guidance.Guidance.HOLD_STILL
        else:
            challenge = self.challenge
            assert challenge is not None  # the CHALLENGE phase is entered only with a challenge
            self.rejected.update(reasons)
            if chosen is not None and not reasons and challenge.min_live is not None:
                self.analyzer.liveness(image, chosen, self.gates)  # a few ms; read by the challenge
            if chosen is not None and not reasons and challenge.update(chosen) and challenge.passed:
                self._after_challenge(image, chosen)
            request = challenge.request
            key = guidance.guidance_for(reasons) or (guidance.Guidance(request) if request else None)
        if not self.done and self.frames_analyzed >= self.profile.max_frames:
            self._finish(out.CHALLENGE_FAILED if self.phase == CHALLENGE else out.NOT_ENOUGH, "no more frames allowed")
        if self.result is not None:
            key = guidance.Guidance.DONE if self.result.ok else key
        return self._report(frame, analyzed=True, faces=faces, chosen=chosen, accepted=accepted, reasons=reasons, key=key)

    def _policy_reasons(self, faces: list[FaceObservation]) -> list[str]:
        if not faces:
            return [r.NO_FACE]
        if self.profile.face_policy == "single":
            present = [f for f in faces if f.size >= BYSTANDER_FRACTION * self.profile.min_face_px]
            if len(present) > 1:
                return [r.MULTIPLE_FACES]
        return []

    def _after_collect(self) -> None:
        needed = self.profile.min_valid_frames
        # the capture's passive decision (pad_capture: one rule, also what its figures are measured with)
        passive = passive_verdict(self.live_scores, needed, self.refuse_below, self.accept_from) if self.profile.liveness else None
        if passive is Passive.SPOOF and len(self.accepted) < needed:
            self._finish(out.SPOOF, "the face did not look live")
            return
        if len(self.accepted) < needed:
            return
        try:
            self.template = aggregate(self.accepted, min_valid=needed, outlier_cosine=self.profile.outlier_cosine)
        except NotEnoughFramesError:
            return  # the good frames disagree (two people took turns?): keep collecting
        if passive is Passive.SPOOF:
            self._finish(out.SPOOF, "the face did not look live")
        elif passive is Passive.TURN:
            self.challenge = self._new_challenge()  # the grey band: the passive check is not sure
            self.phase = CHALLENGE
        elif self.challenge is None:
            self._finish(out.OK)
        else:
            self.phase = CHALLENGE

    def _after_challenge(self, image: np.ndarray, turned: FaceObservation) -> None:
        """The head that turned must be the face in the template, not someone who stepped in."""
        vector = self.analyzer.embed(image, turned)
        assert self.template is not None  # the head turn starts only once the template is built
        similarity = float(np.dot(vector, self.template.vector))
        if similarity >= self.same_face_at:
            self._finish(out.OK)
        else:
            self._finish(out.CHALLENGE_FAILED, f"a different face did the head turn (similarity {similarity:.2f})")

    def _finish(self, outcome: out.CaptureOutcome, message: str = "") -> CaptureResult:
        ok = outcome == out.OK
        passive = float(np.mean(self.live_scores)) if self.live_scores else None
        verdict = LivenessVerdict(
            passive_score=passive,
            passed=(not self.profile.liveness) or (passive is not None and passive >= self.refuse_below),
            challenge_passed=None if self.challenge is None else self.challenge.passed,
        )
        template = self.template if ok else None
        self.result = CaptureResult(
            profile=self.name,
            outcome=out.CaptureOutcome(outcome),
            template=template,
            frames_seen=self.frames_seen,
            frames_analyzed=self.frames_analyzed,
            frames_used=template.frames_used if template is not None else len(self.accepted),
            rejected=dict(self.rejected),
            liveness=verdict,
            elapsed_s=0.0 if self._start is None else self._now - self._start,
            message=message,
            decision_s=None if self._first_face is None else self._now - self._first_face,
        )
        self.phase = DONE
        return self.result

    def _report(
        self,
        frame: Frame,
        *,
        analyzed: bool,
        faces: list[FaceObservation] | None = None,
        chosen: FaceObservation | None = None,
        accepted: bool = False,
        reasons: list[str] | None = None,
        key: guidance.Guidance | None = None,
    ) -> FrameReport:
        return FrameReport(
            index=frame.index,
            analyzed=analyzed,
            observations=faces or [],
            chosen=chosen,
            accepted=accepted,
            reasons=reasons or [],
            guidance_key=key,
            progress=self.progress,
            done=self.done,
        )
