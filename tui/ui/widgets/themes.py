"""The app's own theme: high contrast (white and yellow on black, no mid greys), for bright rooms,
old screens and weak eyes. Picked from the palette (查看：切换主题) or set in the settings file."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="zipin-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF4040",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#606060",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "text-muted": "#E0E0E0",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 40%",
    },
)
THEMES = (HIGH_CONTRAST,)
