"""RightsTrack: human-rights monitoring and follow-up."""

__version__ = "0.1.0"
