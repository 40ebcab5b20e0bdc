"""Capabilities as web/API feature modules (see hoshin.api.features)."""
