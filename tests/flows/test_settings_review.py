"""What a settings save changes and what of it weakens the kiosk (kiosk/flows/settings_review.py),
on the real test pack's manifest (high 0.35, low 0.25, calibrated, no false-accept rate recorded)."""

from __future__ import annotations

import copy
import dataclasses

from kiosk.config import load_settings
from kiosk.flows.settings_review import HIDDEN, Weakening, review


def test_turning_spoof_checks_off_is_a_risk_and_secrets_are_never_shown(tmp_path, pack):
    old = load_settings(data_dir=tmp_path, environ={})
    new = copy.deepcopy(old)
    new.login.liveness = False
    new.enroll.security = "standard"
    new.events.webhook_secret = "s3cret-value"
    found = review(old, new, pack)
    assert [r.kind for r in found.risks] == [Weakening.LIVENESS_OFF, Weakening.SECURITY_LOWERED]
    assert [r.key for r in found.risks] == ["login.liveness", "enroll.security"]
    detail = found.audit_detail(confirmed_risks=True)
    assert "s3cret" not in detail and f"events.webhook_secret: {HIDDEN} -> {HIDDEN}" in detail
    assert detail.endswith("weaker security confirmed: enroll.security, login.liveness")


def test_a_threshold_at_or_above_the_packs_is_no_risk_and_a_lower_one_names_the_packs_value(tmp_path, pack):
    old = load_settings(data_dir=tmp_path, environ={})
    new = copy.deepcopy(old)
    new.match.high = 0.35  # the pack's own value, written out: no change at all
    assert not review(old, new, pack).changes
    new.match.high = 0.3
    [risk] = [r for r in review(old, new, pack).risks if r.key == "match.high"]
    assert (risk.kind, risk.value, risk.pack_value, risk.calibrated) == (Weakening.ACCEPT_BELOW_PACK, "0.3", 0.35, True)


def test_lowering_the_level_the_kiosk_runs_is_a_risk_whatever_the_setting_is_called(tmp_path, pack):
    """auto runs adaptive on a pack with a measured band: standard from there is weaker, adaptive is not;
    on the test pack (no band) auto is standard, so choosing standard changes nothing that runs."""
    banded = dataclasses.replace(pack, thresholds=dataclasses.replace(pack.thresholds, liveness_low=0.3, liveness_high=0.8))
    old = load_settings(data_dir=tmp_path, environ={})
    assert old.login.security == "auto"
    new = copy.deepcopy(old)
    new.login.security = "standard"
    [risk] = review(old, new, banded).risks
    assert (risk.kind, risk.key, risk.value) == (Weakening.ADAPTIVE_LOWERED, "login.security", "standard")
    assert not review(old, new, pack).risks
    new.login.security = "adaptive"
    assert not review(old, new, banded).risks
    new.enroll.security = "auto"  # strict -> adaptive: the turn only when unsure
    [risk] = review(old, new, banded).risks
    assert (risk.kind, risk.key, risk.value) == (Weakening.SECURITY_LOWERED, "enroll.security", "adaptive")
