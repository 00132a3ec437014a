"""Exercise names checked against the library (exercises.yaml), the same way everywhere.

The command line, the web check-in and the API all take an exercise only if the library has
it: ``yoga`` is refused with the nearest names instead of being saved as "Yoga" (issue 13).
"""

from __future__ import annotations

import difflib

from backpace.knowledge import Knowledge


class UnknownExercise(ValueError):
    """Not an exercise of the library; the message lists the nearest ones."""


def exercise_library(kb: Knowledge) -> dict[str, str]:
    """Every exercise of the library, id → name, in library order."""
    return {exercise.id: exercise.name for exercise in kb.care.exercises}


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def exercise_id(text: str, library: dict[str, str]) -> str:
    """The id of the exercise TEXT names (its id or its name, any case); else UnknownExercise."""
    by_words = {_plain(key): exercise for exercise, name in library.items() for key in (exercise, name)}
    found = by_words.get(_plain(text))
    if found is not None:
        return found
    nearest = difflib.get_close_matches(_plain(text), list(by_words), n=3, cutoff=0.5)
    choices = list(dict.fromkeys(by_words[n] for n in nearest)) or list(library)
    raise UnknownExercise(
        f"{text.strip()!r} is not an exercise in the library; "
        f"{'the nearest' if nearest else 'the choices'}: {', '.join(choices)}"
    )


def not_an_id(exercise: str, library: dict[str, str]) -> str | None:
    """Why EXERCISE is refused where only ids are taken (the API), or None if it is an id."""
    if exercise in library:
        return None
    try:
        return f"{exercise!r} is a name: send its id {exercise_id(exercise, library)!r}"
    except UnknownExercise as error:
        return str(error)


def exercise_name(exercise: str, library: dict[str, str]) -> str:
    """An exercise's name as a person reads it (the id itself if the library no longer has it)."""
    return library.get(exercise, exercise)
