"""sopkit: structured SOPs to a searchable handbook site."""

__version__ = "0.1.0"
