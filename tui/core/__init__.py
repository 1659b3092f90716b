"""The form's rules without I/O or Textual: the record (model, format), rule profiles, scoring,
validation, editing and the document being edited, bounds on numbers, and the one helper that
makes a user's text safe to show (messages.visible)."""
