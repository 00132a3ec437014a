"""The clinician hand-off: a one-page report (HTML and PDF) and a FHIR R4 Bundle.

Adapters of the core: they take a case, its assessment, dated check-ins, standard measures and
what the person chose to say about themselves, and never change any of them.
"""
