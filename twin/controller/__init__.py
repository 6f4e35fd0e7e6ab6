"""The project's SDN controller: an os-ken app in its own process with a Ryu ofctl_rest-compatible API."""
