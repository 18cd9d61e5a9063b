"""Jinja templates of generated pages and SOP scaffolds, shipped with the package."""
