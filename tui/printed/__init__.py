"""The form as printed: layouts as data, blocks of cells drawn on a character canvas, and the
exporters (text, SVG, HTML for A4, xlsx) and the year's summary."""
