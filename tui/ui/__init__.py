"""The Textual app: the app, its screens and widgets. Nothing outside this package imports Textual."""
