"""``kiosk report --html``: the dashboard's figures in one self-contained HTML file.

The charts are the dashboard's (``kiosk/ui/charts.py``), drawn offscreen on white and
embedded as PNG data URIs, so the file opens anywhere, offline, with nothing beside it.
Words are the kiosk's own, in the language asked for (``kiosk report --language``, by
default the kiosk's ``ui.language``), through the same catalogues as its screens.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
from collections.abc import Iterator

from kiosk.flows.report import OUTCOMES, Figures, availability_percent
from kiosk.ui.i18n import tr, trn
from kiosk.ui.texts import outcome_text, problem_text

CHART_SIZE = (1000, 420)


def _application():
    """Offscreen unless a platform was chosen: a report needs no display (a service, SSH)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["kiosk-report"])


@contextlib.contextmanager
def page_language(lang: str) -> Iterator[str]:
    """``lang``'s catalogue installed while a page is written; yields the language actually used
    (English when the catalogue cannot be loaded). English again afterwards: the application
    may be a test's, shared with screens that expect the source texts."""
    from kiosk.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(_application())
    switcher.set_language(lang)
    try:
        yield switcher.language
    finally:
        switcher.set_language("en")


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _h2(text: str) -> str:
    return f"<h2>{html.escape(text)}</h2>"


def _ms(value: float | None) -> str:
    return "—" if value is None else tr("{seconds} s").format(seconds=f"{value / 1000:.2f}")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _live(value: float | None) -> str:
    return "—" if value is None else f"{availability_percent(value):.1f} %"


def charts_png(figures: Figures) -> dict[str, bytes]:
    """Each chart of the report as PNG bytes: ``hours``, ``days`` and (when any) ``problems``."""
    _application()
    from kiosk.ui import charts

    f = figures
    made = {
        "hours": charts.outcome_chart([b.counts for b in f.hourly], [b.start.strftime("%H") for b in f.hourly], 3, charts.PAPER),
        "days": charts.outcome_chart([b.counts for b in f.daily], [b.start.strftime("%m/%d") for b in f.daily], 7 if f.days > 14 else 1, charts.PAPER),
    }
    if f.rejected:
        made["problems"] = charts.reasons_chart(f.rejected, {k: problem_text(k) for k in f.rejected}, charts.PAPER)
    return {name: charts.png(widget, *CHART_SIZE) for name, widget in made.items()}


def _table(rows: list[list[str]], head: list[str]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def render(figures: Figures, kiosk: str, lang: str = "en") -> str:
    """The whole page, its words in the installed language (``use_language``; ``lang`` is the
    page's ``lang`` attribute). An empty period still makes a page: it says there were no sign-ins."""
    from kiosk.ui.charts import OUTCOME_COLOURS

    f = figures
    title = tr("Sign-in trends — {kiosk}").format(kiosk=kiosk)
    meta = trn("Last %n day(s)", f.days) + " · " + tr("up to {time}").format(time=f.now.strftime("%Y-%m-%d %H:%M %Z").strip())
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        "<p class=meta>" + html.escape(meta + " · " + trn("%n sign-in(s)", f.signins)) + "</p>",
    ]
    if f.empty:
        parts.append("<p class=empty>" + html.escape(tr("No sign-ins yet in this period.")) + "</p>")
    else:
        pngs = charts_png(f)
        legend = " ".join(f'<span class=key style="background:{OUTCOME_COLOURS[o]}"></span>{html.escape(outcome_text(o))}' for o in OUTCOMES)
        outcomes = [outcome_text(o) for o in OUTCOMES]
        parts += [
            _h2(tr("Summary")),
            _table(
                [[outcome_text(o), str(f.totals[o]), _share(f.totals[o] / f.signins)] for o in OUTCOMES],
                [tr("Outcome"), tr("Sign-ins"), tr("Share")],
            ),
            _table(
                [
                    [tr("Median time to a decision"), _ms(f.median_ms)],
                    [tr("90th percentile"), _ms(f.p90_ms)],
                    [tr("Attempts timed (a face was seen)"), str(len(f.decision_ms))],
                    [tr("Camera live, last 24 hours"), _live(f.camera_live_24h)],
                    [trn("Camera live, last %n day(s)", f.days), _live(f.camera_live)],
                    [tr("Kiosk running time recorded"), tr("{hours} h").format(hours=f"{f.camera_recorded_s / 3600:.1f}")],
                ],
                [tr("Figure"), tr("Value")],
            ),
            _h2(tr("Sign-ins per hour, last 24 hours")),
            f"<p class=legend>{legend}</p>",
            _img(pngs["hours"], tr("Sign-ins per hour, last 24 hours")),
            _table([[b.start.strftime("%m/%d %H:00"), *(str(b.counts[o]) for o in OUTCOMES)] for b in f.hourly if b.total], [tr("Hour"), *outcomes]),
            _h2(trn("Sign-ins per day, last %n day(s)", f.days)),
            f"<p class=legend>{legend}</p>",
            _img(pngs["days"], trn("Sign-ins per day, last %n day(s)", f.days)),
            _table([[b.start.strftime("%Y-%m-%d"), *(str(b.counts[o]) for o in OUTCOMES)] for b in f.daily if b.total], [tr("Day"), *outcomes]),
            _h2(tr("Picture problems")),
            "<p>" + html.escape(trn("Frames rejected, per reason, of %n frame(s) with a face", f.frames_with_face) + " " + tr("(a frame can have several reasons)")) + "</p>",
        ]
        if "problems" in pngs:
            parts.append(_img(pngs["problems"], tr("Picture problems")))
            parts.append(_table([[problem_text(k), _share(v)] for k, v in f.rejected.items()], [tr("Reason"), tr("Share of frames")]))
        else:
            parts.append("<p>" + html.escape(tr("No frame with a face was rejected.")) + "</p>")
    style = (
        "body{font-family:system-ui,'Segoe UI','Malgun Gothic',sans-serif;max-width:1040px;margin:2em auto;color:#20262e}"
        "img{max-width:100%}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccd;padding:4px 10px;text-align:left}"
        ".key{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}.meta{color:#556}"
    )
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n"
    )
