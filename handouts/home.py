"""Where the shipped guidance and layouts are read from.

A clinician edits `content.yaml` and `layouts/` at the top of the repository; the wheel carries copies
of them inside the package (`handouts/data/`, put there by `setup.py` at build time), so an installed
tool (pip, pipx, a clinic's own index, Windows) finds them without the checkout. An editable install
from a checkout has no copies and reads the checkout's own files, so an edit shows at once.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGED = Path(str(files("handouts") / "data"))
_CHECKOUT = Path(__file__).resolve().parent.parent

SHIPPED_HOME = _PACKAGED if (_PACKAGED / "content.yaml").is_file() else _CHECKOUT
SHIPPED_CONTENT = SHIPPED_HOME / "content.yaml"
SHIPPED_CONTENT_ES = SHIPPED_HOME / "content.es.yaml"
"""The Spanish guidance, copied beside content.yaml by setup.py; a translation is read from beside the
content.yaml in use (handouts/inputs/translation.py), the shipped one or a clinic's own."""
SHIPPED_LAYOUTS = SHIPPED_HOME / "layouts"
