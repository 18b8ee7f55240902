"""Hatch build hook: ship the Sqitch project inside the package.

``langgraph-plpgsql deploy`` runs Sqitch on a plan that must be in the wheel. The
repository's top level (``../sqitch.plan``, ``deploy/``, ``revert/``, ``verify/``,
``sqitch.conf``) stays the only source: this hook adds those files to the wheel as
``langgraph/checkpoint/plpgsql/sqitch/`` and to the sdist as ``sqitch/``, so a wheel
built from the sdist finds them there. Nothing is copied into the source tree.

The bundled ``sqitch.conf`` keeps the sections a deploy reads ([core], [core
"variables"], [deploy], [rebase]); ``[add]`` names the repository's templates, which
are not shipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PROJECT_FILES = ("sqitch.plan", "deploy", "revert", "verify")
DROPPED_SECTIONS = ("[add]",)


def bundled_conf(text: str) -> str:
    """``sqitch.conf`` without the sections that only a checkout uses."""
    kept: list[str] = []
    keep = True
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            keep = stripped not in DROPPED_SECTIONS
        if keep:
            kept.append(line)
    return "".join(kept)


class SqitchProjectHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def _source(self) -> Path:
        root = Path(self.root)
        for candidate in (root.parent, root / "sqitch"):
            if (candidate / "sqitch.plan").is_file():
                return candidate
        raise FileNotFoundError(
            f"no Sqitch project next to {root}: build from a clone of the repository "
            "(python/ with ../sqitch.plan) or from the sdist (which holds sqitch/)"
        )

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            # An editable install runs from the checkout, where the CLI finds ../sqitch.plan.
            return
        source = self._source()
        prefix = "langgraph/checkpoint/plpgsql/sqitch" if self.target_name == "wheel" else "sqitch"
        force_include = build_data.setdefault("force_include", {})
        for name in PROJECT_FILES:
            force_include[str(source / name)] = f"{prefix}/{name}"
        self._conf_dir = tempfile.TemporaryDirectory(prefix="langgraph-plpgsql-build-")
        conf = Path(self._conf_dir.name) / "sqitch.conf"
        conf.write_text(bundled_conf((source / "sqitch.conf").read_text()))
        force_include[str(conf)] = f"{prefix}/sqitch.conf"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        conf_dir = getattr(self, "_conf_dir", None)
        if conf_dir is not None:
            conf_dir.cleanup()
