"""Model -> Markdown, Mermaid, CSV and JSON."""
