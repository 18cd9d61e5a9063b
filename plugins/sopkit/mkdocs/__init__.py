"""The MkDocs adapter."""
