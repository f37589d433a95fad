"""The services register's models, one module per part of the register.

- catalogue: matters, materials, 一件事 bundles, 通办 agreements and their lists
- applications: 办件, their events, materials, evaluations
- federation: the outbox of messages to partner districts
"""

from services.models.applications import *  # noqa: F403
from services.models.catalogue import *  # noqa: F403
from services.models.federation import *  # noqa: F403
