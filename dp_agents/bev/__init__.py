"""Blind zone completion: calibrated cameras, a rendered intersection, ground-plane fusion."""
