"""Korean for the caseload app's strings."""

CASELOAD = {
}
