"""BackPace: triage, care plans and pacing for back pain during and after an illness.

>>> from backpace import Case, Findings, assess, load_knowledge
>>> assess(Case(findings=Findings(saddle_numbness=True)), load_knowledge()).level
'emergency'
"""

from backpace.engine import assess
from backpace.knowledge import Knowledge, KnowledgeError, load_knowledge
from backpace.models import Assessment, Case, Findings

__all__ = ["Assessment", "Case", "Findings", "Knowledge", "KnowledgeError", "assess", "load_knowledge"]
