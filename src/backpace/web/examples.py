"""Example cases shipped with the web app, to show what a result looks like before the interview exists."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from backpace.models import Case

#: Each example's title in plain words: what happened and what the result says to do.
TITLES = {
    "cauda-equina-emergency": "Numbness around the bottom after COVID: an emergency",
    "flu-self-care": "Flu with an aching back: looking after it at home",
    "kidney-infection-urgent": "Fever and pain under the ribs: see a doctor today",
    "long-covid-soon": "Back pain weeks after COVID: book an appointment",
}


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    case: Case

    @property
    def title(self) -> str:
        return TITLES[self.name]

    @property
    def description(self) -> str:
        return self.case.narrative or self.name.replace("-", " ")


def examples() -> dict[str, Example]:
    """The packaged examples by name (the file name without ``.json``), in name order: read once
    by ``create_app`` (``app.state.examples``)."""
    folder = resources.files("backpace.web") / "examples"
    found = {}
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".json"):
            name = item.name.removesuffix(".json")
            found[name] = Example(name, Case.model_validate(json.loads(item.read_text(encoding="utf-8"))))
    return found
