"""The folder on disk: reading and writing records (atomic writes, the save-all journal, drafts,
names), the folder session every screen and command goes through (workspace), the SQLite index of
the folder (a cache), and the user's settings."""
