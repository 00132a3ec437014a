"""The web app: a thin adapter over the core (pages for people, a JSON API for programs).

>>> from backpace.web import Settings, create_app
>>> app = create_app(Settings(port=8123))
"""

from backpace.settings import Settings  # the one Settings of BackPace, shared with the command line
from backpace.web.app import create_app

__all__ = ["Settings", "create_app"]
