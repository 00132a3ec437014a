"""Free text to case findings (issue 12): a person's own words, read with medspaCy.

``extract`` reads a story; ``safety`` says what the findings count for before and after the
person confirms them. spaCy is loaded on the first story, never on import.
"""

from __future__ import annotations

from backpace.freetext.extract import MAX_CHARS, Extraction, StoryTooLong, extract

__all__ = ["MAX_CHARS", "Extraction", "StoryTooLong", "extract"]
