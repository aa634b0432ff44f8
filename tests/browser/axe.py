"""axe-core (bundled with axe-playwright-python) run in the page; fail on serious or critical issues."""
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Return the axe violations of the given impacts on the current page (WCAG 2.2 AA tags)."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert violations == [], f"axe found serious/critical violations on {page.url}: {summary}"
