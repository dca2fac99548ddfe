"""What a computation returns: a family's `Report`, the `Bundle` of every family, the outcomes
of checks. Data and its JSON form; rendering it for people is render/'s."""
