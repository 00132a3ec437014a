"""Every change to the knowledge files comes with a new `version` in knowledge.yaml.

Every assessment carries the knowledge version, so a version must name one set of rules. The
fingerprint is taken of the parsed YAML, file by file: comments and layout do not count, any
change to a rule, threshold, sentence or source does. When it fails, bump `version` in
knowledge.yaml and record the fingerprint the message prints in FINGERPRINTS below.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from backpace.knowledge import default_knowledge_dir

#: knowledge version -> {file: fingerprint of its parsed content}. Add a line per new version.
FINGERPRINTS: dict[str, dict[str, str]] = {
    "1.1.0": {
        "derived.yaml": "f560b3d1817e6572",
        "levels.yaml": "a26500287b11f894",
        "mechanisms.yaml": "a44480a871330f56",
        "red_flags.yaml": "4d5646172a4096dd",
        "screening.yaml": "ca2d174e9f3acb1a",
        "sources.yaml": "2d159b0215c1ad84",
    },
    "1.2.0": {
        "advice.yaml": "506682319126e8a3",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "d1b9e877e5660014",
        "questionnaire.yaml": "417c29107e0620e6",
        "questions.yaml": "9a267fc705a81c1a",
        "red_flags.yaml": "34bfc71900db2dd4",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "ca2d174e9f3acb1a",
        "sources.yaml": "22f56cb06526a4a0",
    },
    "1.3.0": {
        "advice.yaml": "506682319126e8a3",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "d1b9e877e5660014",
        "questionnaire.yaml": "417c29107e0620e6",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "7118e983b7be9d68",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "eae715601b138b83",
    },
    "1.3.1": {
        "advice.yaml": "506682319126e8a3",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "d1b9e877e5660014",
        "pacing_advice.yaml": "3f132c148280ba46",
        "questionnaire.yaml": "417c29107e0620e6",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "7118e983b7be9d68",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "8cf3efb72f1c93da",
    },
    "1.3.2": {
        "advice.yaml": "506682319126e8a3",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "d1b9e877e5660014",
        "pacing_advice.yaml": "3f132c148280ba46",
        "questionnaire.yaml": "dc094bd82ef23e70",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "7118e983b7be9d68",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "583294a8e544fe66",
    },
    "1.3.3": {
        "advice.yaml": "506682319126e8a3",
        "checkin.yaml": "64b8b1f3b86fffc0",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "8f11105a089cfa9d",
        "pacing_advice.yaml": "3f132c148280ba46",
        "questionnaire.yaml": "dc094bd82ef23e70",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "7118e983b7be9d68",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "583294a8e544fe66",
    },
    "1.3.4": {
        "advice.yaml": "506682319126e8a3",
        "checkin.yaml": "64b8b1f3b86fffc0",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "888b2834e16dd0b0",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "8f11105a089cfa9d",
        "pacing_advice.yaml": "3f132c148280ba46",
        "phrases.yaml": "8ae8596d0683b371",
        "questionnaire.yaml": "dc094bd82ef23e70",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "7118e983b7be9d68",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "583294a8e544fe66",
    },
    "1.3.5": {
        "advice.yaml": "506682319126e8a3",
        "checkin.yaml": "64b8b1f3b86fffc0",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "d481782868645ba6",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "8f11105a089cfa9d",
        "pacing_advice.yaml": "3f132c148280ba46",
        "phones.yaml": "08002fb70b21688b",
        "phrases.yaml": "8ae8596d0683b371",
        "questionnaire.yaml": "dc094bd82ef23e70",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "f675ffb6ba4daa8b",
        "report.yaml": "2ff8b688ec9ca7ed",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "486c22da8a701a16",
    },
    "1.3.6": {
        "advice.yaml": "506682319126e8a3",
        "checkin.yaml": "64b8b1f3b86fffc0",
        "derived.yaml": "f560b3d1817e6572",
        "exercises.yaml": "c3c16992895169fa",
        "explanations.yaml": "25672515c4f5d8c5",
        "insights.yaml": "b3e6f84e08accd71",
        "levels.yaml": "d481782868645ba6",
        "measures.yaml": "7c24345d10742df8",
        "mechanisms.yaml": "a44480a871330f56",
        "pacing.yaml": "8f11105a089cfa9d",
        "pacing_advice.yaml": "3f132c148280ba46",
        "phones.yaml": "08002fb70b21688b",
        "phrases.yaml": "8ae8596d0683b371",
        "questionnaire.yaml": "dc094bd82ef23e70",
        "questions.yaml": "6b5c76df4dd0c97f",
        "red_flags.yaml": "f675ffb6ba4daa8b",
        "report.yaml": "05648a605566a7a6",
        "screening.yaml": "05fc4bdb8e2017ed",
        "sources.yaml": "486c22da8a701a16",
    },
}


def fingerprint(directory: Path) -> dict[str, str]:
    """A short hash of each knowledge file's parsed content (the manifest itself excluded)."""
    prints = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "knowledge.yaml":
            continue
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        canonical = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        prints[path.name] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
    return prints


def _version(directory: Path) -> str:
    return str(yaml.safe_load((directory / "knowledge.yaml").read_text(encoding="utf-8"))["version"])


def test_knowledge_changes_come_with_a_version_bump() -> None:
    directory = default_knowledge_dir()
    version, current = _version(directory), fingerprint(directory)
    record = "\n".join(
        [f'    "{version}": {{', *(f'        "{n}": "{p}",' for n, p in current.items()), "    },"]
    )
    recorded = FINGERPRINTS.get(version)
    assert recorded is not None, (
        f"knowledge version {version} has no recorded fingerprint; add it to FINGERPRINTS in "
        f"tests/test_knowledge_version.py:\n{record}"
    )
    changed = sorted(
        name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name)
    )
    assert not changed, (
        f"knowledge file(s) {', '.join(changed)} changed but knowledge.yaml still says version {version}: "
        f"bump `version` in src/backpace/knowledge/knowledge.yaml, then record the new fingerprint in "
        f"FINGERPRINTS in tests/test_knowledge_version.py:\n{record}"
    )


def test_the_fingerprint_ignores_comments_and_sees_changes(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("- {id: A, level: urgent}\n", encoding="utf-8")
    before = fingerprint(tmp_path)
    (tmp_path / "rules.yaml").write_text("# a comment\n- id: A\n  level: urgent\n", encoding="utf-8")
    assert fingerprint(tmp_path) == before
    (tmp_path / "rules.yaml").write_text("- {id: A, level: emergency}\n", encoding="utf-8")
    assert fingerprint(tmp_path) != before
