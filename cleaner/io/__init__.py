"""Inputs and outputs: formats (:mod:`.format`, one module each, listed in :mod:`.registry`), decoding bytes,
HTML through trafilatura (:mod:`.html`, :mod:`.align`), walking folders, the removal log, and atomic writes."""
