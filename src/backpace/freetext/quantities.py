"""Numbers in a story with what they measure: "three weeks", "38,4", "101F", "8/10", "since yesterday".

Number words go through text2num (a maintained parser), never a table of our own. The time units
and the words that say when something started come from phrases.yaml (``time``). Temperatures
come out in degrees Celsius, durations in days.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from backpace.knowledge.phrases import TimeSpec

# A digit number, maybe with a decimal point or comma ("38,4"), maybe with a unit stuck to it.
_NUMBER = re.compile(r"^(\d{1,4}(?:[.,]\d{1,2})?)(°?[cf]|%|/10|yo|days?|weeks?|months?|years?|hrs?|mins?)?$")
_TEMPERATURE_UNITS = {"c": "c", "°c": "c", "celsius": "c", "f": "f", "°f": "f", "fahrenheit": "f"}
_HOURS = {"hour", "hours", "hr", "hrs", "h"}
_MINUTES = {"minute", "minutes", "min", "mins"}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SINCE = {"since", "from", "started", "began", "start"}
_AGE_BEFORE = {("i", "'m"), ("i", "am"), ("aged",), ("age",)}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number and what kind of thing it measures, at tokens ``start:end`` of the story."""

    kind: str  # temperature, percent, score, age, duration (days), hours, minutes, plain
    value: float
    start: int
    end: int


def _word_number(tokens: Any, i: int) -> tuple[float, int] | None:
    """A number in words starting at token i ("twenty five", "three") and the index after it."""
    from text_to_num import text2num  # with spaCy, on the first story only

    best = None
    words: list[str] = []
    for j in range(i, min(i + 6, len(tokens))):
        text = tokens[j].norm_
        if text in ("-", "and") and words:
            words.append(text)
            continue
        words.append(text)
        phrase = " ".join(w for w in words if w not in ("-",))
        try:
            best = (float(text2num(phrase, "en")), j + 1)
        except ValueError:
            break
    return best


def _digits(text: str) -> tuple[float, str | None] | None:
    found = _NUMBER.match(text)
    if found is None:
        return None
    number = found.group(1).replace(",", ".")
    return float(number), found.group(2)


class Finder:
    """Finds the quantities of a parsed story (a spaCy Doc)."""

    def __init__(self, time: TimeSpec) -> None:
        self.units = time.units
        self.since = sorted(
            ((tuple(k.split()), v) for k, v in time.since.items()), key=lambda kv: -len(kv[0])
        )

    def find(self, doc: Any, today: dt.date | None = None) -> list[Quantity]:
        found: list[Quantity] = []
        i = 0
        while i < len(doc):
            quantity = self._since(doc, i, today) or self._number(doc, i)
            if quantity is None:
                i += 1
                continue
            found.append(quantity)
            i = quantity.end
        return found

    def _since(self, doc: Any, i: int, today: dt.date | None) -> Quantity | None:
        if doc[i].norm_ not in _SINCE:
            return None
        start = i + 1
        for words, days in self.since:
            end = start + len(words)
            if end <= len(doc) and tuple(t.norm_ for t in doc[start:end]) == words:
                return Quantity("duration", float(days), i, end)
        if start < len(doc) and today is not None:
            # "since Tuesday": the days back to the last Tuesday (a week if today is Tuesday).
            name = doc[start].norm_.removeprefix("last ")
            if name in _WEEKDAYS:
                back = (today.weekday() - _WEEKDAYS.index(name)) % 7 or 7
                return Quantity("duration", float(back), i, start + 1)
        return None

    def _number(self, doc: Any, i: int) -> Quantity | None:
        token = doc[i]
        norm = token.norm_
        stuck: str | None = None
        digits = _digits(norm)
        if digits is not None:
            value, stuck = digits
            after = i + 1
        elif (
            norm in ("a", "an") and i + 1 < len(doc) and doc[i + 1].norm_ in {*self.units, *_HOURS, *_MINUTES}
        ):
            value, after = 1.0, i + 1
        elif norm == "couple" and i + 2 < len(doc) and doc[i + 1].norm_ == "of":
            value, after = 2.0, i + 2
        elif (
            norm == "half"
            and i + 2 < len(doc)
            and doc[i + 1].norm_ in ("a", "an")
            and doc[i + 2].norm_ in _HOURS
        ):
            return Quantity("minutes", 30.0, i, i + 3)
        else:
            words = _word_number(doc, i)
            if words is None:
                return None
            value, after = words
        start = i - 1 if i > 0 and doc[i - 1].norm_ == "day" else i
        if start < i:  # "day 3 (of the flu)"
            return Quantity("duration", value, start, after)
        return self._unit(doc, start, after, value, stuck)

    def _unit(self, doc: Any, start: int, after: int, value: float, stuck: str | None) -> Quantity:
        if stuck:
            return self._stuck(doc, start, after, value, stuck)
        nxt = [t.norm_ for t in doc[after : after + 3]]
        first = nxt[0] if nxt else ""
        if first == "%" or first == "percent":
            return Quantity("percent", value, start, after + 1)
        if first in ("°", "degrees", "degree"):
            unit = _TEMPERATURE_UNITS.get(nxt[1] if len(nxt) > 1 else "", "")
            end = after + (2 if unit else 1)
            return self._temperature(value, unit, start, end)
        if first in _TEMPERATURE_UNITS:
            return self._temperature(value, _TEMPERATURE_UNITS[first], start, after + 1)
        if nxt[:3] in (["out", "of", "10"], ["out", "of", "ten"]):
            return Quantity("score", value, start, after + 3)
        if first in self.units:
            if nxt[1:3] == ["old"] or nxt[1:3] == ["-", "old"]:
                return Quantity("age", value, start, after + (2 if nxt[1] == "old" else 3))
            end = after + 1
            if len(nxt) > 1 and nxt[1] == "ago":
                end += 1
            return Quantity("duration", value * self.units[first], start, end)
        if first == "-" and len(nxt) > 2 and nxt[1] in ("year", "years"):  # "67-year-old"
            return Quantity("age", value, start, min(after + 5, len(doc)))
        if first in _HOURS:
            return Quantity("hours", value, start, after + 1)
        if first in _MINUTES:
            return Quantity("minutes", value, start, after + 1)
        before = tuple(t.norm_ for t in doc[max(0, start - 2) : start])
        if before[-1:] in _AGE_BEFORE or before in _AGE_BEFORE:
            return Quantity("age", value, start, after)
        return Quantity("plain", value, start, after)

    def _stuck(self, doc: Any, start: int, after: int, value: float, stuck: str) -> Quantity:
        if stuck == "%":
            return Quantity("percent", value, start, after)
        if stuck == "/10":
            return Quantity("score", value, start, after)
        if stuck == "yo":
            return Quantity("age", value, start, after)
        if stuck.lstrip("°") in ("c", "f"):
            return self._temperature(value, stuck.lstrip("°"), start, after)
        if stuck in _HOURS:
            return Quantity("hours", value, start, after)
        if stuck in _MINUTES:
            return Quantity("minutes", value, start, after)
        unit = self.units.get(stuck, self.units.get(stuck + "s", 1.0))
        end = after + (1 if after < len(doc) and doc[after].norm_ == "ago" else 0)
        return Quantity("duration", value * unit, start, end)

    @staticmethod
    def _temperature(value: float, unit: str, start: int, end: int) -> Quantity:
        if unit == "f" or (not unit and value > 45):
            value = (value - 32) * 5 / 9
        return Quantity("temperature", round(value, 1), start, end)
