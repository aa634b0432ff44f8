"""Korean for the membership app's strings."""

MEMBERSHIP = {
}
