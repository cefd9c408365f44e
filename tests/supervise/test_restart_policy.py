"""The supervisor's policy: restart or not, the back-off, the crash-loop flag, the hang test (pure, no process)."""

from __future__ import annotations

import signal

import pytest

from kiosk.flows.restart_policy import ChildEnd, EndKind, RestartPolicy, Restarts, describe_exit


def test_a_clean_exit_is_never_restarted_and_resets_the_streak():
    restarts = Restarts(RestartPolicy())
    restarts.after(ChildEnd.exited(3, ran_s=2))
    verdict = restarts.after(ChildEnd.exited(0, ran_s=2))
    assert not verdict.restart and verdict.reason == "clean exit" and restarts.streak == 0


def test_a_crash_after_a_stable_run_restarts_within_the_first_delay():
    restarts = Restarts(RestartPolicy(first_delay_s=1.0, stable_after_s=60))
    verdict = restarts.after(ChildEnd.exited(-signal.SIGKILL, ran_s=3600))
    assert verdict.restart and verdict.delay_s == 1.0 and verdict.delay_s <= 5  # the issue: within 5 s
    assert verdict.reason == "crash: killed by signal 9 (SIGKILL)" and not verdict.crash_loop


def test_quick_crashes_in_a_row_double_the_wait_up_to_the_cap_and_flag_a_loop():
    restarts = Restarts(RestartPolicy(first_delay_s=1.0, max_delay_s=8.0, stable_after_s=60, loop_after=3))
    verdicts = [restarts.after(ChildEnd.exited(2, ran_s=1.5)) for _ in range(6)]
    assert [v.delay_s for v in verdicts] == [1, 2, 4, 8, 8, 8]
    assert [v.crash_loop for v in verdicts] == [False, False, True, True, True, True]
    assert verdicts[2].detail() == "crash: exit code 2; crash loop: 3 quick ends in a row; restarted after 4 s"
    assert all(v.restart for v in verdicts)  # it never gives up (see the module's docstring)


def test_a_long_run_between_crashes_starts_the_back_off_again():
    restarts = Restarts(RestartPolicy(first_delay_s=1.0, stable_after_s=60))
    for _ in range(4):
        restarts.after(ChildEnd.exited(1, ran_s=5))
    assert restarts.after(ChildEnd.exited(1, ran_s=61)).delay_s == 1.0


def test_a_hang_counts_like_a_crash_and_says_why():
    restarts = Restarts(RestartPolicy())
    verdict = restarts.after(ChildEnd.hung(ran_s=100, detail="no heartbeat for 30 s"))
    assert verdict.restart and verdict.reason == "hang: no heartbeat for 30 s"


def test_hang_needs_the_heartbeat_late_or_missing_past_the_start_grace():
    policy = RestartPolicy(hang_after_s=30, start_grace_s=120)
    assert policy.hang(now=119, started=0, last_beat=None) is None
    assert policy.hang(now=120, started=0, last_beat=None) == "no heartbeat within 120 s of the start"
    assert policy.hang(now=200, started=0, last_beat=171) is None
    assert policy.hang(now=201, started=0, last_beat=171) == "no heartbeat for 30 s"


def test_exit_codes_read_as_words():
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-15) == "killed by signal 15 (SIGTERM)"
    assert describe_exit(0xC0000005) == "exit code 0xC0000005"  # Windows access violation


def test_bad_policies_are_refused():
    with pytest.raises(ValueError, match="max_delay_s"):
        RestartPolicy(first_delay_s=10, max_delay_s=5)
    with pytest.raises(ValueError, match="hang_after_s must be > 0"):
        RestartPolicy(hang_after_s=0)
    with pytest.raises(ValueError, match="first_delay_s must be >= 0"):
        RestartPolicy(first_delay_s=-1)


def test_end_kinds():
    assert ChildEnd.exited(0, 1).kind == EndKind.CLEAN and ChildEnd.exited(1, 1).kind == EndKind.CRASH
