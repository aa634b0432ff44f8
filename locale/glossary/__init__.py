"""The Korean of every English source string, one module per app so that work on one app does not
touch another's file. `python scripts/translations_ko.py` writes them into locale/ko."""
from .applications import APPLICATIONS
from .caseload import CASELOAD
from .core import CORE
from .eligibility import ELIGIBILITY
from .membership import MEMBERSHIP

KO = {**CORE, **MEMBERSHIP, **ELIGIBILITY, **APPLICATIONS, **CASELOAD}
