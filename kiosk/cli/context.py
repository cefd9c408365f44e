"""What every subcommand needs: effective settings and lazily built services."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings, load_settings

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.pack import ModelPack


@dataclass
class CliContext:
    """Built once per invocation from the global flags; services load on first use."""

    args: argparse.Namespace
    overrides: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def settings(self) -> Settings:
        data_dir = Path(self.args.data_dir).expanduser() if getattr(self.args, "data_dir", None) else None
        overrides = dict(self.overrides)
        if getattr(self.args, "models", None):
            overrides["models"] = self.args.models
        if getattr(self.args, "providers", None):
            overrides["runtime.providers"] = self.args.providers
        return load_settings(data_dir=data_dir, overrides=overrides)

    @cached_property
    def pack(self) -> ModelPack:
        from kiosk.engine.pack import resolve_pack

        return resolve_pack(self.settings)

    @cached_property
    def analyzer(self) -> FaceAnalyzer:
        from kiosk.engine.analyzer import FaceAnalyzer

        return FaceAnalyzer.from_settings(self.pack, self.settings)


def emit_json(obj: Any) -> None:
    """One JSON document on stdout, UTF-8, non-ASCII kept readable (Korean names)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
