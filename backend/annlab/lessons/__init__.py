"""Glue between engines and schemas: run an engine for validated parameters and
produce the lesson's event models. No HTTP here."""
