"""Settings precedence and validation: defaults < config.toml < KIOSK_* < flags."""

from __future__ import annotations

import pytest

from kiosk.config import LoginProfile, effective_security, level_gates, load_settings, save_settings
from kiosk.errors import ConfigError


def test_precedence(tmp_path):
    (tmp_path / "config.toml").write_text("[login]\nframe_interval_ms = 90\nmax_frames = 40\n[ui]\nlanguage = 'ko'\n")
    env = {"KIOSK_LOGIN_FRAME_INTERVAL_MS": "120"}
    s = load_settings(data_dir=tmp_path, environ=env, overrides={"login.max_frames": 50})
    assert s.login.frame_interval_ms == 120  # env beats file
    assert s.login.max_frames == 50  # flag beats file
    assert s.ui.language == "ko"  # file beats default
    assert s.enroll.min_valid_frames == 5  # default


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KIOSK_LOGIN_MAX_YAW": "abc"}, "KIOSK_LOGIN_MAX_YAW"),
        ({"KIOSK_LOGIN_MAX_YAW": "120"}, "login.max_yaw"),
        ({"KIOSK_UI_LANGUAGE": "fr"}, "ui.language"),
        ({"KIOSK_LOGIN_FACE_POLICY": "all"}, "login.face_policy"),
        ({"KIOSK_LOGIN_SECURITY": "paranoid"}, "login.security"),
        ({"KIOSK_RUNTIME_DET_SIZE": "333"}, "runtime.det_size"),
    ],
)
def test_bad_values_name_the_key(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(data_dir=tmp_path, environ=env)


def test_security_levels_default_and_override(tmp_path):
    """Sign-in defaults to auto (the pack's measured level, never the turn for everyone), enrollment to strict (passive + head turn)."""
    s = load_settings(data_dir=tmp_path, environ={})
    assert (s.login.security, s.login.challenge) == ("auto", False)
    assert (s.enroll.security, s.enroll.challenge) == ("strict", True)
    s = load_settings(data_dir=tmp_path, environ={"KIOSK_LOGIN_SECURITY": "strict"})
    assert s.login.challenge
    (tmp_path / "config.toml").write_text("[enroll]\nsecurity = 'standard'\n")
    assert not load_settings(data_dir=tmp_path, environ={}).enroll.challenge


def test_adaptive_is_a_security_level_whose_challenge_the_capture_decides(tmp_path):
    """adaptive asks for the turn only in the pack's grey band: the profile alone does not ask for it."""
    s = load_settings(data_dir=tmp_path, environ={"KIOSK_LOGIN_SECURITY": "adaptive"})
    assert (s.login.security, s.login.challenge) == ("adaptive", False)
    with pytest.raises(ConfigError, match="'auto', 'standard', 'strict' or 'adaptive'"):
        load_settings(data_dir=tmp_path, environ={"KIOSK_LOGIN_SECURITY": "sometimes"})


def test_unknown_key_in_file_is_named(tmp_path):
    (tmp_path / "config.toml").write_text("[login]\nframe_intervall_ms = 90\n")
    with pytest.raises(ConfigError, match="login.frame_intervall_ms"):
        load_settings(data_dir=tmp_path, environ={})


def test_broken_file_is_named(tmp_path):
    (tmp_path / "config.toml").write_text("[login\n")
    with pytest.raises(ConfigError, match="config.toml"):
        load_settings(data_dir=tmp_path, environ={})


def test_save_round_trips_and_leaves_no_temp(tmp_path):
    s = load_settings(data_dir=tmp_path, environ={})
    s.login.min_valid_frames = 4
    s.runtime.providers = ["CPUExecutionProvider"]
    save_settings(s)
    again = load_settings(data_dir=tmp_path, environ={})
    assert again.login.min_valid_frames == 4 and again.runtime.providers == ["CPUExecutionProvider"]
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_windows_data_dir_logic():
    from kiosk.paths import default_data_dir

    path = default_data_dir("win32", {"PROGRAMDATA": r"D:\ProgramData"})
    assert str(path).replace("\\", "/").endswith("ProgramData/FaceKiosk")


def test_saved_paths_are_absolute_so_another_start_folder_finds_them(tmp_path, monkeypatch):
    """Issue 21: a relative pack path in config.toml was read against the folder the kiosk next
    started in, and the kiosk went out of order ("model pack folder not found")."""
    from kiosk.config import tomllib
    from pathlib import Path

    (tmp_path / "here" / "packs" / "p").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "here")
    s = load_settings(data_dir=tmp_path / "data", environ={}, overrides={"models": "packs/p", "events.jsonl_path": "events.jsonl"})
    save_settings(s)
    written = tomllib.loads(s.config_path.read_text(encoding="utf-8"))
    assert written["models"] == str(tmp_path / "here" / "packs" / "p")
    assert written["events"]["jsonl_path"] == str(tmp_path / "here" / "events.jsonl")
    monkeypatch.chdir(tmp_path)  # started elsewhere: the same folders
    assert load_settings(data_dir=tmp_path / "data", environ={}).models == Path(tmp_path / "here" / "packs" / "p")


@pytest.mark.parametrize("key", ["match.high", "match.low", "match.duplicate"])
def test_a_threshold_outside_the_cosine_range_is_refused(tmp_path, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(data_dir=tmp_path, environ={}, overrides={key: -1.5})


def test_auto_runs_adaptive_only_with_a_measured_band_and_adaptive_runs_without_the_frame_cue():
    """auto follows the pack (a trained pack's band, else standard); an explicit level wins; adaptive's gates drop the cue."""
    assert effective_security("auto", band_measured=True) == "adaptive"
    assert effective_security("auto", band_measured=False) == "standard"
    assert [effective_security(level, band_measured=False) for level in ("standard", "strict", "adaptive")] == ["standard", "strict", "adaptive"]
    login = LoginProfile()
    assert login.frame_cue and not level_gates(login, "adaptive").frame_cue
    assert level_gates(login, "standard") is login and level_gates(login, "strict") is login
    assert isinstance(level_gates(login, "adaptive"), LoginProfile)
