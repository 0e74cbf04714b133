"""Figures the CLI and the report share (matplotlib; SVG and PNG, Chinese or English labels)."""
