"""Settings changes are published once, to the consumers of the sections that changed."""

from __future__ import annotations

import copy

import pytest

from kiosk.match.bands import effective_thresholds


def test_apply_notifies_each_listener_once_with_the_changed_sections(registry_settings):
    from kiosk.flows.live_settings import LiveSettings

    live = LiveSettings(registry_settings)
    heard: list[tuple[str, frozenset[str]]] = []
    live.connect(lambda s, changed: heard.append(("match", changed)), ("match",))
    disconnect_ui = live.connect(lambda s, changed: heard.append(("ui", changed)), ("ui",))
    live.connect(lambda s, changed: heard.append(("all", changed)))
    new = copy.deepcopy(registry_settings)
    new.match.high, new.match.low = 0.6, 0.2
    assert live.apply(new) == {"match"}
    assert heard == [("match", {"match"}), ("all", {"match"})]
    assert live.settings is registry_settings and registry_settings.match.high == 0.6  # the object everyone holds
    heard.clear()
    disconnect_ui()
    new.ui.idle_timeout_s += 5
    live.apply(new)
    assert heard == [("all", {"ui"})]
    assert live.apply(copy.deepcopy(new)) == frozenset() and heard == [("all", {"ui"})]  # nothing changed: nobody told
    with pytest.raises(ValueError, match="nope"):
        live.connect(lambda s, c: None, ("nope",))


def test_the_registry_follows_a_new_accept_threshold_in_its_duplicate_check(registry_settings, registry, pack):
    from kiosk.flows.live_settings import LiveSettings

    live = LiveSettings(registry_settings)
    live.connect(lambda s, _c: registry.apply_match_settings(s.match), ("match",))
    assert registry.duplicate_threshold == pack.thresholds.high  # no setting: the pack's high
    new = copy.deepcopy(registry_settings)
    new.match.high = 0.61
    live.apply(new)
    assert (registry.bands.high, registry.duplicate_threshold) == (0.61, 0.61)
    new.match.duplicate = 0.7
    live.apply(new)
    assert (registry.bands.high, registry.duplicate_threshold) == (0.61, 0.7)


def test_one_resolver_uses_the_setting_else_the_pack(pack, registry_settings):
    t = effective_thresholds(pack.thresholds, registry_settings.match)
    assert (t.high, t.low, t.duplicate) == (pack.thresholds.high, pack.thresholds.low, pack.thresholds.high)
    registry_settings.match.low = 0.9  # above high: the band never inverts
    assert effective_thresholds(pack.thresholds, registry_settings.match).low == pack.thresholds.high
