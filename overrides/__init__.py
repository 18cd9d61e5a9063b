"""Material theme overrides shipped with the package."""
