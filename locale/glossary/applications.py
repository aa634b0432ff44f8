"""Korean for the applications app's strings."""

APPLICATIONS = {
}
